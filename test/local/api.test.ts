import { randomUUID } from 'node:crypto'
import { Client } from '@botpress/client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { requestBodyValidator, responseBodyValidator } from '../../local/api/schemas'
import { startApiServer, type ApiServer } from '../../local/api/server'
import type { Message } from '@botpress/client'

const BOT = randomUUID() // Botpress bot ids are UUIDs
const OTHER_BOT = randomUUID()
const TOKEN = 'token-a'
const OTHER_BOT_TOKEN = 'token-b'

let api: ApiServer
const created: Array<{ botId: string; message: Message }> = []

beforeAll(async () => {
  api = await startApiServer({
    integrationName: 'messaging-api',
    declaredTags: { user: ['id'], channels: { channel: { conversation: ['id'], message: ['id', 'conversationId'] } } },
    tokens: { [TOKEN]: BOT, [OTHER_BOT_TOKEN]: OTHER_BOT },
    onMessageCreated: (botId, message) => created.push({ botId, message }),
  })
})
afterAll(() => api.close())
beforeEach(() => {
  api.setFault(undefined)
  api.setLatency(0)
})

let unique = 0
const fresh = (name: string) => `${name}-${++unique}-${Date.now()}`

type CallResult = { status: number; body: any; headers: Headers }

/** A raw HTTP call; a 2xx body must match the route's response schema in Botpress's OpenAPI document */
const call = async (
  operationId: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, 'x-bot-id': BOT }
): Promise<CallResult> => {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const json = await res.json()
  if (res.ok) {
    const validator = responseBodyValidator(operationId)
    expect(validator.validate(json), `${operationId} response: ${validator.errors()}`).toBe(true)
  }
  return { status: res.status, body: json, headers: res.headers }
}

/** The request body the test sends must itself be valid for Botpress */
const valid = (operationId: string, body: unknown) => {
  const validator = requestBodyValidator(operationId)!
  expect(validator.validate(body), `${operationId} request: ${validator.errors()}`).toBe(true)
  return body
}

const expectError = (result: CallResult, status: number, type: string) => {
  expect(result.status).toBe(status)
  expect(result.body).toEqual({
    id: expect.stringMatching(/^err_\d{14}x[0-9A-F]{8}$/),
    code: status,
    type,
    message: expect.any(String),
  })
}

const newUser = async () =>
  (await call('createUser', 'POST', '/v1/chat/users', valid('createUser', { tags: { id: fresh('u') } }))).body.user
const newConversation = async () =>
  (
    await call(
      'createConversation',
      'POST',
      '/v1/chat/conversations',
      valid('createConversation', { channel: 'channel', tags: { id: fresh('c') } })
    )
  ).body.conversation

