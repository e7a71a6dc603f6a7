import { UpstreamError } from '../botpress/upstream-errors'

/**
 * The caller is answered within the contract's 10 s whatever Botpress does: a slow answer (even one that trickles
 * in, which no per-call timeout stops) ends as 502 once the deadline passes. Whatever is still running may finish;
 * the caller's retry with the same messageId finds it.
 */
export const withDeadline = async <T>(work: Promise<T>, deadlineMs: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new UpstreamError(`the Botpress API did not answer within ${deadlineMs} ms`)),
      deadlineMs
    )
  })
  // Once the deadline has answered the caller, a late failure of the work is nobody's to handle.
  work.catch(() => {})
  try {
    return await Promise.race([work, expired])
  } finally {
    clearTimeout(timer)
  }
}
