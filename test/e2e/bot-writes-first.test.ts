import { expect, it } from 'vitest'
import { send, textMessage } from '../helpers/caller'
import { useRuntime } from '../helpers/harness'
import { pull } from '../helpers/pull'

// The bot writes first to ids its back end chose (rule 16): through the proactive interfaces' actions a Studio workflow
// calls. Caller → runtime → integration bundle → in-memory API, endpoint real.
const harness = useRuntime({ bot: false })

const post = (body: Record<string, unknown>) =>
  send(harness.runtime, { token: harness.runtime.personalAccessToken, body })
const tagged = <T extends { tags: Record<string, string> }>(items: T[], id: string) =>
  items.filter((item) => item.tags.id === id)

it('a bot writes three messages to a conversation that never wrote; the caller then lands in it', async () => {
  const { runtime, endpoint } = harness
  const ids = textMessage()
  const { conversationId } = await runtime.botApi.callAction('getOrCreateConversation', {
    conversation: { conversationId: ids.conversationId },
  })
  const { userId } = await runtime.botApi.callAction('getOrCreateUser', { user: { userId: ids.userId } })
  expect(conversationId).toMatch(/^conv_/)
  expect(userId).toMatch(/^user_/)

  const texts = ['Your order shipped', 'It arrives Tuesday', 'Reply here with any question']
  for (const text of texts) {
    await runtime.botApi.sendMessage({ conversationId: String(conversationId), type: 'text', payload: { text } })
  }
  expect(endpoint.received.map((request) => request.body)).toEqual(
    texts.map((text) =>
      expect.objectContaining({
        type: 'text',
        payload: { text },
        conversationId: ids.conversationId,
        botpressConversationId: conversationId,
      })
    )
  )
  // A pull by the caller's conversationId lists the bot's first messages, before the caller ever wrote
  const pulled = await pull(runtime, ids.conversationId)
  expect(pulled.status).toBe(200)
  expect(pulled.body.messages.map((item: any) => [item.direction, item.payload.text, item.conversationId])).toEqual(
    texts.map((text) => ['outgoing', text, ids.conversationId])
  )

  const answer = await post(ids)
  expect(answer.status).toBe(200)
  expect(answer.body.conversation.id).toBe(conversationId)
  expect(answer.body.user.id).toBe(userId)
  expect(tagged(runtime.store.conversations(), ids.conversationId)).toHaveLength(1)
  expect(tagged(runtime.store.users(), ids.userId)).toHaveLength(1)
  const inConversation = runtime.store.messages().filter((message) => message.conversationId === conversationId)
  expect(inConversation.map((message) => message.direction)).toEqual(['outgoing', 'outgoing', 'outgoing', 'incoming'])
})

it('the id cache learns what the actions created: the caller’s first message then takes one API call', async () => {
  const { runtime } = harness
  const ids = textMessage()
  await runtime.botApi.callAction('getOrCreateConversation', { conversation: { conversationId: ids.conversationId } })
  await runtime.botApi.callAction('getOrCreateUser', { user: { userId: ids.userId } })
  runtime.clearApiCalls()
  expect((await post(ids)).status).toBe(200)
  expect(runtime.apiCalls.map((call) => call.route)).toEqual(['getOrCreateMessage'])
})

it('a caller who wrote first: the actions then answer the conversation and user it landed in', async () => {
  const { runtime } = harness
  const ids = textMessage()
  const answer = await post(ids)
  expect(answer.status).toBe(200)
  const conversation = await runtime.botApi.callAction('getOrCreateConversation', {
    conversation: { conversationId: ids.conversationId },
  })
  const user = await runtime.botApi.callAction('getOrCreateUser', { user: { userId: ids.userId } })
  expect(conversation).toEqual({ conversationId: answer.body.conversation.id })
  expect(user).toEqual({ userId: answer.body.user.id })
  expect(tagged(runtime.store.conversations(), ids.conversationId)).toHaveLength(1)
  expect(tagged(runtime.store.users(), ids.userId)).toHaveLength(1)
})

it('getOrCreateUser accepts the interface’s email, keeps nothing of it, and answers the same user', async () => {
  const { runtime } = harness
  const { userId: externalId } = textMessage()
  const first = await runtime.botApi.callAction('getOrCreateUser', {
    user: { userId: externalId },
    email: 'ann@example.com',
  })
  const stored = runtime.store.users().find((user) => user.id === first.userId)
  expect(stored?.tags).toEqual({ id: externalId })
  expect(JSON.stringify(stored)).not.toContain('ann@example.com')
  expect(await runtime.botApi.callAction('getOrCreateUser', { user: { userId: externalId } })).toEqual(first)
})

it('getOrCreateUser sets name and picture on creation and updates them when they differ', async () => {
  const { runtime } = harness
  const { userId: externalId } = textMessage()
  const first = await runtime.botApi.callAction('getOrCreateUser', {
    user: { userId: externalId },
    name: 'Ann',
    pictureUrl: 'https://pictures.example/ann.png',
  })
  const stored = () => runtime.store.users().find((user) => user.id === first.userId)
  expect(stored()).toMatchObject({ name: 'Ann', pictureUrl: 'https://pictures.example/ann.png' })

  runtime.clearApiCalls()
  const same = await runtime.botApi.callAction('getOrCreateUser', { user: { userId: externalId }, name: 'Ann' })
  expect(same.userId).toBe(first.userId)
  expect(runtime.apiCalls.map((call) => call.route)).toEqual(['getOrCreateUser'])

  runtime.clearApiCalls()
  const renamed = await runtime.botApi.callAction('getOrCreateUser', { user: { userId: externalId }, name: 'Ann B.' })
  expect(renamed.userId).toBe(first.userId)
  expect(runtime.apiCalls.map((call) => call.route)).toEqual(['getOrCreateUser', 'updateUser'])
  expect(stored()).toMatchObject({ name: 'Ann B.', pictureUrl: 'https://pictures.example/ann.png' })
})

it('a bot script reacting to one conversation can start another and write to it through the api it is given', async () => {
  const { runtime, endpoint } = harness
  const ids = textMessage()
  const other = `${ids.conversationId}-follow-up`
  runtime.setBot(async ({ api }) => {
    const started = await api.callAction('messaging-api:getOrCreateConversation', {
      conversation: { conversationId: other },
    })
    await api.sendMessage({
      conversationId: String(started.conversationId),
      type: 'text',
      payload: { text: 'Elsewhere' },
    })
    return [{ type: 'text', payload: { text: 'Here' } }]
  })
  try {
    expect((await post(ids)).status).toBe(200)
    await runtime.idle()
  } finally {
    runtime.setBot(false)
  }
  const received = endpoint.received.map((request) => request.body as { conversationId: string; payload: unknown })
  expect(received.map((body) => [body.conversationId, body.payload])).toEqual([
    [other, { text: 'Elsewhere' }],
    [ids.conversationId, { text: 'Here' }],
  ])
})

it('a bot message that breaks its type’s schema is refused, as Botpress refuses it, and nothing is sent', async () => {
  const { runtime, endpoint } = harness
  const { conversationId } = await runtime.botApi.callAction('getOrCreateConversation', {
    conversation: { conversationId: textMessage().conversationId },
  })
  const before = runtime.store.messages().length
  await expect(
    runtime.botApi.sendMessage({ conversationId: String(conversationId), type: 'text', payload: {} })
  ).rejects.toThrow(/payload\.text: Required/)
  expect(runtime.store.messages().length).toBe(before)
  expect(endpoint.received).toEqual([])
})
