import { axios as axiosModule, axiosRetry as axiosRetryModule } from '@botpress/client'
import type { AxiosResponse } from 'axios'
import { Readable } from 'node:stream'
import { retryAfterSeconds } from '../webhook/upstream-errors'
import type { OutboundRequest } from './outbound-request'

// The axios and axios-retry that @botpress/client re-exports: importing 'axios' here would bundle its ESM build beside
// the CommonJS build the client requires, about 95 KB more in .botpress/dist/index.js.
const axios = axiosModule.default
const { AxiosError } = axiosModule
type AxiosError = axiosModule.AxiosError
const axiosRetry = axiosRetryModule.default

export const deliveryPolicy = {
  maxAttempts: 3,
  attemptTimeoutMs: 10_000,
  totalBudgetMs: 20_000,
  baseDelayMs: 500,
  maxRetryAfterMs: 10_000,
  // An attempt with less time than this left is not worth starting.
  minAttemptMs: 1_000,
}

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

const isSuccess = (status: number) => status >= 200 && status < 300

// The attempt's own wall-clock limit aborts it (see the interceptor below): that is a timeout, not a cancellation.
const codeOf = (error: AxiosError) => (error.code === 'ERR_CANCELED' ? 'ETIMEDOUT' : error.code)

const isRetryable = (error: AxiosError): boolean => {
  const status = error.response?.status
  if (status !== undefined && !isSuccess(status)) {
    return status === 408 || status === 429 || status >= 500
  }
  // No answer, or a 2xx whose body was cut off (connection reset, timeout): the connection failed, not the endpoint.
  return status !== undefined || transientCodes.has(codeOf(error) ?? '')
}

// Full jitter on an exponential base spreads the retries of many copies; a Retry-After is honoured up to a cap.
const backoffMs = (retryNumber: number, error: AxiosError, policy: typeof deliveryPolicy) => {
  const exponential = policy.baseDelayMs * 2 ** (retryNumber - 1)
  const jittered = exponential / 2 + Math.random() * (exponential / 2)
  const retryAfter = error.response?.status === 429 ? error.response.headers['retry-after'] : undefined
  const askedMs = retryAfter === undefined ? 0 : retryAfterSeconds(String(retryAfter)) * 1000
  return Math.max(jittered, Math.min(askedMs, policy.maxRetryAfterMs))
}

// The answer matters only for an `{ "id" }` (see send-message), which fits well within this. Buffering an answer of any
// size would let an endpoint that streams gigabytes exhaust the integration's memory and overrun the time budget.
export const maxResponseBytes = 64 * 1024

const http = axios.create({
  maxRedirects: 0,
  responseType: 'stream',
  transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: false },
  validateStatus: (status) => status >= 200 && status < 300,
})

/** The answer's text, or '' when it is longer than `maxResponseBytes` (the rest is not read: the connection closes). */
const readCapped = async (body: Readable): Promise<string> => {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    chunks.push(chunk as Buffer)
    size += (chunk as Buffer).length
    if (size > maxResponseBytes) {
      body.destroy()
      return ''
    }
  }
  return Buffer.concat(chunks).toString('utf8')
}

// Added before axios-retry's own interceptor, so that an answer cut off while it is read is retried like any attempt.
http.interceptors.response.use(
  async (response) => {
    try {
      return { ...response, data: await readCapped(response.data as Readable) }
    } catch (thrown) {
      // As axios reports a buffered answer: cut off, with its status; or timed out (the attempt's signal), without
      const code = (thrown as { code?: string }).code
      const cutOff = code === 'ERR_CANCELED' ? undefined : response
      throw AxiosError.from(thrown, code, response.config, response.request, cutOff)
    }
  },
  (error: unknown) => {
    // A refused answer's body is never read: release its connection
    const data = axios.isAxiosError(error) ? error.response?.data : undefined
    if (data instanceof Readable) data.destroy()
    throw error
  }
)
axiosRetry(http)
// axios's `timeout` stops bounding an attempt once the answer has begun (it becomes a socket idle timeout): an
// endpoint that trickles its body would hold the attempt, and the handler, past every limit. A signal bounds it.
http.interceptors.request.use((config) => {
  config.signal = AbortSignal.timeout(Math.max(1, Math.ceil(config.timeout || deliveryPolicy.attemptTimeoutMs)))
  return config
})

const describe = (error: unknown): { status: number | undefined; reason: string } => {
  if (axios.isAxiosError(error)) {
    const status = error.response?.status
    if (status !== undefined && !isSuccess(status)) {
      return { status, reason: `HTTP ${status}` }
    }
    const code = codeOf(error) ?? 'network error'
    return { status, reason: status === undefined ? code : `HTTP ${status} cut off (${code})` }
  }
  return { status: undefined, reason: error instanceof Error ? error.message : String(error) }
}

/**
 * POSTs one message with retries: at most `maxAttempts` attempts, each within `attemptTimeoutMs`, all within
 * `totalBudgetMs`. Every attempt carries the same body and headers, so `webhook-id` lets the endpoint drop repeats.
 */
export const deliver = async (request: OutboundRequest, policy = deliveryPolicy): Promise<DeliveryResult> => {
  const deadline = Date.now() + policy.totalBudgetMs
  let retries = 0
  let plannedDelayMs = 0
  const timeLeft = () => deadline - Date.now()
  try {
    const response: AxiosResponse<string> = await http.post(request.url, request.body, {
      headers: request.headers,
      timeout: Math.min(policy.attemptTimeoutMs, timeLeft()),
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
