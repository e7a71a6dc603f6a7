import { describe, expect, it } from 'vitest'
import { send, textMessage } from '../helpers/caller'
import { useRuntime } from '../helpers/harness'
import { pull } from '../helpers/pull'

const harness = useRuntime()

const post = (body: unknown, path = '') =>
  send(harness.runtime, { body, path, token: harness.runtime.personalAccessToken })

const snapshot = () => ({
  users: harness.runtime.store.users(),
  conversations: harness.runtime.store.conversations(),
  messages: harness.runtime.store.messages(),
})

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

describe('invalid queries', () => {
  it('answers 400 invalid_query naming the parameter', async () => {
    const body = textMessage()
    const posted = await post(body)
    const other = await post(textMessage())
    const cursor: string = posted.body.cursor
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ limit: '0' }, ['limit']],
      [{ limit: '101' }, ['limit']],
      [{ limit: '2.5' }, ['limit']],
      [{ limit: 'ten' }, ['limit']],
      [{ wait: '9' }, ['wait']],
      [{ wait: '-1' }, ['wait']],
      [{ wait: 'soon' }, ['wait']],
      [{ after: '' }, ['after']],
      [{ after: 'forged' }, ['after']],
      [{ after: cursor.slice(0, -3) }, ['after']],
      [{ after: `${cursor.slice(0, 4)}${cursor[4] === 'x' ? 'y' : 'x'}${cursor.slice(5)}` }, ['after']],
      [{ after: other.body.cursor }, ['after']],
      [{ limit: '0', wait: '10' }, ['wait', 'limit']],
    ]
    for (const [query, paths] of cases) {
      const response = await pull(harness.runtime, body.conversationId, query)
      expect(response.status, JSON.stringify(query)).toBe(400)
      expect(response.body.code).toBe('invalid_query')
      expect(response.body.issues.map((issue: { path: string }) => issue.path)).toEqual(paths)
    }
  })

  it('refuses an invalid wait on POST, before storing anything', async () => {
    const before = snapshot()
    for (const wait of ['9', 'x', '-2', '']) {
      const response = await post(textMessage(), `?wait=${wait}`)
      expect(response.status).toBe(400)
      expect(response.body).toMatchObject({ code: 'invalid_query', issues: [{ path: 'wait' }] })
    }
    expect(snapshot()).toEqual(before)
  })
})

describe('routes and authentication', () => {
  it('answers 405 with Allow: GET on the pull path, 404 beside it, and keeps POST only on the root', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await send(harness.runtime, { method, path: '/conversations/c/messages', body: {} })
      expect(response.status).toBe(405)
      expect(response.headers.get('allow')).toBe('GET')
    }
    for (const path of ['/conversations/c', '/conversations/c/messages/x', '/conversations//messages', '/messages']) {
      expect((await send(harness.runtime, { method: 'GET', path })).status).toBe(404)
    }
    const root = await send(harness.runtime, { method: 'GET' })
    expect(root.status).toBe(405)
    expect(root.headers.get('allow')).toBe('POST')
  })

  it('refuses a missing or wrong token as POST does, before any Botpress call', async () => {
    const body = textMessage()
    await post(body)
    await harness.runtime.idle()
    harness.runtime.clearApiCalls()
    const missing = await pull(harness.runtime, body.conversationId, {}, null)
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toBe('Bearer')
    expect(harness.runtime.apiCalls).toEqual([])
    const malformed = await send(harness.runtime, {
      method: 'GET',
      path: `/conversations/${body.conversationId}/messages`,
      headers: { authorization: 'Basic abc' },
    })
    expect(malformed.status).toBe(401)
    expect(harness.runtime.apiCalls).toEqual([])
    const refused = await pull(harness.runtime, body.conversationId, {}, 'bp_pat_not-a-real-token')
    expect(refused.status).toBe(401)
    expect(refused.body.code).toBe('unauthorized')
    expect(refused.text).not.toContain('bp_pat_not-a-real-token')
  })

  it('takes the webhook secret when one is configured', async () => {
    const body = textMessage()
    await post(body)
    await harness.runtime.idle()
    await harness.runtime.configure({ responseEndpointURL: harness.endpoint.url, webhookSecret: 'pull-secret-1' })
    try {
      harness.runtime.clearApiCalls()
      expect((await pull(harness.runtime, body.conversationId, {}, 'wrong-secret')).status).toBe(401)
      expect(harness.runtime.apiCalls).toEqual([])
      const allowed = await pull(harness.runtime, body.conversationId, {}, 'pull-secret-1')
      expect(allowed.status).toBe(200)
      expect(harness.runtime.apiCalls.every((call) => call.credential === 'integration')).toBe(true)
    } finally {
      await harness.runtime.configure({ responseEndpointURL: harness.endpoint.url })
    }
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
    await harness.runtime.botSay(recreated, { type: 'text', payload: { text: 'new life' } }, { deliver: false })

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

describe('Botpress failing a pull', () => {
  it('is a 502 upstream_error, a Botpress 400 included (the query was checked before), told to the bot owner', async () => {
    const body = textMessage()
    await post(body)
    await harness.runtime.idle()
    for (const status of [400, 500, 503]) {
      harness.runtime.setFault((call) => (call.route === 'listMessages' ? { status } : undefined))
      const logStart = harness.runtime.integrationLogs.length
      const response = await pull(harness.runtime, body.conversationId)
      expect(response.status).toBe(502)
      expect(response.body.code).toBe('upstream_error')
      await expect
        .poll(() => harness.runtime.integrationLogs.slice(logStart).join('\n'))
        .toContain('failed on a pull of messages')
    }
  })
})
