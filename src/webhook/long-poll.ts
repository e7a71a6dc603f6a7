/** The schedule of every wait: one Botpress call at once, then one every 500 ms (at most 2 calls a second). */
export const pollIntervalMs = 500

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)))

/**
 * Calls `poll` until `done` holds or `until` (a time in ms) comes; each call starts `pollIntervalMs` after the
 * previous one started, and the last one is made at `until`. A failing call ends the wait with its error.
 */
export const pollUntil = async (poll: () => Promise<void>, done: () => boolean, until: number): Promise<void> => {
  for (;;) {
    const startedAt = Date.now()
    await poll()
    if (done() || Date.now() >= until) {
      return
    }
    await sleep(Math.min(startedAt + pollIntervalMs, until) - Date.now())
  }
}
