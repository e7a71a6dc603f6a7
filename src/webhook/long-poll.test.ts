import { afterEach, describe, expect, it, vi } from 'vitest'
import { pollIntervalMs, pollUntil } from './long-poll'

// Fake timers: the schedule pollUntil decides is checked to the millisecond, with no real waiting.
afterEach(() => {
  vi.useRealTimers()
})

/** Runs pollUntil with `done` never true; the times (ms from the start) of each poll and of the return. */
const schedule = async (untilMs: number, pollMs = 0) => {
  vi.useFakeTimers({ now: 0 })
  const polls: number[] = []
  const poll = async () => {
    polls.push(Date.now())
    if (pollMs > 0) await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
  const waiting = pollUntil(poll, () => false, untilMs)
  await vi.runAllTimersAsync()
  await waiting
  return { polls, returnedAt: Date.now() }
}

describe('pollUntil', () => {
  it('polls at once, then every interval, the last poll at the deadline and not after it', async () => {
    expect(await schedule(1_200)).toEqual({ polls: [0, 500, 1_000, 1_200], returnedAt: 1_200 })
    expect(await schedule(1_000)).toEqual({ polls: [0, 500, 1_000], returnedAt: 1_000 })
    expect(await schedule(0)).toEqual({ polls: [0], returnedAt: 0 })
  })

  it('counts each interval from the start of the previous poll, so a slow poll does not stretch the wait', async () => {
    expect(await schedule(1_300, 200)).toEqual({ polls: [0, 500, 1_000, 1_300], returnedAt: 1_500 })
    expect(await schedule(1_000, 200)).toEqual({ polls: [0, 500, 1_000], returnedAt: 1_200 })
    expect(pollIntervalMs).toBe(500)
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
