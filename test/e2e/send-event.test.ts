import { Webhook } from 'standardwebhooks'
import { beforeEach, describe, expect, it } from 'vitest'
import { BotApiError } from '../../local'
import { send, textMessage } from '../helpers/caller'
import { useRuntime, writeFromElsewhere } from '../helpers/harness'

// The bot's sendEvent action (rule 19), called through the local runtime's bot API (action_triggered) on the bundle.
const harness = useRuntime({ bot: false })

beforeEach(async () => {
  await harness.runtime.configure({ responseEndpointURL: harness.endpoint.url })
  harness.endpoint.setResponder(() => ({ status: 200, body: '{}' }))
})

/** A conversation the caller started: its Botpress id, as a bot has it */
const conversation = async () => {
  const body = textMessage()
  const response = await send(harness.runtime, { body, token: harness.runtime.personalAccessToken })
  harness.runtime.clearApiCalls()
  return { botpressId: response.body.conversation.id as string, callerId: body.conversationId }
}

const sendEvent = (input: Record<string, unknown>) => harness.runtime.botApi.callAction('sendEvent', input)

const refusal = async (call: () => Promise<unknown>) => {
  const thrown = await call().then(
    () => undefined,
    (error: unknown) => error
  )
  expect(thrown).toBeInstanceOf(BotApiError)
  return (thrown as BotApiError).message
}

describe('sendEvent', () => {
  it('POSTs one event with exactly the documented body, signed, with the configured headers; returns its id', async () => {
    const signingSecret = `whsec_${Buffer.from('a signing key of thirty-two bytes').toString('base64')}`
    await harness.runtime.configure({
      responseEndpointURL: harness.endpoint.url,
      signingSecret,
      responseEndpointHeaders: { 'x-api-key': 'endpoint-key-123' },
    })
    const { botpressId, callerId } = await conversation()
    const output = await sendEvent({ conversationId: botpressId, name: 'checkout.open', payload: { cart: 'c-1' } })

    expect(output).toEqual({ eventId: expect.stringMatching(/^evt_[0-9a-f-]{36}$/) })
    const [request, ...others] = harness.endpoint.received
    expect(others).toEqual([])
    expect(request?.body).toEqual({
      type: 'event',
      name: 'checkout.open',
      payload: { cart: 'c-1' },
      conversationId: callerId,
      botpressConversationId: botpressId,
      eventId: output.eventId,
    })
    expect(request?.headers['webhook-id']).toBe(output.eventId)
    expect(request?.headers['x-api-key']).toBe('endpoint-key-123')
    expect(
      new Webhook(signingSecret).verify(request?.rawBody ?? '', request?.headers as Record<string, string>)
    ).toEqual(request?.body)
    // One Botpress call: the conversation, for the caller's id of it
    expect(harness.runtime.apiCalls.map((call) => call.route)).toEqual(['getConversation'])
  })

  it('sends payload {} when none is given, a fresh eventId each time, and conversationId null when there is none', async () => {
    const { botpressId } = await conversation()
    const first = await sendEvent({ conversationId: botpressId, name: 'a' })
    const second = await sendEvent({ conversationId: botpressId, name: 'a' })
    expect(first.eventId).not.toBe(second.eventId)
    expect(harness.endpoint.received.map((request) => (request.body as any).payload)).toEqual([{}, {}])

    const elsewhere = await writeFromElsewhere(harness.runtime)
    harness.endpoint.reset()
    await sendEvent({ conversationId: elsewhere.conversation.id, name: 'b' })
    expect(harness.endpoint.received[0]?.body).toMatchObject({ conversationId: null })
  })

  it('retries as a message is retried, byte-identical, with the same webhook-id', async () => {
    harness.endpoint.setResponder([{ status: 503 }, { status: 200, body: '{}' }])
    const { botpressId } = await conversation()
    const { eventId } = await sendEvent({ conversationId: botpressId, name: 'retry.me' })
    const [first, second] = harness.endpoint.received
    expect(harness.endpoint.received).toHaveLength(2)
    expect(second?.rawBody).toBe(first?.rawBody)
    expect([first?.headers['webhook-id'], second?.headers['webhook-id']]).toEqual([eventId, eventId])
    expect(second?.headers['webhook-signature']).toBe(first?.headers['webhook-signature'])
  })

  it('fails naming the endpoint’s host and last status when it is not delivered (3 attempts; a 4xx once)', async () => {
    const { botpressId } = await conversation()
    harness.endpoint.setResponder(() => ({ status: 503 }))
    const unavailable = await refusal(() => sendEvent({ conversationId: botpressId, name: 'lost' }))
    expect(unavailable).toContain(harness.endpoint.host)
    expect(unavailable).toMatch(/HTTP 503 after 3 attempt\(s\)/)
    expect(harness.endpoint.received).toHaveLength(3)

    harness.endpoint.reset()
    harness.endpoint.setResponder(() => ({ status: 404 }))
    const refused = await refusal(() => sendEvent({ conversationId: botpressId, name: 'lost' }))
    expect(refused).toMatch(/HTTP 404 after 1 attempt\(s\)/)
    expect(harness.endpoint.received).toHaveLength(1)
  })

  it('fails saying so when no Response Endpoint is configured, asking Botpress nothing', async () => {
    const { botpressId } = await conversation()
    await harness.runtime.configure({}, { viewer: false })
    const message = await refusal(() => sendEvent({ conversationId: botpressId, name: 'nowhere' }))
    expect(message).toMatch(/no Response Endpoint URL is configured/)
    expect(harness.runtime.apiCalls).toEqual([])
  })

  it('fails on an unknown conversation, sending nothing', async () => {
    const message = await refusal(() => sendEvent({ conversationId: 'conv_unknown', name: 'x' }))
    expect(message).toMatch(/^Send Event to Your Back End failed: the Botpress API answered 404/)
    expect(harness.endpoint.received).toEqual([])
  })

  it.each([
    ['no name', {}, 'name'],
    ['an empty name', { name: '' }, 'name'],
    ['a name over 100 characters', { name: 'n'.repeat(101) }, 'name'],
    ['a payload that is not an object', { name: 'x', payload: [1] }, 'payload'],
    ['an empty conversationId', { name: 'x', conversationId: '' }, 'conversationId'],
  ])('refuses %s naming the field, sending nothing and asking Botpress nothing', async (_case, input, field) => {
    const { botpressId } = await conversation()
    const message = await refusal(() => sendEvent({ conversationId: botpressId, ...input }))
    expect(message).toMatch(new RegExp(`^Invalid input of Send Event to Your Back End: .*\\b${field}: `))
    expect(harness.endpoint.received).toEqual([])
    expect(harness.runtime.apiCalls).toEqual([])
  })
})

describe('the default bot', () => {
  it('answers the message `event` by sending an event, then saying so', async () => {
    harness.runtime.setBot(undefined)
    try {
      const body = textMessage({ text: 'event' })
      await send(harness.runtime, { body, token: harness.runtime.personalAccessToken })
      await harness.runtime.idle()
      const [event, reply] = harness.endpoint.received.map((request) => request.body as any)
      expect(event).toMatchObject({ type: 'event', name: 'bot.hello', conversationId: body.conversationId })
      expect(reply.payload.text).toBe(`I sent your back end the event bot.hello (${event.eventId})`)
    } finally {
      harness.runtime.setBot(false)
    }
  })
})
