import { afterAll, beforeAll, expect, it } from 'vitest'
import { startLocalRuntime, type LocalRuntime } from '../../local'
import { botpressClientFor } from './client'
import { ingestMessage } from './ingest'
import type { InboundMessage } from './ingest'

// ingestMessage run here, against the local Botpress API, to see which calls a second installation makes.
let runtime: LocalRuntime
beforeAll(async () => {
  runtime = await startLocalRuntime({ quiet: true, bot: false })
  process.env.BP_API_URL = runtime.apiUrl
})
afterAll(() => runtime?.stop())

const inbound = (messageId: string): InboundMessage => ({
  userId: 'shared-user',
  conversationId: 'shared-conversation',
  messageId,
  type: 'text',
  payload: { text: 'hi' },
  profile: {},
})

it("keeps cached ids per installation: another alias of the same bot does not use the first one's entries", async () => {
  const installation = { botId: runtime.botId, integrationId: runtime.integrationId, integrationAlias: 'first' }
  const other = { ...installation, integrationAlias: 'second' }
  const client = botpressClientFor(installation, runtime.personalAccessToken)

  await ingestMessage(client, installation, inbound('m-1'))
  runtime.clearApiCalls()
  await ingestMessage(client, installation, inbound('m-2'))
  expect(runtime.apiCalls.map((call) => call.route)).toEqual(['getOrCreateMessage'])

  runtime.clearApiCalls()
  await ingestMessage(client, other, inbound('m-3'))
  expect(runtime.apiCalls.map((call) => call.route).sort()).toEqual(
    ['getOrCreateConversation', 'getOrCreateMessage', 'getOrCreateUser'].sort()
  )
})
