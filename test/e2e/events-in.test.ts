import { describe, expect, it } from 'vitest'
import { send, textMessage, type CallerResponse } from '../helpers/caller'
import { storeSnapshot, useRuntime } from '../helpers/harness'
import { pull } from '../helpers/pull'

// A caller's event (POST /events) through the local runtime and its default bot, which answers an event with a
// message naming it.
const harness = useRuntime()

let counter = 0
const newEvent = (overrides: Record<string, unknown> = {}) => {
  counter += 1
  return {
    userId: `event-user-${counter}`,
    conversationId: `event-conversation-${counter}`,
    eventId: `event-${counter}`,
    name: 'order.shipped',
    payload: { order: `o-${counter}` },
    ...overrides,
  }
}
const postEvent = (body: unknown, query = '', token: string | null = harness.runtime.personalAccessToken) =>
  send(harness.runtime, { path: `/events${query}`, body, token })
const routes = () => harness.runtime.apiCalls.map((call) => call.route)
const eventsOf = (conversationId: string) =>
  harness.runtime.store.events().filter((e) => e.conversationId === conversationId)
const conversationOf = (conversationId: string) =>
  harness.runtime.store.conversations().find((conversation) => conversation.tags.id === conversationId)!
const botTexts = () => harness.endpoint.received.map((request) => (request.body as any)?.payload?.text)

