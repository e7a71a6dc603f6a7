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
  /**
   * A wait that learns of the caller's events by reading the conversation (a GET wait: Botpress lists events apart
   * from messages, and the conversation's tag holds the latest one's time): when it last read it. Undefined: the wait
   * never reads it (`?wait` knows what the caller sent).
   */
  conversationReadAt?: number
}

/** What one check of a wait reads: the messages (one call), or the conversation (one call) */
export type WaitRead = 'messages' | 'conversation'

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
export const nextPollDelayMs = (decision: PollDecision): number => {
  const { now, polls, until } = decision
  const left = Math.max(0, until - now)
  const pollsLeft = pollSchedule.maxPollsPerWait - polls
  if (pollsLeft <= 1) {
    return left
  }
  const every = { due: pollSchedule.dueEveryMs, turnOpen: pollSchedule.turnOpenEveryMs, idle: pollSchedule.idleEveryMs }
  return Math.min(left, Math.max(every[phaseOf(decision)], left - (pollsLeft - 1) * pollSchedule.reserveEveryMs))
}

const phaseOf = ({ callerActiveAt, turnOpenSince, now }: PollDecision): 'due' | 'turnOpen' | 'idle' => {
  if (callerActiveAt !== undefined && now - callerActiveAt < pollSchedule.replyDueForMs) return 'due'
  if (turnOpenSince !== undefined && now - turnOpenSince < pollSchedule.turnOpenAtMostMs) return 'turnOpen'
  return 'idle'
}

/**
 * What the check `delayMs` after the one just made reads. Messages, except on an idle wait that reads the
 * conversation for the caller's events: there, every other check reads the conversation instead (both are then read
 * once a second, for the same number of calls). A reply due, an open turn and the wait's last check read messages.
 */
export const nextRead = (decision: PollDecision, delayMs: number): WaitRead => {
  const { conversationReadAt, now, until } = decision
  const at = now + delayMs
  if (conversationReadAt === undefined || at >= until || phaseOf({ ...decision, now: at }) !== 'idle') {
    return 'messages'
  }
  // The check just made read it (its read started at or after that check's start): this one reads messages
  return conversationReadAt >= now ? 'messages' : 'conversation'
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)))

/**
 * Calls `poll` until `done` holds or `until` (a time in ms) comes, on the schedule `nextPollDelayMs` and `nextRead`
 * decide from `signals` (read after each poll): each call starts that long after the previous one started, and the
 * last one is made at `until`. The first reads messages. A failing call ends the wait with its error.
 */
export const pollUntil = async (
  poll: (read: WaitRead) => Promise<void>,
  done: () => boolean,
  until: number,
  signals: () => WaitSignals = () => ({})
): Promise<void> => {
  let read: WaitRead = 'messages'
  for (let polls = 1; ; polls++) {
    const startedAt = Date.now()
    await poll(read)
    if (done() || Date.now() >= until) {
      return
    }
    const decision = { ...signals(), now: startedAt, polls, until }
    const delayMs = nextPollDelayMs(decision)
    read = nextRead(decision, delayMs)
    await sleep(startedAt + delayMs - Date.now())
  }
}
