import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextPollDelayMs, nextRead, pollSchedule, pollUntil, type WaitRead, type WaitSignals } from './long-poll'

// Fake timers: the schedule pollUntil decides is checked to the millisecond, with no real waiting.
afterEach(() => {
  vi.useRealTimers()
})

/**
 * Runs pollUntil with `done` never true; the times (ms from the start) of each poll and of the return, and what each
 * poll read. `signals` is what the wait would have read from Botpress, given the time of the poll just made.
 */
const schedule = async (
  untilMs: number,
  pollMs = 0,
  signals: (now: number, read: WaitRead) => WaitSignals = () => ({})
) => {
  vi.useFakeTimers({ now: 0 })
  const polls: number[] = []
  const reads: WaitRead[] = []
  const poll = async (read: WaitRead) => {
    polls.push(Date.now())
    reads.push(read)
    if (pollMs > 0) await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
  const waiting = pollUntil(
    poll,
    () => false,
    untilMs,
    () => signals(polls[polls.length - 1]!, reads[reads.length - 1]!)
  )
  await vi.runAllTimersAsync()
  await waiting
  return { polls, returnedAt: Date.now(), reads }
}

const range = (from: number, to: number, step: number) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, index) => from + index * step)

describe('nextPollDelayMs', () => {
  const at = (now: number, signals: WaitSignals = {}, polls = 1, until = 8_000) =>
    nextPollDelayMs({ ...signals, now, polls, until })

  it('polls every 100 ms in the 3 s after the caller’s latest message or event, 500 ms otherwise', () => {
    expect(at(0, { callerActiveAt: 0 })).toBe(100)
    expect(at(2_999, { callerActiveAt: 0 })).toBe(100)
    expect(at(3_000, { callerActiveAt: 0 })).toBe(500)
    expect(at(1_000, {})).toBe(500)
    // Botpress's clock a little ahead of this copy's: still due
    expect(at(0, { callerActiveAt: 40 })).toBe(100)
  })

  it('polls every 250 ms while the bot’s turn is open after that, for at most 30 s after its start', () => {
    expect(at(5_000, { callerActiveAt: 0, turnOpenSince: 100 })).toBe(250)
    expect(at(1_000, { callerActiveAt: 0, turnOpenSince: 100 })).toBe(100)
    // (a wait that long does not exist: 8 s at most; the turn may have started long before the wait)
    expect(at(30_099, { callerActiveAt: 0, turnOpenSince: 100 }, 1, 40_000)).toBe(250)
    expect(at(30_100, { callerActiveAt: 0, turnOpenSince: 100 }, 1, 40_000)).toBe(500)
  })

  it('never goes past the end of the wait', () => {
    expect(at(7_950, { callerActiveAt: 7_900 })).toBe(50)
    expect(at(7_700, {})).toBe(300)
    expect(at(8_000, {})).toBe(0)
  })

  it('keeps enough of its 38 polls to last to the end of the wait at one a second', () => {
    expect(pollSchedule.maxPollsPerWait).toBe(38)
    // 31 polls made in the 3 s after the caller's message, the bot's turn still open: 7 left for 5 s
    expect(at(3_000, { callerActiveAt: 0, turnOpenSince: 0 }, 31)).toBe(250)
    expect(at(3_500, { callerActiveAt: 0, turnOpenSince: 0 }, 33)).toBe(500)
    expect(at(4_000, { callerActiveAt: 0, turnOpenSince: 0 }, 34)).toBe(1_000)
    // The last poll is at the end of the wait
    expect(at(7_000, {}, 37)).toBe(1_000)
    expect(at(6_000, {}, 40)).toBe(2_000)
  })
})

describe('nextRead', () => {
  const after = (now: number, delayMs: number, signals: WaitSignals, until = 8_000) =>
    nextRead({ ...signals, now, polls: 1, until }, delayMs)

  it('reads messages only, on a wait that knows what the caller sent (no conversation reads)', () => {
    expect(after(1_000, 500, {})).toBe('messages')
  })

  it('idle, on a wait that reads the conversation: every other check reads it', () => {
    // The check just made (at 1 000) read messages; the conversation was last read before it
    expect(after(1_000, 500, { conversationReadAt: 500 })).toBe('conversation')
    expect(after(1_000, 500, { conversationReadAt: Number.NEGATIVE_INFINITY })).toBe('conversation')
    // The check just made read it
    expect(after(1_000, 500, { conversationReadAt: 1_000 })).toBe('messages')
    expect(after(1_000, 500, { conversationReadAt: 1_030 })).toBe('messages')
  })

  it('reads messages while a reply is due, while the bot’s turn is open, and at the wait’s end', () => {
    expect(after(1_000, 100, { conversationReadAt: 0, callerActiveAt: 0 })).toBe('messages')
    expect(after(5_000, 250, { conversationReadAt: 0, callerActiveAt: 0, turnOpenSince: 100 })).toBe('messages')
    expect(after(7_700, 300, { conversationReadAt: 0 })).toBe('messages')
    // Due now, no longer at the next check: that one is idle
    expect(after(2_950, 100, { conversationReadAt: 0, callerActiveAt: 0 })).toBe('conversation')
  })
})