describe('POST /events', () => {
  it('creates one Botpress event with the Botpress ids, the caller’s values in its payload, and answers with them', async () => {
    const body = newEvent({ userName: 'Ada' })
    const response = await postEvent(body)
    expect(response.status, response.text).toBe(200)
    const conversation = conversationOf(body.conversationId)
    const user = harness.runtime.store.users().find((candidate) => candidate.tags.id === body.userId)!
    expect(user.name).toBe('Ada')
    const [event, ...others] = eventsOf(conversation.id)
    expect(others).toEqual([])
    expect(event).toMatchObject({
      type: 'backEndEvent',
      conversationId: conversation.id,
      userId: user.id,
      payload: {
        name: body.name,
        payload: body.payload,
        eventId: body.eventId,
        conversationId: body.conversationId,
        userId: body.userId,
      },
    })
    expect(response.body).toEqual({
      event: { id: event!.id, name: body.name, createdAt: event!.createdAt },
      conversation: { id: conversation.id },
      user: { id: user.id },
      cursor: expect.any(String),
    })
    // The bot reacted to it in the conversation; a pull with the cursor gives its answer
    await harness.runtime.idle()
    expect(botTexts()).toEqual(['Your back end sent the event order.shipped'])
    const pulled = await pull(harness.runtime, body.conversationId, { after: response.body.cursor })
    expect(pulled.body.messages.map((item: any) => [item.direction, item.payload.text])).toEqual([
      ['outgoing', 'Your back end sent the event order.shipped'],
    ])
  })

  it('takes a missing or null payload as {}', async () => {
    const body = newEvent({ payload: null })
    expect((await postEvent(body)).status).toBe(200)
    const { payload: _, ...withoutPayload } = newEvent()
    expect((await postEvent(withoutPayload)).status).toBe(200)
    for (const conversationId of [body.conversationId, withoutPayload.conversationId]) {
      expect(eventsOf(conversationOf(conversationId).id)[0]?.payload.payload).toEqual({})
    }
  })

  it('lands on the user and conversation a message with the same ids made, and the other way round', async () => {
    const message = textMessage()
    const posted = await send(harness.runtime, { token: harness.runtime.personalAccessToken, body: message })
    const event = await postEvent(newEvent({ userId: message.userId, conversationId: message.conversationId }))
    expect(event.body.conversation.id).toBe(posted.body.conversation.id)
    expect(event.body.user.id).toBe(posted.body.user.id)

    const first = newEvent()
    const before = await postEvent(first)
    const after = await send(harness.runtime, {
      token: harness.runtime.personalAccessToken,
      body: textMessage({ userId: first.userId, conversationId: first.conversationId }),
    })
    expect([after.body.conversation.id, after.body.user.id]).toEqual([before.body.conversation.id, before.body.user.id])
    expect(harness.runtime.store.conversations().filter((c) => c.tags.id === first.conversationId)).toHaveLength(1)
  })

  it('answers a repeat of (conversationId, eventId) with the first event, creating nothing; the bot reacts once', async () => {
    const body = newEvent()
    const first = await postEvent(body)
    await harness.runtime.idle()
    const snapshot = storeSnapshot(harness.runtime)
    harness.runtime.clearApiCalls()
    const repeat = await postEvent({ ...body, payload: { changed: true } })
    expect(repeat.status).toBe(200)
    expect(repeat.body.event).toEqual(first.body.event)
    expect(repeat.body.cursor).toBe(first.body.cursor)
    // Cached user and conversation: the look-up of the conversation's events is the only call
    expect(routes()).toEqual(['listEvents'])
    await harness.runtime.idle()
    expect(storeSnapshot(harness.runtime)).toEqual(snapshot)
    expect(botTexts()).toHaveLength(1)
    // The same eventId in another conversation is another event
    const elsewhere = await postEvent({ ...body, conversationId: `${body.conversationId}-other` })
    expect(elsewhere.body.event.id).not.toBe(first.body.event.id)
  })

  it('costs Botpress 3 calls in a known conversation, 5 in a new one; a repeat 1', async () => {
    const body = newEvent()
    await postEvent(body)
    expect(routes().sort()).toEqual([
      'createEvent',
      'getOrCreateConversation',
      'getOrCreateUser',
      'listEvents',
      'updateConversation',
    ])
    harness.runtime.clearApiCalls()
    await postEvent({ ...body, eventId: `${body.eventId}-2` })
    expect(routes()).toEqual(['listEvents', 'createEvent', 'updateConversation'])
    harness.runtime.clearApiCalls()
    await postEvent({ ...body, eventId: `${body.eventId}-2` })
    expect(routes()).toEqual(['listEvents'])
  })

  it('marks the conversation with the new event’s time, where a wait on any copy reads it', async () => {
    const body = newEvent()
    const markOf = () => conversationOf(body.conversationId).tags.callerEventAt
    const first = await postEvent(body)
    expect(markOf()).toBe(first.body.event.createdAt)
    const second = await postEvent({ ...body, eventId: `${body.eventId}-2` })
    expect(markOf()).toBe(second.body.event.createdAt)
    // A repeat of the first changes nothing
    await postEvent(body)
    expect(markOf()).toBe(second.body.event.createdAt)
  })

  it('a mark that fails is a warning without content: the event is stored and answered 200', async () => {
    const body = newEvent({ payload: { secretWord: 'marker-in-payload' } })
    const logsBefore = harness.runtime.integrationLogs.length
    harness.runtime.setFault((call) => (call.route === 'updateConversation' ? { status: 500 } : undefined))
    const response = await postEvent(body)
    harness.runtime.setFault(undefined)
    expect(response.status, response.text).toBe(200)
    expect(eventsOf(response.body.conversation.id)).toHaveLength(1)
    const logs = harness.runtime.integrationLogs.slice(logsBefore)
    expect(logs.filter((line) => line.includes('could not mark conversation'))).toHaveLength(1)
    expect(logs.join('\n')).not.toContain('marker-in-payload')
  })

  it('with ?wait, answers with the bot’s replies after the event and a cursor after them', async () => {
    const body = newEvent({ name: 'cart.abandoned' })
    const response = await postEvent(body, '?wait=5')
    expect(response.status).toBe(200)
    expect(response.body.replies.map((reply: any) => [reply.direction, reply.payload.text])).toEqual([
      ['outgoing', 'Your back end sent the event cart.abandoned'],
    ])
    const pulled = await pull(harness.runtime, body.conversationId, { after: response.body.cursor })
    expect(pulled.body.messages).toEqual([])
  })

  it('passes a Botpress 400 on the event on as invalid_body, and a Botpress failure as upstream_error', async () => {
    const body = newEvent()
    harness.runtime.setFault((call) => (call.route === 'createEvent' ? { status: 400 } : undefined))
    const refused = await postEvent(body)
    expect([refused.status, refused.body.code]).toEqual([400, 'invalid_body'])
    expect(refused.body.message).toMatch(/^Botpress rejected the event: /)
    harness.runtime.setFault((call) => (call.route === 'listEvents' ? { status: 500 } : undefined))
    const failed = await postEvent(body)
    expect([failed.status, failed.body.code]).toEqual([502, 'upstream_error'])
    expect(failed.body.message).toContain('eventId')
    expect(harness.runtime.store.events().filter((e) => e.payload.eventId === body.eventId)).toEqual([])
  })
})

