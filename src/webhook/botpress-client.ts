import { Client, axiosRetry, type axios } from '@botpress/client'
import { IntegrationSpecificClient } from '@botpress/sdk'
import { createHash } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type * as bp from '../bp'

type AxiosError = axios.AxiosError

// The caller waits for the answer: each call is short, and only a fast failure is tried once more. A timed-out
// call is not repeated, which keeps the worst case of two sequential steps under the 10 s the contract promises.
const callTimeoutMs = 4_000
const transientStatuses: ReadonlySet<number> = new Set([500, 502, 503, 504])

/**
 * The client the SDK hands to handlers waits out every 429 (uncapped) and repeats it three times; a caller must not
 * be held that long. A 429 is passed on instead, with the Retry-After Botpress gave, which the client's error would
 * otherwise drop: it is copied into the error body's metadata before the client turns the body into an error.
 */
const keepRetryAfter = (error: AxiosError) => {
  const { response } = error
  const retryAfter = response?.headers?.['retry-after']
  const body = response?.data
  if (response?.status === 429 && retryAfter !== undefined && typeof body === 'object' && body !== null) {
    const metadata = (body as { metadata?: object }).metadata
    Object.assign(body, { metadata: { ...metadata, retryAfter: String(retryAfter) } })
  }
}

const retry = {
  retries: 1,
  retryDelay: () => 50 + Math.random() * 100,
  retryCondition: (error: AxiosError) => {
    keepRetryAfter(error)
    const status = error.response?.status
    return status === undefined ? axiosRetry.isNetworkError(error) : transientStatuses.has(status)
  },
  onMaxRetryTimesExceeded: keepRetryAfter,
}

export type BotpressClient = bp.Client

type ClientScope = { botId: string; integrationId: string; integrationAlias: string }

// Building a client creates an axios instance and agent: reuse one per bot and token. Holding no state, a client
// evicted from the cache is simply built again.
const clients = new LRUCache<string, BotpressClient>({ max: 500 })

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
