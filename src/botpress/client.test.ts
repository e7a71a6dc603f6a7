import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../../local/api/server'
import { botpressClientFor } from './client'

// The cache is seen from outside through what botpressClientFor returns: the same object for a token whose client is
// kept, a new one each time for a token whose client is not. Each client talks to the local Botpress API over HTTP.
const botId = randomUUID()
const goodToken = 'bp_pat_good'
const scope = { botId, integrationId: 'intver_1', integrationAlias: 'messaging-api' }
let api: ApiServer
let savedApiUrl: string | undefined

beforeAll(async () => {
  api = await startApiServer({
    integrationName: 'messaging-api',
    declaredTags: { user: ['id'], channels: { channel: { conversation: ['id'], message: ['id', 'conversationId'] } } },
    tokens: { [goodToken]: botId },
  })
  savedApiUrl = process.env.BP_API_URL
  process.env.BP_API_URL = api.url
})
afterAll(async () => {
  process.env.BP_API_URL = savedApiUrl
  await api.close()
})

const refusedStatus = (thrown: unknown) => (thrown as { code?: number }).code

it('keeps a Personal Access Token’s client once Botpress answered it, and never one Botpress refused', async () => {
  const first = botpressClientFor(scope, goodToken)
  // Not kept before Botpress answered
  expect(botpressClientFor(scope, goodToken)).not.toBe(first)
  await first.listConversations({})
  const kept = botpressClientFor(scope, goodToken)
  expect(botpressClientFor(scope, goodToken)).toBe(kept)
  await kept.listConversations({})

  // More refused tokens than the cache holds (500): none is kept, the working client stays
  for (let i = 0; i < 600; i++) {
    const token = `bp_pat_refused_${i}`
    const refused = botpressClientFor(scope, token)
    await expect(refused.listConversations({}).catch(refusedStatus)).resolves.toBe(401)
    expect(botpressClientFor(scope, token)).not.toBe(botpressClientFor(scope, token))
  }
  expect(botpressClientFor(scope, goodToken)).toBe(kept)
})

it('keeps the integration’s own client at once: Botpress gave that token', () => {
  expect(botpressClientFor(scope)).toBe(botpressClientFor(scope))
})