describe('POST /events refusals: the documented 4xx naming the field, nothing created', () => {
  const expectRefused = async (
    request: () => Promise<CallerResponse>,
    status: number,
    code: string,
    paths?: string[]
  ) => {
    const before = storeSnapshot(harness.runtime)
    const response = await request()
    expect([response.status, response.body?.code], response.text).toEqual([status, code])
    if (paths) expect(response.body.issues.map((issue: any) => issue.path)).toEqual(paths)
    await harness.runtime.idle()
    expect(storeSnapshot(harness.runtime)).toEqual(before)
    expect(harness.endpoint.received).toEqual([])
    return response
  }

  it.each([
    ['no name', { name: undefined }, ['name']],
    ['an empty name', { name: '' }, ['name']],
    ['a name over 100 characters', { name: 'n'.repeat(101) }, ['name']],
    ['no eventId', { eventId: undefined }, ['eventId']],
    ['an empty eventId', { eventId: '' }, ['eventId']],
    ['an eventId over 255 characters', { eventId: 'e'.repeat(256) }, ['eventId']],
    ['a payload that is an array', { payload: [1] }, ['payload']],
    ['a payload that is a string', { payload: 'shipped' }, ['payload']],
    ['bad ids', { userId: '', conversationId: 7 }, ['userId', 'conversationId']],
    ['a bad profile', { userName: '', userPictureUrl: 'ftp://a' }, ['userName', 'userPictureUrl']],
  ])('%s: 400 invalid_body', async (_case, change, paths) => {
    await expectRefused(() => postEvent({ ...newEvent(), ...change }), 400, 'invalid_body', paths)
    expect(routes()).toEqual([])
  })

  it('no token: 401 without any Botpress call; another method: 405 Allow POST; too large: 413; not JSON: 400', async () => {
    const response = await expectRefused(() => postEvent(newEvent(), '', null), 401, 'unauthorized')
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/)
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const refused = await expectRefused(
        () => send(harness.runtime, { method, path: '/events', token: harness.runtime.personalAccessToken }),
        405,
        'method_not_allowed'
      )
      expect(refused.headers.get('allow')).toBe('POST')
    }
    const token = harness.runtime.personalAccessToken
    const big = newEvent({ payload: { blob: 'x'.repeat(256 * 1024) } })
    await expectRefused(() => send(harness.runtime, { path: '/events', body: big, token }), 413, 'payload_too_large')
    await expectRefused(() => send(harness.runtime, { path: '/events', raw: '{', token }), 400, 'invalid_json')
    await expectRefused(() => postEvent(newEvent(), '?wait=9'), 400, 'invalid_query')
    expect(routes()).toEqual([])
  })

  it('a token Botpress refuses: 401, nothing created', async () => {
    await expectRefused(() => postEvent(newEvent(), '', 'bp_pat_not-a-real-one'), 401, 'unauthorized')
  })
})

it('logs no event name, payload or profile, on success or failure', async () => {
  const secretish = 'do-not-log-7f3a'
  const body = newEvent({ name: `name-${secretish}`, payload: { card: secretish }, userName: `Ada ${secretish}` })
  expect((await postEvent(body)).status).toBe(200)
  harness.runtime.setFault((call) => (call.route === 'createEvent' ? { status: 500 } : undefined))
  await postEvent({ ...body, eventId: `${body.eventId}-2` })
  await harness.runtime.idle()
  expect(harness.runtime.integrationLogs.join('\n')).not.toContain(secretish)
})
