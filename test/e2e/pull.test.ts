import { describe, expect, it } from 'vitest'
import { send, textMessage } from '../helpers/caller'
import { storeSnapshot, useRuntime } from '../helpers/harness'
import { pull } from '../helpers/pull'

const harness = useRuntime()

const post = (body: unknown, path = '') =>
  send(harness.runtime, { body, path, token: harness.runtime.personalAccessToken })

const snapshot = () => storeSnapshot(harness.runtime)

const writes = () =>
  harness.runtime.apiCalls.filter(
    (call) => !['listMessages', 'listConversations', 'getConversation'].includes(call.route)
  )

describe('pulling a conversation', () => {
  it('lists the caller’s message and the bot’s replies, oldest first, in the outbound shape', async () => {
    const body = textMessage({ conversationId: 'pull/with spaces é' })
    const posted = await post(body)
    await harness.runtime.idle()

    const response = await pull(harness.runtime, body.conversationId)
    expect(response.status).toBe(200)
    const { messages, cursor, hasMore } = response.body
    expect(hasMore).toBe(false)
    expect(typeof cursor).toBe('string')
    expect(messages.map((m: any) => [m.direction, m.type])).toEqual([
      ['incoming', 'text'],
      ['outgoing', 'text'],
      ['outgoing', 'choice'],
    ])
    const conversation = posted.body.conversation
    expect(messages[0]).toEqual({
      type: 'text',
      payload: { text: body.text },
      conversationId: body.conversationId,
      botpressUserId: posted.body.user.id,
      botpressMessageId: posted.body.message.id,
      botpressConversationId: conversation.id,
      direction: 'incoming',
      createdAt: posted.body.message.createdAt,
      messageId: body.messageId,
    })
    expect(messages[1]).toMatchObject({
      payload: { text: `You said: ${body.text}` },
      conversationId: body.conversationId,
      botpressUserId: harness.runtime.botUserId,
      botpressConversationId: conversation.id,
      messageId: null,
    })
    // The bot messages are the ones the endpoint received.
    expect(messages.slice(1).map((m: any) => m.botpressMessageId)).toEqual(
      harness.endpoint.received.map((r) => (r.body as any).botpressMessageId)
    )
  })

  it('continues from the POST answer’s cursor, and answers an empty page with the same cursor', async () => {
    const body = textMessage()
    const posted = await post(body)
    await harness.runtime.idle()
    const replies = await pull(harness.runtime, body.conversationId, { after: posted.body.cursor })
    expect(replies.body.messages.map((m: any) => m.direction)).toEqual(['outgoing', 'outgoing'])

    const empty = await pull(harness.runtime, body.conversationId, { after: replies.body.cursor })
    expect(empty.body).toEqual({ messages: [], cursor: replies.body.cursor, hasMore: false })
    // A repeat of the message gets the same cursor.
    expect((await post(body)).body.cursor).toBe(posted.body.cursor)
  })

  it('pages with limit, hasMore telling when more were there', async () => {
    const body = textMessage()
    await post(body)
    await harness.runtime.idle()
    const first = await pull(harness.runtime, body.conversationId, { limit: 2 })
    expect(first.body.messages).toHaveLength(2)
    expect(first.body.hasMore).toBe(true)
    const second = await pull(harness.runtime, body.conversationId, { limit: 2, after: first.body.cursor })
    expect(second.body.messages).toHaveLength(1)
    expect(second.body.hasMore).toBe(false)
    expect(second.body.messages[0].type).toBe('choice')
  })

  it('costs one Botpress call for a conversation the integration knows', async () => {
    const body = textMessage()
    await post(body)
    await harness.runtime.idle()
    harness.runtime.clearApiCalls()
    const response = await pull(harness.runtime, body.conversationId)
    expect(response.body.messages).toHaveLength(3)
    expect(harness.runtime.apiCalls.map((call) => call.route)).toEqual(['listMessages'])
  })

  it('lists the acknowledged id of a bot message as its messageId', async () => {
    harness.endpoint.setResponder(() => ({ status: 200, body: JSON.stringify({ id: 'endpoint-id-1' }) }))
    const body = textMessage()
    await post(body)
    await harness.runtime.idle()
    const { messages } = (await pull(harness.runtime, body.conversationId)).body
    expect(messages.map((m: any) => m.messageId)).toEqual([body.messageId, 'endpoint-id-1', 'endpoint-id-1'])
    harness.endpoint.setResponder([{ status: 200, body: '{}' }])
  })

  it('gives a bot message’s createdAt, not its updatedAt, which the ack of the endpoint’s id moves', async () => {
    // Every object the API writes gets a time one second after the previous one: the ack's update is later
    let now = Date.parse('2030-01-01T00:00:00.000Z')
    harness.runtime.setClock(() => new Date((now += 1_000)))
    harness.endpoint.setResponder(() => ({ status: 200, body: JSON.stringify({ id: 'endpoint-id-2' }) }))
    try {
      const body = textMessage()
      const posted = await post(body)
      await harness.runtime.idle()
      const stored = harness.runtime.store
        .messages()
        .filter((message) => message.conversationId === posted.body.conversation.id)
      // The two replies (the ack of the endpoint's id) and the caller's message (the record of the bot's turn on it)
      expect(stored.filter((message) => message.updatedAt !== message.createdAt)).toHaveLength(3)
      const { messages } = (await pull(harness.runtime, body.conversationId)).body
      expect(messages.map((m: any) => [m.botpressMessageId, m.createdAt])).toEqual(
        stored.map((message) => [message.id, message.createdAt])
      )
    } finally {
      harness.runtime.setClock(undefined)
      harness.endpoint.setResponder([{ status: 200, body: '{}' }])
    }
  })
})