describe('routes, validated against the runtime OpenAPI document', () => {
  it('users: create, get-or-create, get, list, update', async () => {
    const tags = { id: fresh('u') }
    const createdUser = await call('createUser', 'POST', '/v1/chat/users', valid('createUser', { tags, name: 'Ann' }))
    expect(createdUser.status).toBe(200)
    const user = createdUser.body.user
    expect(user).toMatchObject({ id: expect.stringMatching(/^user_[0-9A-Z]{26}$/), tags, name: 'Ann' })
    expect(new Date(user.createdAt).toISOString()).toBe(user.createdAt)

    const found = await call(
      'getOrCreateUser',
      'POST',
      '/v1/chat/users/get-or-create',
      valid('getOrCreateUser', { tags })
    )
    expect(found.body.user).toEqual(user)
    expect((await call('getUser', 'GET', `/v1/chat/users/${user.id}`)).body.user).toEqual(user)
    expect((await call('listUsers', 'GET', `/v1/chat/users?tags.id=${tags.id}`)).body).toEqual({
      users: [user],
      meta: {},
    })

    const update = valid('updateUser', { name: null, pictureUrl: 'https://example.com/a.png' })
    const updated = (await call('updateUser', 'PUT', `/v1/chat/users/${user.id}`, update)).body.user
    expect(updated).toEqual({
      ...user,
      name: undefined,
      pictureUrl: 'https://example.com/a.png',
      updatedAt: expect.any(String),
    })
    expect(updated).not.toHaveProperty('name')
  })

  it('conversations: create, get-or-create, get, list, update', async () => {
    const conversation = await newConversation()
    expect(conversation).toMatchObject({
      id: expect.stringMatching(/^conv_[0-9A-Z]{26}$/),
      channel: 'channel',
      integration: 'messaging-api',
    })
    const body = valid('getOrCreateConversation', { channel: 'channel', tags: conversation.tags })
    const found = await call('getOrCreateConversation', 'POST', '/v1/chat/conversations/get-or-create', body)
    expect(found.body.conversation).toEqual(conversation)
    expect(
      (await call('getConversation', 'GET', `/v1/chat/conversations/${conversation.id}`)).body.conversation
    ).toEqual(conversation)
    const listed = await call('listConversations', 'GET', `/v1/chat/conversations?tags.id=${conversation.tags.id}`)
    expect(listed.body.conversations).toEqual([conversation])
    const update = valid('updateConversation', { tags: { id: 'renamed' } })
    const updated = await call('updateConversation', 'PUT', `/v1/chat/conversations/${conversation.id}`, update)
    expect(updated.body.conversation.tags).toEqual({ id: 'renamed' })
  })

  it('messages: create, get-or-create, get, list, update', async () => {
    const [user, conversation] = [await newUser(), await newConversation()]
    const body = { type: 'text', payload: { text: 'hi' }, userId: user.id, conversationId: conversation.id }
    const message = (
      await call(
        'createMessage',
        'POST',
        '/v1/chat/messages',
        valid('createMessage', { ...body, tags: { id: fresh('m') } })
      )
    ).body.message
    expect(message).toMatchObject({ ...body, id: expect.stringMatching(/^msg_[0-9A-Z]{26}$/), direction: 'incoming' })

    const found = await call(
      'getOrCreateMessage',
      'POST',
      '/v1/chat/messages/get-or-create',
      valid('getOrCreateMessage', { ...body, tags: message.tags })
    )
    expect(found.body.message).toEqual(message)
    expect((await call('getMessage', 'GET', `/v1/chat/messages/${message.id}`)).body.message).toEqual(message)
    const listed = await call('listMessages', 'GET', `/v1/chat/messages?conversationId=${conversation.id}`)
    expect(listed.body.messages).toEqual([message])
    const update = valid('updateMessage', { tags: { conversationId: 'c' } })
    const updated = await call('updateMessage', 'PUT', `/v1/chat/messages/${message.id}`, update)
    expect(updated.body.message.tags).toEqual({ ...message.tags, conversationId: 'c' })
  })

  it('states: get, set, get-or-set, patch', async () => {
    const path = `/v1/chat/states/conversation/${(await newConversation()).id}/memory`
    expectError(await call('getState', 'GET', path), 404, 'ResourceNotFound')
    const set = await call('setState', 'POST', path, valid('setState', { payload: { a: 1 } }))
    expect(set.body.state).toMatchObject({ type: 'conversation', name: 'memory', botId: BOT, payload: { a: 1 } })
    const kept = await call(
      'getOrSetState',
      'POST',
      `${path}/get-or-set`,
      valid('getOrSetState', { payload: { a: 2 } })
    )
    expect(kept.body.state.payload).toEqual({ a: 1 })
    const patched = await call('patchState', 'PATCH', path, valid('patchState', { payload: { b: 2 } }))
    expect(patched.body.state.payload).toEqual({ a: 1, b: 2 })
    expect((await call('getState', 'GET', path)).body.state.payload).toEqual({ a: 1, b: 2 })
  })

  it('answers the real @botpress/client on every route it uses', async () => {
    const client = new Client({ apiUrl: api.url, token: TOKEN, botId: BOT })
    const { user } = await client.getOrCreateUser({ tags: { id: fresh('u') } })
    const { conversation } = await client.getOrCreateConversation({ channel: 'channel', tags: { id: fresh('c') } })
    const { message } = await client.getOrCreateMessage({
      type: 'text',
      payload: { text: 'x' },
      userId: user.id,
      conversationId: conversation.id,
      tags: { id: 'm', conversationId: conversation.tags.id! },
    })
    expect((await client.listMessages({ tags: { conversationId: conversation.tags.id! } })).messages).toEqual([message])
    expect((await client.listUsers({ tags: { id: user.tags.id! } })).users).toEqual([user])
    await client.setState({ type: 'user', id: user.id, name: 's', payload: { n: 1 } })
    expect((await client.getState({ type: 'user', id: user.id, name: 's' })).state.payload).toEqual({ n: 1 })
    await expect(client.getUser({ id: 'user_nope' })).rejects.toMatchObject({ type: 'ResourceNotFound', code: 404 })
  })
})

