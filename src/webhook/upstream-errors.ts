import { isApiError } from '@botpress/sdk'
import { WebhookError } from './responses'

export type AuthMode = 'personal-access-token' | 'webhook-secret'

/** A failure of the Botpress API that is not an API error (no answer in time, an answer without its object). */
export class UpstreamError extends Error {
  override name = 'UpstreamError'
}

type ApiError = Extract<ReturnType<typeof asApiError>, object>
const asApiError = (thrown: unknown) => (isApiError(thrown) ? thrown : undefined)

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

const retryAfterOf = (error: ApiError) => (error.metadata as { retryAfter?: unknown } | undefined)?.retryAfter

/**
 * What the caller is told when a Botpress API call fails. With a Personal Access Token, a refusal is the caller's
 * (401/403); with the webhook secret, the integration's own token was refused, which the caller cannot fix (502).
 * `ownerMessage` is set when the bot owner should hear of it.
 */
export type RequestSubject = 'an incoming message' | 'a pull of messages'

/**
 * A failure that is not Botpress's answer, in words safe to log. Only our own messages are known to be safe: another
 * error's message may quote any value, a secret too; so may its `name` (any property of a thrown value can be set),
 * hence the class name, which is code.
 */
export const safeCause = (thrown: unknown): string =>
  thrown instanceof UpstreamError
    ? thrown.message
    : `unexpected ${thrown instanceof Error ? thrown.constructor.name || 'Error' : 'non-Error value'}`

export const upstreamFailure = (
  thrown: unknown,
  authMode: AuthMode,
  subject: RequestSubject = 'an incoming message'
): { error: WebhookError; ownerMessage?: string } => {
  const apiError = asApiError(thrown)
  if (!apiError) {
    return { error: unreachable(), ownerMessage: `Messaging API could not process ${subject}: ${safeCause(thrown)}` }
  }
  const byCaller = authMode === 'personal-access-token'
  if (apiError.code === 401 && byCaller) {
    return {
      error: new WebhookError('unauthorized', 'Botpress refused the Personal Access Token', { headers: invalidToken }),
    }
  }
  if (apiError.code === 403 && byCaller) {
    return { error: new WebhookError('forbidden', 'The Personal Access Token may not act on this bot') }
  }
  if (apiError.code === 429) {
    const seconds = retryAfterSeconds(retryAfterOf(apiError))
    const error = new WebhookError('rate_limited', `Botpress is rate limiting requests: retry in ${seconds} s`, {
      headers: { 'retry-after': String(seconds) },
    })
    return {
      error,
      ownerMessage: `Messaging API: Botpress rate-limited ${subject} (the caller was told to retry)`,
    }
  }
  // A pull's query is checked before any call: Botpress refusing it is not the caller's to fix.
  if ((apiError.code === 400 || apiError.code === 413) && subject === 'an incoming message') {
    const error = new WebhookError('invalid_body', `Botpress rejected the message: ${apiError.message}`)
    return { error, ownerMessage: `Messaging API: Botpress rejected an incoming message: ${apiError.message}` }
  }
  return {
    error: unreachable(),
    ownerMessage: `Messaging API: the Botpress API failed on ${subject} (${apiError.code} ${apiError.type}: ${apiError.message})`,
  }
}

const invalidToken = { 'www-authenticate': 'Bearer error="invalid_token"' }

const unreachable = () =>
  new WebhookError(
    'upstream_error',
    'The Botpress API failed or could not be reached; retrying with the same messageId is safe'
  )

/** A cached id that Botpress no longer knows: the cache entry is stale, not the request wrong. */
export const isNotFound = (thrown: unknown): boolean => {
  const apiError = asApiError(thrown)
  return apiError !== undefined && (apiError.type === 'ResourceNotFound' || apiError.type === 'ReferenceNotFound')
}
