import { Client } from '@botpress/client'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../local'
import { startEndpoint, type Endpoint } from './endpoint'

export type Harness = { runtime: LocalRuntime; endpoint: Endpoint }

/**
 * One local runtime and one recording Response Endpoint for a test file, started once and stopped after it; before
 * each test, pending bot work is finished and faults, recorded calls and received requests are cleared. After each
 * test, every delivery the endpoint received must be as openapi.yaml describes.
 */
export const useRuntime = (options: Omit<LocalRuntimeOptions, 'configuration' | 'quiet'> = {}): Harness => {
  const harness = {} as Harness

  beforeAll(async () => {
    harness.endpoint = await startEndpoint(undefined, { path: '/replies' })
    harness.runtime = await startLocalRuntime({
      ...options,
      quiet: true,
      configuration: { responseEndpointURL: harness.endpoint.url },
    })
  })

  afterAll(async () => {
    await harness.runtime?.stop()
    await harness.endpoint?.close()
  })

  afterEach(async () => {
    await harness.runtime.idle()
    harness.endpoint.assertDeliveriesConform()
  })

  beforeEach(async () => {
    await harness.runtime.idle()
    harness.runtime.setFault(undefined)
    harness.runtime.clearApiCalls()
    harness.endpoint.reset()
  })

  return harness
}

/** What the in-memory Botpress holds, to compare before and after a request that must create nothing */
export const storeSnapshot = ({ store }: LocalRuntime) => ({
  users: store.users(),
  conversations: store.conversations(),
  messages: store.messages(),
  events: store.events(),
})

/** A user's message in a conversation created without this integration (no tag `id` on either), then the bot's turn */
export const writeFromElsewhere = async (runtime: LocalRuntime) => {
  const { apiUrl, personalAccessToken: token, botId } = runtime
  const client = new Client({ apiUrl, token, botId })
  const { user } = await client.createUser({ tags: {} })
  const { conversation } = await client.createConversation({ channel: 'channel', tags: {} })
  const { message } = await client.createMessage({
    conversationId: conversation.id,
    userId: user.id,
    type: 'text',
    payload: { text: 'from elsewhere' },
    tags: {},
  })
  await runtime.idle()
  return { conversation, message }
}