describe('get-or-create', () => {
  it('matches on every given tag without discriminateByTags, on the listed ones with it', async () => {
    const [user, conversation] = [await newUser(), await newConversation()]
    const base = { type: 'text', payload: { text: 'hi' }, userId: user.id, conversationId: conversation.id }
    const id = fresh('m')
    const first = await call('getOrCreateMessage', 'POST', '/v1/chat/messages/get-or-create', {
      ...base,
      tags: { id, conversationId: 'c1' },
    })
    const otherConversation = { ...base, tags: { id, conversationId: 'c2' } }
    const byAllTags = await call('getOrCreateMessage', 'POST', '/v1/chat/messages/get-or-create', otherConversation)
    expect(byAllTags.body.message.id).not.toBe(first.body.message.id)

    const byIdOnly = await call(
      'getOrCreateMessage',
      'POST',
      '/v1/chat/messages/get-or-create',
      valid('getOrCreateMessage', { ...base, tags: { id, conversationId: 'c3' }, discriminateByTags: ['id'] })
    )
    expect(byIdOnly.body.message.id).toBe(first.body.message.id)
  })

  it('is not scoped to the conversation: only tags decide, as in Botpress', async () => {
    const [user, a, b] = [await newUser(), await newConversation(), await newConversation()]
    const tags = { id: fresh('m') }
    const send = (conversationId: string) =>
      call('getOrCreateMessage', 'POST', '/v1/chat/messages/get-or-create', {
        type: 'text',
        payload: { text: 'hi' },
        userId: user.id,
        conversationId,
        tags,
      })
    expect((await send(b.id)).body.message.id).toBe((await send(a.id)).body.message.id)
  })

  it('creates exactly one object under 50 concurrent identical calls', async () => {
    const tags = { id: fresh('u') }
    const users = await Promise.all(
      Array.from({ length: 50 }, () => call('getOrCreateUser', 'POST', '/v1/chat/users/get-or-create', { tags }))
    )
    expect(new Set(users.map((result) => result.body.user.id)).size).toBe(1)
    expect(api.store.all('users').filter((user) => user.tags.id === tags.id)).toHaveLength(1)

    const [user, conversation] = [users[0]!.body.user, await newConversation()]
    const before = created.length
    const message = { type: 'text', payload: { text: 'x' }, userId: user.id, conversationId: conversation.id }
    const messages = await Promise.all(
      Array.from({ length: 50 }, () =>
        call('getOrCreateMessage', 'POST', '/v1/chat/messages/get-or-create', { ...message, tags: { id: 'once' } })
      )
    )
    expect(new Set(messages.map((result) => result.body.message.id)).size).toBe(1)
    expect(created.length - before).toBe(1) // the bot is notified once
  })

  it('scopes data per bot', async () => {
    const tags = { id: fresh('u') }
    const a = await call('getOrCreateUser', 'POST', '/v1/chat/users/get-or-create', { tags })
    const b = await call(
      'getOrCreateUser',
      'POST',
      '/v1/chat/users/get-or-create',
      { tags },
      { authorization: `Bearer ${OTHER_BOT_TOKEN}`, 'x-bot-id': OTHER_BOT }
    )
    expect(b.body.user.id).not.toBe(a.body.user.id)
    expectError(
      await call('getUser', 'GET', `/v1/chat/users/${a.body.user.id}`, undefined, {
        authorization: `Bearer ${OTHER_BOT_TOKEN}`,
        'x-bot-id': OTHER_BOT,
      }),
      404,
      'ResourceNotFound'
    )
  })
})

