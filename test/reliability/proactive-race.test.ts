import { afterAll, beforeAll, expect, it } from 'vitest'
import { startLocalRuntime, type LocalRuntime } from '../../local'
import { send } from '../helpers/caller'

// Rule 16 under a race: the bot (the proactive interfaces' actions) and a caller use the same new ids at the same moment, on two copies of the integration taking operations in turn. Botpress's
// get-or-create by tag `id` alone must leave one conversation and one user, whoever wins.

const rounds = 50

let runtime: LocalRuntime
beforeAll(async () => {
  runtime = await startLocalRuntime({ quiet: true, bot: false, integrationCopies: 2, apiLatencyMs: 5 })
})
afterAll(() => runtime?.stop())

const tagged = <T extends { tags: Record<string, string> }>(items: T[], id: string) =>
  items.filter((item) => item.tags.id === id)

it(`a bot and a caller racing on the same new ids make one conversation and one user (${rounds} times)`, async () => {
  expect(runtime.integrationPids).toHaveLength(2)
  for (let round = 0; round < rounds; round += 1) {
    const ids = { userId: `race-user-${round}`, conversationId: `race-conversation-${round}` }
    const firstOperation = runtime.operations.length
    const { botApi } = runtime
    const [posted, started, user, startedAgain, userAgain] = await Promise.all([
      send(runtime, {
        token: runtime.personalAccessToken,
        body: { ...ids, messageId: `race-message-${round}`, type: 'text', text: 'hello' },
      }),
      botApi.callAction('getOrCreateConversation', { conversation: { conversationId: ids.conversationId } }),
      botApi.callAction('getOrCreateUser', { user: { userId: ids.userId }, name: `Racer ${round}` }),
      botApi.callAction('getOrCreateConversation', { conversation: { conversationId: ids.conversationId } }),
      botApi.callAction('getOrCreateUser', { user: { userId: ids.userId }, email: `racer-${round}@example.com` }),
    ])
    expect(posted.status).toBe(200)
    const conversations = tagged(runtime.store.conversations(), ids.conversationId)
    const users = tagged(runtime.store.users(), ids.userId)
    expect(conversations).toHaveLength(1)
    expect(users).toHaveLength(1)
    expect([posted.body.conversation.id, started.conversationId, startedAgain.conversationId]).toEqual(
      Array(3).fill(conversations[0]!.id)
    )
    expect([posted.body.user.id, user.userId, userAgain.userId]).toEqual(Array(3).fill(users[0]!.id))
    // Both copies took part in every round
    const copies = new Set(runtime.operations.slice(firstOperation).map((operation) => operation.copy))
    expect(copies).toEqual(new Set([0, 1]))
  }
  expect(runtime.store.messages().filter((message) => message.tags.id?.startsWith('race-message-'))).toHaveLength(
    rounds
  )
})