describe('what a pull never does', () => {
  it('answers 404 for an unknown conversation, and creates nothing', async () => {
    const before = snapshot()
    const response = await pull(harness.runtime, 'never-posted-here', { wait: 1 })
    expect(response.status).toBe(404)
    expect(response.body.code).toBe('not_found')
    expect(snapshot()).toEqual(before)
    expect(writes()).toEqual([])
  })

  it('creates nothing when it finds the conversation either', async () => {
    const body = textMessage()
    await post(body)
    await harness.runtime.idle()
    harness.runtime.clearApiCalls()
    const before = snapshot()
    for (const query of [{}, { wait: 1 }, { limit: 1 }]) {
      expect((await pull(harness.runtime, body.conversationId, query)).status).toBe(200)
    }
    expect(snapshot()).toEqual(before)
    expect(writes()).toEqual([])
  })
})

describe('a stale cached conversation', () => {
  const createBehindTheIntegrationsBack = async (conversationId: string) => {
    const response = await fetch(`${harness.runtime.apiUrl}/v1/chat/conversations/get-or-create`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-bot-id': harness.runtime.botId,
        authorization: `Bearer ${harness.runtime.integrationToken}`,
      },
      body: JSON.stringify({ channel: 'channel', tags: { id: conversationId }, discriminateByTags: ['id'] }),
    })
    return ((await response.json()) as { conversation: { id: string } }).conversation.id
  }

  it('counts a wait from the request’s arrival, also when looking the conversation up takes a while', async () => {
    const body = textMessage()
    await createBehindTheIntegrationsBack(body.conversationId)
    harness.runtime.clearApiCalls()
    // Not known to the integration: it looks the conversation up first, which takes longer than the wait
    harness.runtime.setFault((call) => (call.route === 'listConversations' ? { delayMs: 1_500 } : undefined))
    const response = await pull(harness.runtime, body.conversationId, { wait: 1 })
    expect(response.body.messages).toEqual([])
    // The wait was over once the look-up ended: one look at the messages, no polling
    expect(harness.runtime.apiCalls.map((call) => call.route)).toEqual(['listConversations', 'listMessages'])
  })

  it('answers 404 once the conversation is gone', async () => {
    const body = textMessage()
    const posted = await post(body)
    await harness.runtime.idle()
    harness.runtime.store.deleteConversation(posted.body.conversation.id)
    expect((await pull(harness.runtime, body.conversationId)).status).toBe(404)
  })

  it('never hides the messages of a conversation created again under the same id', async () => {
    const body = textMessage()
    const posted = await post(body)
    await harness.runtime.idle()
    harness.runtime.store.deleteConversation(posted.body.conversation.id)
    const recreated = await createBehindTheIntegrationsBack(body.conversationId)
    await harness.runtime.botApi.sendMessage(
      { conversationId: recreated, type: 'text', payload: { text: 'new life' } },
      { deliver: false }
    )

    const response = await pull(harness.runtime, body.conversationId)
    expect(response.status).toBe(200)
    expect(response.body.messages.map((m: any) => [m.payload.text, m.botpressConversationId])).toEqual([
      ['new life', recreated],
    ])
    // The old conversation's cursor names a conversation that is no more.
    const stale = await pull(harness.runtime, body.conversationId, { after: posted.body.cursor })
    expect(stale.status).toBe(400)
    expect(stale.body.issues[0].path).toBe('after')
  })
})