describe('refusals', () => {
  it('refuses tags the integration does not declare', async () => {
    expectError(await call('createUser', 'POST', '/v1/chat/users', { tags: { email: 'x' } }), 400, 'InvalidPayload')
    const conversation = { channel: 'channel', tags: { id: 'c', secret: 'x' } }
    expectError(await call('createConversation', 'POST', '/v1/chat/conversations', conversation), 400, 'InvalidPayload')
    const [user, conv] = [await newUser(), await newConversation()]
    const message = { type: 'text', payload: {}, userId: user.id, conversationId: conv.id, tags: { externalId: 'x' } }
    const refused = await call('getOrCreateMessage', 'POST', '/v1/chat/messages/get-or-create', message)
    expectError(refused, 400, 'InvalidPayload')
    expect(refused.body.message).toContain('externalId')
    const update = await call('updateUser', 'PUT', `/v1/chat/users/${user.id}`, { tags: { nope: 'x' } })
    expectError(update, 400, 'InvalidPayload')
  })

  it('refuses a missing, unknown or foreign token', async () => {
    const path = '/v1/chat/users/get-or-create'
    const body = { tags: { id: 'x' } }
    expectError(await call('getOrCreateUser', 'POST', path, body, { 'x-bot-id': BOT }), 401, 'Unauthorized')
    const unknown = { authorization: 'Bearer nope', 'x-bot-id': BOT }
    expectError(await call('getOrCreateUser', 'POST', path, body, unknown), 401, 'Unauthorized')
    const foreign = { authorization: `Bearer ${OTHER_BOT_TOKEN}`, 'x-bot-id': BOT }
    expectError(await call('getOrCreateUser', 'POST', path, body, foreign), 403, 'Forbidden')
  })

  it('refuses bodies that break the OpenAPI schema, unknown ids and unknown routes', async () => {
    expectError(await call('createUser', 'POST', '/v1/chat/users', { name: 'no tags' }), 400, 'InvalidPayload')
    expectError(await call('getMessage', 'GET', '/v1/chat/messages/msg_nope'), 404, 'ResourceNotFound')
    const orphan = {
      type: 'text',
      payload: {},
      userId: 'user_01XXXXXXXXXXXXXXXXXXXXXXXX',
      conversationId: 'conv_01XXXXXXXXXXXXXXXXXXXXXXXX',
      tags: {},
    }
    expectError(await call('createMessage', 'POST', '/v1/chat/messages', orphan), 400, 'ReferenceNotFound')
    expectError(await call('none', 'GET', '/v1/chat/nothing'), 404, 'ResourceNotFound')
  })
})

describe('recording, latency and faults', () => {
  it('records every call with its route, status and timing', async () => {
    const before = api.calls.length
    await call('getUser', 'GET', '/v1/chat/users/user_missing')
    const recorded = api.calls.slice(before)
    expect(recorded).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/v1/chat/users/user_missing',
        route: 'getUser',
        status: 404,
        botId: BOT,
      }),
    ])
    expect(recorded[0]!.endedAt).toBeGreaterThanOrEqual(recorded[0]!.startedAt)
  })

  it('adds the configured latency to each call', async () => {
    api.setLatency(150)
    const started = Date.now()
    await call('getOrCreateUser', 'POST', '/v1/chat/users/get-or-create', { tags: { id: 'slow' } })
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
  })

  it('injects a status, a delay or a dropped connection on the chosen route only', async () => {
    api.setFault((c) => (c.route === 'getOrCreateUser' ? { status: 503 } : undefined))
    expect((await call('getOrCreateUser', 'POST', '/v1/chat/users/get-or-create', { tags: { id: 'x' } })).status).toBe(
      503
    )
    expect((await call('createUser', 'POST', '/v1/chat/users', { tags: { id: fresh('u') } })).status).toBe(200)
    expect(api.calls.at(-2)).toMatchObject({ route: 'getOrCreateUser', status: 503, faulted: true })

    api.setFault(() => ({ status: 429, headers: { 'retry-after': '7' } }))
    const limited = await call('getUser', 'GET', '/v1/chat/users/x')
    expectError(limited, 429, 'RateLimited')
    expect(limited.headers.get('retry-after')).toBe('7')

    api.setFault(() => ({ destroySocket: true }))
    await expect(fetch(`${api.url}/v1/chat/users/x`)).rejects.toThrow()

    api.setFault(() => ({ delayMs: 200 }))
    await expect(fetch(`${api.url}/v1/chat/users/x`, { signal: AbortSignal.timeout(50) })).rejects.toThrow()
  })
})