describe('pollUntil', () => {
  it('idle: at once, then every 500 ms, the last poll at the deadline and not after it', async () => {
    expect(await schedule(1_200)).toMatchObject({ polls: [0, 500, 1_000, 1_200], returnedAt: 1_200 })
    expect(await schedule(1_000)).toMatchObject({ polls: [0, 500, 1_000], returnedAt: 1_000 })
    expect(await schedule(0)).toMatchObject({ polls: [0], returnedAt: 0 })
    // An idle wait of 8 s: 17 polls
    expect((await schedule(8_000)).polls).toEqual(range(0, 8_000, 500))
  })

  it('counts each interval from the start of the previous poll, so a slow poll does not stretch the wait', async () => {
    expect(await schedule(1_300, 200)).toMatchObject({ polls: [0, 500, 1_000, 1_300], returnedAt: 1_500 })
    expect(await schedule(1_000, 200)).toMatchObject({ polls: [0, 500, 1_000], returnedAt: 1_200 })
  })

  it('after a caller’s message: every 100 ms for 3 s, then every 500 ms', async () => {
    const { polls } = await schedule(5_000, 30, () => ({ callerActiveAt: -200 }))
    expect(polls).toEqual([...range(0, 2_800, 100), 3_300, 3_800, 4_300, 4_800, 5_000])
  })

  it('follows the signals each poll reads: a turn that starts, then ends', async () => {
    // The caller wrote 10 s before the wait; the bot's turn on it opened 1 s into the wait and ended at 2 s
    const { polls } = await schedule(3_000, 0, (now) => ({
      callerActiveAt: -10_000,
      turnOpenSince: now >= 1_000 && now < 2_000 ? 1_000 : undefined,
    }))
    expect(polls).toEqual([0, 500, 1_000, 1_250, 1_500, 1_750, 2_000, 2_500, 3_000])
  })

  it('an 8 s wait makes at most 38 polls, whatever it reads', async () => {
    // A reply due for 3 s, then the bot's turn open to the end: 31 polls, 2 more at 250 ms, then spaced to last
    const { polls } = await schedule(8_000, 30, () => ({ callerActiveAt: 0, turnOpenSince: 0 }))
    expect(polls).toEqual([...range(0, 3_000, 100), 3_250, 3_500, 4_000, 5_000, 6_000, 7_000, 8_000])
    expect(polls).toHaveLength(pollSchedule.maxPollsPerWait)
  })

  it('reads messages at every check of a wait that knows what the caller sent', async () => {
    const { reads } = await schedule(8_000, 30, () => ({ callerActiveAt: 0 }))
    expect(new Set(reads)).toEqual(new Set(['messages']))
  })

  it('idle, reading the conversation too: one call every 500 ms, messages and conversation in turn, 18 in 8 s', async () => {
    // The conversation was read by a look-up before the wait, then by each check that read it
    let conversationReadAt = -30
    const { polls, reads } = await schedule(8_000, 30, (now, read) => {
      if (read === 'conversation') conversationReadAt = now
      return { conversationReadAt }
    })
    expect(polls).toEqual(range(0, 8_000, 500))
    expect(reads).toEqual(polls.map((_, index) => (index % 2 === 0 ? 'messages' : 'conversation')))
    // With the look-up before the wait: 18 calls, under the 20 an idle 8 s wait may make
    expect(polls.length + 1).toBe(18)
  })

  it('after an event found by a read of the conversation: dense from the next check, messages only', async () => {
    // The caller's event came at 1 200; the conversation read at 1 500 shows it
    let conversationReadAt = -30
    let callerActiveAt: number | undefined
    const { polls, reads } = await schedule(6_000, 30, (now, read) => {
      if (read === 'conversation') {
        conversationReadAt = now
        callerActiveAt = now >= 1_200 ? 1_200 : undefined
      }
      return { conversationReadAt, callerActiveAt }
    })
    expect(polls.slice(0, 5)).toEqual([0, 500, 1_000, 1_500, 1_600])
    expect(reads.slice(0, 4)).toEqual(['messages', 'conversation', 'messages', 'conversation'])
    // Every 100 ms until 3 s after the event, each a read of messages; then idle again, the conversation first
    expect(polls.slice(4, 30)).toEqual(range(1_600, 4_100, 100))
    expect(reads.slice(4, 30)).toEqual(Array(26).fill('messages'))
    expect([polls[30], reads[30], polls[31], reads[31]]).toEqual([4_200, 'conversation', 4_700, 'messages'])
  })

  it('stops as soon as it is done', async () => {
    vi.useFakeTimers({ now: 0 })
    let polls = 0
    const waiting = pollUntil(
      async () => void polls++,
      () => polls === 2,
      5_000
    )
    await vi.runAllTimersAsync()
    await waiting
    expect([polls, Date.now()]).toEqual([2, 500])
  })
})
