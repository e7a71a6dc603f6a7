import { asApiError, retryAfterSeconds, safeCause, type ApiError } from '../botpress/upstream-errors'
import { WebhookError } from './responses'

export type AuthMode = 'personal-access-token' | 'webhook-secret'

const retryAfterOf = (error: ApiError) => (error.metadata as { retryAfter?: unknown } | undefined)?.retryAfter

/**
 * What the caller is told when a Botpress API call fails. With a Personal Access Token, a refusal is the caller's
 * (401/403); with the webhook secret, the integration's own token was refused, which the caller cannot fix (502).
 * `ownerMessage` is set when the bot owner should hear of it.
 */
export type RequestSubject =
  | 'an incoming message'
  | 'an incoming event'
  | 'a pull of messages'
  | 'an erasure of a conversation'
  | 'an erasure of a user'

// What the caller sent that Botpress may refuse as a bad request, and the id that makes a retry safe
const written: Partial<Record<RequestSubject, { what: string; id: string }>> = {
  'an incoming message': { what: 'message', id: 'messageId' },
  'an incoming event': { what: 'event', id: 'eventId' },
}

export const upstreamFailure = (
  thrown: unknown,
  authMode: AuthMode,
  subject: RequestSubject = 'an incoming message'
): { error: WebhookError; ownerMessage?: string } => {
  const apiError = asApiError(thrown)
  const unreachable = () =>
    new WebhookError(
      'upstream_error',
      `The Botpress API failed or could not be reached; retrying with the same ${written[subject]?.id ?? 'request'} is safe`
    )
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
  // A pull's query is checked before any call: Botpress refusing it is not the caller's to fix. The caller is told
  // Botpress's words (about what it sent); the log gets the status and type alone, since they may quote it.
  const sent = written[subject]
  if ((apiError.code === 400 || apiError.code === 413) && sent) {
    const error = new WebhookError('invalid_body', `Botpress rejected the ${sent.what}: ${apiError.message}`)
    return { error, ownerMessage: `Messaging API: Botpress rejected ${subject} (${apiError.code} ${apiError.type})` }
  }
  return {
    error: unreachable(),
    ownerMessage: `Messaging API: the Botpress API failed on ${subject} (${apiError.code} ${apiError.type})`,
  }
}

const invalidToken = { 'www-authenticate': 'Bearer error="invalid_token"' }
