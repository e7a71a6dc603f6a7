/**
 * The schedule of every wait (GET `wait`, `?wait`): when a bot reply is likely, Botpress is asked often; otherwise
 * seldom. It follows what Botpress holds (the caller's latest message or event, the bot's turn on it), never this
 * copy's memory: the caller's request, the wait and the bot's reply may each run on another copy.
 */
export const pollSchedule = {
  /** a reply is due for this long after the caller's latest message or event */
  replyDueForMs: 3_000,
  /** while a reply is due: 10 calls a second */
  dueEveryMs: 100,
  /** while the bot's turn is open after that: 4 calls a second (a stop is seen within this plus one call) */
  turnOpenEveryMs: 250,
  /** otherwise: 2 calls a second */
  idleEveryMs: 500,
  /** a turn whose stop never came (lost) stops counting this long after its start */
  turnOpenAtMostMs: 30_000,
  /** calls of one wait, the first (at once) and the last (at its end) included */
  maxPollsPerWait: 38,
  /** the polls a wait has left always last to its end at one a second at least */
  reserveEveryMs: 1_000,
}

/** What a wait knows after a poll, as times (ms, this clock) */
export type WaitSignals = {
  /** when the caller's latest message or event was created (undefined: none recent) */
  callerActiveAt?: number
  /** when the bot's turn on it started, while that turn has not ended (undefined: no open turn) */
  turnOpenSince?: number
}

export type PollDecision = WaitSignals & {
  /** when the poll just made started */
  now: number
  /** polls made so far in this wait */
  polls: number
  /** the wait's end */
  until: number
}

/**
 * How long after the start of the poll just made the next one starts: 100 ms while a reply is due, 250 ms while the
 * bot's turn is open, 500 ms otherwise; never later than the wait's end. A wait makes at most `maxPollsPerWait` polls,
 * the last at its end: when the polls left would no longer last to the end at one a second, they are spaced so.
 */
export const nextPollDelayMs = ({ callerActiveAt, turnOpenSince, now, polls, until }: PollDecision): number => {
  const left = Math.max(0, until - now)
  const pollsLeft = pollSchedule.maxPollsPerWait - polls
  if (pollsLeft <= 1) {
    return left
  }
  const due = callerActiveAt !== undefined && now - callerActiveAt < pollSchedule.replyDueForMs
  const turnOpen = turnOpenSince !== undefined && now - turnOpenSince < pollSchedule.turnOpenAtMostMs
  const every = due ? pollSchedule.dueEveryMs : turnOpen ? pollSchedule.turnOpenEveryMs : pollSchedule.idleEveryMs
  return Math.min(left, Math.max(every, left - (pollsLeft - 1) * pollSchedule.reserveEveryMs))
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)))

/**
 * Calls `poll` until `done` holds or `until` (a time in ms) comes, on the schedule `nextPollDelayMs` decides from
 * `signals` (read after each poll): each call starts that long after the previous one started, and the last one is
 * made at `until`. A failing call ends the wait with its error.
 */
export const pollUntil = async (
  poll: () => Promise<void>,
  done: () => boolean,
  until: number,
  signals: () => WaitSignals = () => ({})
): Promise<void> => {
  for (let polls = 1; ; polls++) {
    const startedAt = Date.now()
    await poll()
    if (done() || Date.now() >= until) {
      return
    }
    await sleep(startedAt + nextPollDelayMs({ ...signals(), now: startedAt, polls, until }) - Date.now())
  }
}
