import { UpstreamError } from './upstream-errors'

/**
 * Botpress calls bounded as a whole: a slow answer (even one that trickles in, which no per-call timeout stops) is an
 * UpstreamError once the deadline passes (the webhook's caller then gets a 502; a typing indicator is dropped).
 * Whatever is still running may finish; a caller's retry with the same messageId finds it.
 */
export const withDeadline = async <T>(
  work: Promise<T>,
  deadlineMs: number,
  expiredMessage = `the Botpress API did not answer within ${deadlineMs} ms`
): Promise<T> => {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new UpstreamError(expiredMessage)), Math.max(0, deadlineMs))
  })
  // Once the deadline has answered the caller, a late failure of the work is nobody's to handle.
  work.catch(() => {})
  try {
    return await Promise.race([work, expired])
  } finally {
    clearTimeout(timer)
  }
}
