import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { beforeEach, describe, expect, it } from 'vitest'
import { send, textMessage } from '../helpers/caller'
import type { ReceivedRequest } from '../helpers/endpoint'
import { useRuntime, writeFromElsewhere } from '../helpers/harness'
import { pull } from '../helpers/pull'

// Rule 17: with typingIndicator on and an endpoint, each start and stop of Botpress's typing-indicator interface is
// one signed POST to the endpoint. The local runtime calls them around the bot's turn, as Botpress does, on two
// copies of the integration (operations go to each in turn: start and stop need no memory of each other).
const harness = useRuntime({ integrationCopies: 2 })
const signingSecret = `whsec_${randomBytes(32).toString('base64')}`
const typingOn = () => ({
  responseEndpointURL: harness.endpoint.url,
  signingSecret,
  responseEndpointHeaders: { 'x-api-key': 'endpoint-key' },
  typingIndicator: true,
})

beforeEach(async () => {
  await harness.runtime.configure(typingOn())
  harness.runtime.setBot(() => [
    { type: 'text', payload: { text: 'first' } },
    { type: 'text', payload: { text: 'second' } },
  ])
  harness.endpoint.setResponder(() => ({ status: 200, body: '{}' }))
})

const post = async (ids = textMessage()) => {
  const answer = await send(harness.runtime, { token: harness.runtime.personalAccessToken, body: ids })
  expect(answer.status).toBe(200)
  await harness.runtime.idle()
  return {
    ids,
    message: answer.body.message as { id: string },
    conversation: answer.body.conversation as { id: string },
  }
}

const bodyOf = (request: ReceivedRequest | undefined) => request?.body as Record<string, any>
const isTyping = (request: ReceivedRequest) => bodyOf(request).type === 'typing'

describe('around a bot turn on a caller’s message', () => {
  it('the endpoint hears typing start, then the replies, then typing stop, with the caller’s and Botpress’s ids', async () => {
    const { ids, message, conversation } = await post()
    const received = harness.endpoint.received
    expect(received.map((request) => [bodyOf(request).type, bodyOf(request).payload])).toEqual([
      ['typing', { typing: true }],
      ['text', { text: 'first' }],
      ['text', { text: 'second' }],
      ['typing', { typing: false }],
    ])
    const typing = {
      type: 'typing',
      conversationId: ids.conversationId,
      messageId: ids.messageId,
      botpressConversationId: conversation.id,
      botpressMessageId: message.id,
    }
    expect(bodyOf(received[0])).toEqual({ ...typing, payload: { typing: true } })
    expect(bodyOf(received[3])).toEqual({ ...typing, payload: { typing: false } })
    // Both copies served the typing calls: nothing of a start is kept in memory for its stop
    const typingCopies = harness.runtime.operations
      .filter((each) => each.type === 'startTypingIndicator' || each.type === 'stopTypingIndicator')
      .map((each) => each.copy)
    expect(new Set(typingCopies)).toEqual(new Set([0, 1]))
    expect(harness.runtime.typingEvents.slice(-2).map(({ typing, status }) => ({ typing, status }))).toEqual([
      { typing: true, status: 200 },
      { typing: false, status: 200 },
    ])
  })

  it('signs each typing request with a webhook-id of its own, with the usual headers', async () => {
    await post()
    const received = harness.endpoint.received
    const ids = received.map((request) => String(request.headers['webhook-id']))
    expect(new Set(ids).size).toBe(received.length)
    const messageIds = received
      .filter((request) => !isTyping(request))
      .map((request) => bodyOf(request).botpressMessageId)
    for (const request of received.filter(isTyping)) {
      expect(messageIds).not.toContain(request.headers['webhook-id'])
      expect(request.headers['webhook-id']).not.toBe(bodyOf(request).botpressMessageId)
      expect(request.headers['content-type']).toBe('application/json')
      expect(request.headers['user-agent']).toMatch(/^botpress-messaging-api\/\d+\.\d+\.\d+$/)
      expect(request.headers['x-api-key']).toBe('endpoint-key')
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]))
      expect(new Webhook(signingSecret).verify(request.rawBody, headers)).toEqual(request.body)
      expect(() => new Webhook(signingSecret).verify(`${request.rawBody} `, headers)).toThrow()
    }
  })

  it('a bot script that fails still gets its typing stopped', async () => {
    harness.runtime.setBot(() => [{ type: 'text', payload: {} }])
    await post()
    expect(harness.endpoint.received.map((request) => bodyOf(request).payload)).toEqual([
      { typing: true },
      { typing: false },
    ])
  })
})

describe('pulls', () => {
  it('never carry typing: a pull and a POST ?wait list the messages only', async () => {
    const { ids } = await post()
    const pulled = await pull(harness.runtime, ids.conversationId)
    expect(pulled.body.messages.map((item: { type: string }) => item.type)).toEqual(['text', 'text', 'text'])
    const next = textMessage({ conversationId: ids.conversationId, userId: ids.userId })
    const waited = await send(harness.runtime, {
      token: harness.runtime.personalAccessToken,
      body: next,
      path: '?wait=5',
    })
    expect(waited.status).toBe(200)
    expect(waited.body.replies.map((item: { type: string }) => item.type)).toEqual(['text', 'text'])
    await harness.runtime.idle()
    // The endpoint heard typing for both turns meanwhile
    expect(harness.endpoint.received.filter(isTyping)).toHaveLength(4)
  })
})

