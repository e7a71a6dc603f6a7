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

// Building a client creates an axios instance and agent: reuse one per bot and token. Holding no state, a client
// evicted from the cache is simply built again.
const clients = lazyCache<BotpressClient>({ max: 500 })

const fingerprint = (token: string) => createHash('sha256').update(token).digest('base64url')

/**
 * A Botpress client for one webhook request: with the caller's Personal Access Token when given, else with the
 * integration's own token (from the environment Botpress runs the integration in).
 */
export const botpressClientFor = (
  { botId, integrationId, integrationAlias }: ClientScope,
  personalAccessToken?: string
): BotpressClient => {
  const tokenKey = personalAccessToken === undefined ? 'integration' : fingerprint(personalAccessToken)
  const key = [botId, integrationId, integrationAlias, tokenKey].join('|')
  let client = clients.get(key)
  if (!client) {
    const props = { botId, integrationId, integrationAlias, token: personalAccessToken, timeout: callTimeoutMs, retry }
    const vanilla = new Client(props)
    client = new IntegrationSpecificClient<bp.TIntegration>(vanilla)
    clients.set(key, client)
  }
  return client
}
