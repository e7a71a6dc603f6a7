import { RuntimeError } from '@botpress/sdk'
import type { AxiosResponse } from 'axios'
import type * as bp from '../bp'
import { retryAfterSeconds, safeCause } from '../botpress/upstream-errors'
import { axios, endpointHttp, type AxiosError } from './endpoint-http'
import { buildSignedRequest, type OutboundRequest } from './outbound-request'

export const deliveryPolicy = {
  maxAttempts: 3,
  attemptTimeoutMs: 10_000,
  totalBudgetMs: 20_000,
  baseDelayMs: 500,
  maxRetryAfterMs: 10_000,
  // An attempt with less time than this left is not worth starting.
  minAttemptMs: 1_000,
}

/** What `deliver` decided for one attempt: the wait before it (0 for the first) and the time it was given. */
export type AttemptPlan = { delayMs: number; timeoutMs: number }

export type DeliveryResult =
  | { ok: true; status: number; responseBody: string; attempts: number }
  | { ok: false; status: number | undefined; reason: string; attempts: number }

// Failures with no answer that another attempt may not meet; a bad URL or header is not among them.
const transientCodes: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_NETWORK',
])

// The attempt's own wall-clock limit aborts it (see endpoint-http): that is a timeout, not a cancellation.
const codeOf = (error: AxiosError) => (error.code === 'ERR_CANCELED' ? 'ETIMEDOUT' : error.code)

const isRetryable = (error: AxiosError): boolean => {
  const status = error.response?.status
  if (status !== undefined) {
    return status === 408 || status === 429 || status >= 500
  }
  return transientCodes.has(codeOf(error) ?? '')
}

// Full jitter on an exponential base spreads the retries of many copies; a Retry-After is honoured up to a cap.
export const backoffMs = (retryNumber: number, error: AxiosError, policy: typeof deliveryPolicy) => {
  const exponential = policy.baseDelayMs * 2 ** (retryNumber - 1)
  const jittered = exponential / 2 + Math.random() * (exponential / 2)
  const retryAfter = error.response?.status === 429 ? error.response.headers['retry-after'] : undefined
  const askedMs = retryAfter === undefined ? 0 : retryAfterSeconds(String(retryAfter)) * 1000
  return Math.max(jittered, Math.min(askedMs, policy.maxRetryAfterMs))
}

const describe = (error: unknown): { status: number | undefined; reason: string } => {
  if (axios.isAxiosError(error)) {
    const status = error.response?.status
    return { status, reason: status === undefined ? (codeOf(error) ?? 'network error') : `HTTP ${status}` }
  }
  // Not the error's message: the bot owner's log gets it, and another error's message may quote anything
  return { status: undefined, reason: safeCause(error) }
}

/**
 * POSTs one message with retries: at most `maxAttempts` attempts, each within `attemptTimeoutMs`, all within
 * `totalBudgetMs`. Every attempt carries the same body and headers, so `webhook-id` lets the endpoint drop repeats.
 */
export const deliver = async (
  request: OutboundRequest,
  policy = deliveryPolicy,
  // Tests see what was decided here, rather than timing arrivals on a loaded machine.
  onAttempt?: (plan: AttemptPlan) => void
): Promise<DeliveryResult> => {
  const deadline = Date.now() + policy.totalBudgetMs
  let retries = 0
  let plannedDelayMs = 0
  const timeLeft = () => deadline - Date.now()
  const timeout = Math.min(policy.attemptTimeoutMs, timeLeft())
  onAttempt?.({ delayMs: 0, timeoutMs: timeout })
  try {
    const response: AxiosResponse<string> = await endpointHttp.post(request.url, request.body, {
      headers: request.headers,
      timeout,
      'axios-retry': {
        retries: policy.maxAttempts - 1,
        shouldResetTimeout: true,
        retryCondition: (error) => {
          plannedDelayMs = backoffMs(retries + 1, error, policy)
          return isRetryable(error) && timeLeft() - plannedDelayMs >= policy.minAttemptMs
        },
        retryDelay: () => plannedDelayMs,
        onRetry: (retryCount, _error, config) => {
          retries = retryCount
          config.timeout = Math.min(policy.attemptTimeoutMs, timeLeft() - plannedDelayMs)
          onAttempt?.({ delayMs: plannedDelayMs, timeoutMs: config.timeout })
          // The last attempt's signal may have fired: axios-retry would then skip the delay. The next one gets its own.
          config.signal = undefined
        },
      },
    })
    return { ok: true, status: response.status, responseBody: response.data ?? '', attempts: retries + 1 }
  } catch (error) {
    return { ok: false, ...describe(error), attempts: retries + 1 }
  }
}

/**
 * The one delivery path of what the bot sends (messages, events): `body` signed under `webhookId`, POSTed with the
 * retries above. Not delivered in the end: a RuntimeError naming the endpoint's host and its last status, which the
 * SDK logs for the bot owner (and a bot's action turns into its error path).
 */
export const deliverOrThrow = async (
  configuration: bp.Configuration,
  webhookId: string,
  body: unknown,
  what: string
): Promise<Extract<DeliveryResult, { ok: true }>> => {
  const request = buildSignedRequest(configuration, webhookId, body)
  const result = await deliver(request)
  if (!result.ok) {
    const host = new URL(request.url).host
    throw new RuntimeError(
      `Messaging API could not deliver ${what} to ${host}: ${result.reason} after ${result.attempts} attempt(s)`
    )
  }
  return result
}