describe('one indicator', () => {
  const started = async () => {
    harness.runtime.setBot(false)
    const { ids, message, conversation } = await post()
    harness.endpoint.reset()
    harness.runtime.clearApiCalls()
    return { ids, input: { conversationId: conversation.id, messageId: message.id } }
  }

  it('costs at most 3 Botpress API calls: the conversation’s and the message’s ids, and the turn’s record', async () => {
    const { input } = await started()
    const routes = () => harness.runtime.apiCalls.map((call) => call.route).sort()
    expect(await harness.runtime.botApi.callAction('startTypingIndicator', input)).toEqual({})
    expect(routes()).toEqual(['getConversation', 'getMessage', 'updateMessage'])
    harness.runtime.clearApiCalls()
    expect(await harness.runtime.botApi.callAction('stopTypingIndicator', input)).toEqual({})
    expect(routes()).toEqual(['getConversation', 'getMessage', 'updateMessage'])
    expect(harness.endpoint.received).toHaveLength(2)
  })

  it('gives each request a webhook-id of its own, typing_<uuid>: two starts for one message, two ids', async () => {
    const { input } = await started()
    await harness.runtime.botApi.callAction('startTypingIndicator', input)
    await harness.runtime.botApi.callAction('startTypingIndicator', input)
    const ids = harness.endpoint.received.map((request) => String(request.headers['webhook-id']))
    expect(ids).toHaveLength(2)
    for (const id of ids)
      expect(id).toMatch(/^typing_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(ids[0]).not.toBe(ids[1])
  })

  it('passes Botpress’s timeout on as timeoutMs', async () => {
    const { ids, input } = await started()
    await harness.runtime.botApi.callAction('startTypingIndicator', { ...input, timeout: 30_000 })
    expect(bodyOf(harness.endpoint.received[0])).toMatchObject({
      payload: { typing: true, timeoutMs: 30_000 },
      conversationId: ids.conversationId,
    })
  })

  it('sends conversationId and messageId null when the conversation and message have none', async () => {
    harness.runtime.setBot(() => [{ type: 'text', payload: { text: 'ok' } }])
    const { conversation, message } = await writeFromElsewhere(harness.runtime)
    const typing = harness.endpoint.received.filter(isTyping).map(bodyOf)
    expect(typing).toEqual(
      [true, false].map((on) => ({
        type: 'typing',
        payload: { typing: on },
        conversationId: null,
        messageId: null,
        botpressConversationId: conversation.id,
        botpressMessageId: message.id,
      }))
    )
  })
})

describe('the bot’s turn, recorded on the caller’s message where every copy reads it', () => {
  const storedTags = (id: string) => harness.runtime.store.messages().find((message) => message.id === id)!.tags

  it.each([
    ['typing on', {}],
    ['typing off', { typingIndicator: false }],
  ])('with %s: its start and its end, as times, the end after the start', async (_, change) => {
    await harness.runtime.configure({ ...typingOn(), ...change })
    const { message } = await post()
    const tags = storedTags(message.id)
    expect(Date.parse(tags.turnEndedAt!)).toBeGreaterThanOrEqual(Date.parse(tags.turnStartedAt!))
    // The caller's own tags are kept (Botpress merges the tags of an update)
    expect(tags.id).toBeDefined()
    expect(harness.runtime.typingEvents.slice(-2).map((event) => event.status)).toEqual([200, 200])
  })

  it('a failure to record it is a warning; the action succeeds and the endpoint still hears of it', async () => {
    harness.runtime.setFault((call) => (call.route === 'updateMessage' ? { status: 503 } : undefined))
    const logsBefore = harness.runtime.integrationLogs.length
    const { message } = await post()
    expect(storedTags(message.id)).not.toHaveProperty('turnStartedAt')
    expect(harness.runtime.typingEvents.slice(-2).map((event) => event.status)).toEqual([200, 200])
    expect(harness.endpoint.received.filter(isTyping)).toHaveLength(2)
    const warnings = harness.runtime.integrationLogs.slice(logsBefore).filter((line) => line.includes("bot's turn"))
    expect(
      warnings.map((line) => /record the (start|end) of the bot's turn on message (\S+):/.exec(line)?.slice(1))
    ).toEqual([
      ['start', `${message.id}`],
      ['end', `${message.id}`],
    ])
    for (const line of warnings) expect(line).toMatch(/: the Botpress API answered 5\d\d \w+$/)
  })
})

describe('nothing is sent, and the action succeeds,', () => {
  it.each([
    ['when typingIndicator is off', { typingIndicator: false }],
    ['when typingIndicator is not set', { typingIndicator: undefined }],
  ])('%s', async (_, change) => {
    await harness.runtime.configure({ ...typingOn(), ...change })
    harness.runtime.clearApiCalls()
    const { message, conversation } = await post()
    expect(harness.endpoint.received.map((request) => bodyOf(request).type)).toEqual(['text', 'text'])
    expect(harness.runtime.typingEvents.slice(-2).map((event) => event.status)).toEqual([200, 200])
    harness.runtime.clearApiCalls()
    const input = { conversationId: conversation.id, messageId: message.id }
    expect(await harness.runtime.botApi.callAction('startTypingIndicator', input)).toEqual({})
    // The turn is recorded all the same: one call
    expect(harness.runtime.apiCalls.map((call) => call.route)).toEqual(['updateMessage'])
  })

  it('without a Response Endpoint (pull only), whatever typingIndicator says', async () => {
    await harness.runtime.configure({ typingIndicator: true }, { viewer: false })
    const { message, conversation } = await post()
    harness.runtime.clearApiCalls()
    const input = { conversationId: conversation.id, messageId: message.id }
    expect(await harness.runtime.botApi.callAction('startTypingIndicator', input)).toEqual({})
    expect(await harness.runtime.botApi.callAction('stopTypingIndicator', input)).toEqual({})
    expect(harness.runtime.apiCalls.map((call) => call.route)).toEqual(['updateMessage', 'updateMessage'])
    expect(harness.endpoint.received).toEqual([])
  })
})
