import { isApiError } from '@botpress/sdk'

/** A failure of the Botpress API that is not an API error (no answer in time, an answer without its object). */
export class UpstreamError extends Error {
  override name = 'UpstreamError'
}

export type ApiError = Extract<ReturnType<typeof asApiError>, object>
export const asApiError = (thrown: unknown) => (isApiError(thrown) ? thrown : undefined)

const defaultRetryAfterSeconds = 1
const maxRetryAfterSeconds = 3600

/** Seconds from a Retry-After value (delta-seconds or HTTP date), clamped to a sensible range. */
export const retryAfterSeconds = (value: unknown): number => {
  if (typeof value !== 'string' || !value.trim()) {
    return defaultRetryAfterSeconds
  }
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : (Date.parse(value) - Date.now()) / 1000
  if (!Number.isFinite(seconds)) {
    return defaultRetryAfterSeconds
  }
  return Math.min(maxRetryAfterSeconds, Math.max(defaultRetryAfterSeconds, Math.ceil(seconds)))
}

/** A cached id that Botpress no longer knows: the cache entry is stale, not the request wrong. */
export const isNotFound = (thrown: unknown): boolean => {
  const apiError = asApiError(thrown)
  return apiError !== undefined && (apiError.type === 'ResourceNotFound' || apiError.type === 'ReferenceNotFound')
}

/**
 * A failure that is not Botpress's answer, in words safe to log. Only our own messages are known to be safe: another
 * error's message may quote any value, a secret too; so may its `name` (any property of a thrown value can be set),
 * hence the class name, which is code.
 */
export const safeCause = (thrown: unknown): string =>
  thrown instanceof UpstreamError
    ? thrown.message
    : `unexpected ${thrown instanceof Error ? thrown.constructor.name || 'Error' : 'non-Error value'}`

/** Any failure of a Botpress call, in words safe to log: Botpress's status and error type, or `safeCause`. */
export const describeUpstreamFailure = (thrown: unknown): string => {
  const apiError = asApiError(thrown)
  return apiError ? `the Botpress API answered ${apiError.code} ${apiError.type}` : safeCause(thrown)
}
