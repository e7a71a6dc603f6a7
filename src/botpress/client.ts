import { Client, axiosRetry, type axios } from '@botpress/client'
import { IntegrationSpecificClient } from '@botpress/sdk'
import { createHash } from 'node:crypto'
import type * as bp from '../bp'
import { lazyCache } from './lazy-cache'

type AxiosError = axios.AxiosError

// The caller waits for the answer: each call is short, and only a fast failure is tried once more (a timed-out call
// is not repeated). The request as a whole is bounded by a deadline of its own (see ingest).
const callTimeoutMs = 4_000
const transientStatuses: ReadonlySet<number> = new Set([500, 502, 503, 504])

/**
 * The client the SDK hands to handlers waits out every 429 (uncapped) and repeats it three times; a caller must not
 * be held that long. A 429 is passed on instead, with the Retry-After Botpress gave. The client builds its error
 * from the body alone, which loses the header and, when the body is not Botpress's (a proxy's page), the 429 itself:
 * the body is replaced by a Botpress rate-limit error carrying the Retry-After before the client reads it.
 */
const keepRateLimit = (error: AxiosError) => {
  const { response } = error
  if (response?.status !== 429) {
    return
  }
  const retryAfter = response.headers?.['retry-after']
  const metadata = retryAfter === undefined ? undefined : { retryAfter: String(retryAfter) }
  response.data = { id: '', code: 429, type: 'RateLimited', message: 'Botpress is rate limiting requests', metadata }
}

const retry = {
  retries: 1,
  retryDelay: () => 50 + Math.random() * 100,
  retryCondition: (error: AxiosError) => {
    keepRateLimit(error)
    const status = error.response?.status
    return status === undefined ? axiosRetry.isNetworkError(error) : transientStatuses.has(status)
  },
  onMaxRetryTimesExceeded: keepRateLimit,
}

export type BotpressClient = bp.Client

type ClientScope = { botId: string; integrationId: string; integrationAlias: string }

// Building a client creates an axios instance: reuse one per bot and token. Holding no state, a client evicted from
// the cache is simply built again.
const clients = lazyCache<BotpressClient>({ max: 500 })

const fingerprint = (token: string) => createHash('sha256').update(token).digest('base64url')

/**
 * A Botpress client for one webhook request: with the caller's Personal Access Token when given, else with the
 * integration's own token (from the environment Botpress runs the integration in). A Personal Access Token's client
 * is kept for the next requests only once Botpress has answered one of its calls: anyone who can reach the webhook
 * may send tokens, and a refused one must take no cache slot (nor push out a real caller's client).
 */
export const botpressClientFor = (
  { botId, integrationId, integrationAlias }: ClientScope,
  personalAccessToken?: string
): BotpressClient => {
  const tokenKey = personalAccessToken === undefined ? 'integration' : fingerprint(personalAccessToken)
  const key = [botId, integrationId, integrationAlias, tokenKey].join('|')
  const cached = clients.get(key)
  if (cached) {
    return cached
  }
  const props = { botId, integrationId, integrationAlias, token: personalAccessToken, timeout: callTimeoutMs, retry }
  const client: BotpressClient = new IntegrationSpecificClient<bp.TIntegration>(new Client(props))
  if (personalAccessToken === undefined) {
    clients.set(key, client)
    return client
  }
  return keptOnceAccepted(client, () => clients.set(key, client))
}

/** The client, whose first call Botpress answers successfully puts it in the cache (`keep`). */
const keptOnceAccepted = (client: BotpressClient, keep: () => void): BotpressClient => {
  let kept = false
  return new Proxy(client, {
    get: (target, property, receiver) => {
      const value: unknown = Reflect.get(target, property, receiver)
      if (kept || typeof value !== 'function') {
        return value
      }
      return async (...args: unknown[]) => {
        const result: unknown = await value.apply(target, args)
        if (!kept) {
          kept = true
          keep()
        }
        return result
      }
    },
  })
}
