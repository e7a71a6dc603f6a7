import { messages } from '@botpress/sdk'
import { Webhook } from 'standardwebhooks'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Reply } from '../../local'
import { send, textMessage } from '../helpers/caller'
import { useRuntime, writeFromElsewhere } from '../helpers/harness'

const card = { title: 'Plan', actions: [{ action: 'url', label: 'Open', value: 'https://example.com' }] }
const replyOfEveryType: Reply[] = [
  { type: 'text', payload: { text: 'Hello' } },
  { type: 'markdown', payload: { markdown: '**Hello**' } },
  { type: 'image', payload: { imageUrl: 'https://example.com/a.png', title: 'A' } },
  { type: 'audio', payload: { audioUrl: 'https://example.com/a.mp3' } },
  { type: 'video', payload: { videoUrl: 'https://example.com/a.mp4' } },
  { type: 'file', payload: { fileUrl: 'https://example.com/a.pdf', title: 'Report' } },
  { type: 'location', payload: { latitude: 48.85, longitude: 2.35, title: 'Paris' } },
  { type: 'card', payload: card },
  { type: 'carousel', payload: { items: [card, card] } },
  { type: 'choice', payload: { text: 'Pick', options: [{ label: 'A', value: 'a' }] } },
  { type: 'dropdown', payload: { text: 'Pick', options: [{ label: 'B', value: 'b' }] } },
  { type: 'bloc', payload: { items: [{ type: 'text', payload: { text: 'one' } }] } },
]

const harness = useRuntime()

beforeEach(async () => {
  await harness.runtime.configure({ responseEndpointURL: harness.endpoint.url })
  harness.runtime.setBot(() => [{ type: 'text', payload: { text: 'ok' } }])
  harness.endpoint.setResponder(() => ({ status: 200, body: '{}' }))
})

const converse = async (body = textMessage()) => {
  const response = await send(harness.runtime, { body, token: harness.runtime.personalAccessToken })
  expect(response.status).toBe(200)
  await harness.runtime.idle()
  return { body, response }
}

const lastDeliveries = (count: number) => harness.runtime.deliveries.slice(-count)

// The bot's turn on the caller's message is recorded on it (typing start and stop): not the delivery's calls
const callsBesideTheTurn = (callerMessageId: string) =>
  harness.runtime.apiCalls.filter((call) => call.path !== `/v1/chat/messages/${callerMessageId}`)

describe('delivery', () => {
  it('POSTs every message type of the channel, one request each, with exactly the documented body', async () => {
    const channelTypes = Object.keys({ ...messages.defaults, markdown: messages.markdown }).sort()
    expect(replyOfEveryType.map((reply) => reply.type).sort()).toEqual(channelTypes)
    harness.runtime.setBot(() => replyOfEveryType)

    const { body, response } = await converse()

    expect(harness.endpoint.received).toHaveLength(replyOfEveryType.length)
    const botMessages = harness.runtime.store
      .messages()
      .filter((m) => m.conversationId === response.body.conversation.id)
    harness.endpoint.received.forEach((request, index) => {
      const reply = replyOfEveryType[index]!
      const sent = botMessages.find((m) => m.id === request.headers['webhook-id'])
      expect(request.method).toBe('POST')
      expect(request.path).toBe('/replies')
      expect(request.body).toEqual({
        type: reply.type,
        payload: reply.payload,
        conversationId: body.conversationId,
        botpressUserId: harness.runtime.botUserId,
        botpressMessageId: sent?.id,
        botpressConversationId: response.body.conversation.id,
      })
    })
    expect(lastDeliveries(replyOfEveryType.length).every((d) => d.status === 200)).toBe(true)
  })

  it('sends the documented headers, unsigned without a signing secret', async () => {
    await converse()
    const [request] = harness.endpoint.received
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.headers['user-agent']).toMatch(/^botpress-messaging-api\/\d+\.\d+\.\d+$/)
    expect(request?.headers['webhook-id']).toBe((request?.body as { botpressMessageId: string }).botpressMessageId)
    expect(Math.abs(Number(request?.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30)
    expect(request?.headers['webhook-signature']).toBeUndefined()
  })

  it('signs with the signing secret and adds the configured headers', async () => {
    const signingSecret = `whsec_${Buffer.from('a signing key of thirty-two bytes').toString('base64')}`
    const responseEndpointHeaders = { 'x-api-key': 'endpoint-key-123', 'webhook-id': 'must-not-win' }
    await harness.runtime.configure({
      responseEndpointURL: harness.endpoint.url,
      signingSecret,
      responseEndpointHeaders,
    })

    await converse()
    const [request] = harness.endpoint.received
    expect(request?.headers['x-api-key']).toBe('endpoint-key-123')
    expect(request?.headers['webhook-id']).toMatch(/^msg_/)
    const headers = request?.headers as Record<string, string>
    expect(new Webhook(signingSecret).verify(request?.rawBody ?? '', headers)).toEqual(request?.body)
    expect(() => new Webhook(signingSecret).verify(`${request?.rawBody} `, headers)).toThrow()
  })

  it('sends conversationId null for a conversation not created through the integration', async () => {
    const { conversation } = await writeFromElsewhere(harness.runtime)

    expect(harness.endpoint.received).toHaveLength(1)
    expect(harness.endpoint.received[0]?.body).toMatchObject({
      conversationId: null,
      botpressConversationId: conversation.id,
    })
  })
})

describe("the endpoint's answer", () => {
  it('makes no Botpress API call when the answer holds no id', async () => {
    harness.endpoint.setResponder(() => ({ status: 202, body: 'accepted' }))
    const body = textMessage()
    const sent = await send(harness.runtime, { body, token: harness.runtime.personalAccessToken })
    harness.runtime.clearApiCalls()
    await harness.runtime.idle()

    expect(harness.endpoint.received).toHaveLength(1)
    expect(lastDeliveries(1)[0]?.status).toBe(200)
    expect(callsBesideTheTurn(sent.body.message.id)).toEqual([])
  })

  it('stores a returned id on the bot message as its tag id (the ack), with one API call', async () => {
    harness.endpoint.setResponder(() => ({ status: 200, body: JSON.stringify({ id: 'crm-msg-77' }) }))
    const body = textMessage()
    const sent = await send(harness.runtime, { body, token: harness.runtime.personalAccessToken })
    harness.runtime.clearApiCalls()
    await harness.runtime.idle()

    const botMessageId = harness.endpoint.received[0]?.headers['webhook-id']
    expect(harness.runtime.store.messages().find((m) => m.id === botMessageId)?.tags).toEqual({ id: 'crm-msg-77' })
    expect(callsBesideTheTurn(sent.body.message.id).map((call) => call.route)).toEqual(['updateMessage'])
  })

  it('fails the delivery after a 4xx, naming the host and status to the bot owner, without retrying', async () => {
    const signingSecret = `whsec_${Buffer.from('another secret key of 32 bytes!!').toString('base64')}`
    await harness.runtime.configure({
      responseEndpointURL: harness.endpoint.url,
      signingSecret,
      responseEndpointHeaders: { authorization: 'Bearer endpoint-secret-456' },
    })
    harness.endpoint.setResponder(() => ({ status: 400, body: 'no' }))
    const logStart = harness.runtime.integrationLogs.length

    await converse()

    expect(harness.endpoint.received).toHaveLength(1)
    const [delivery] = lastDeliveries(1)
    expect(delivery?.status).toBeGreaterThanOrEqual(400)
    expect(delivery?.body).toContain(harness.endpoint.host)
    expect(delivery?.body).toContain('HTTP 400')
    const logs = harness.runtime.integrationLogs.slice(logStart).join('\n')
    expect(logs).toContain(harness.endpoint.host)
    // Once: the SDK logs the thrown RuntimeError itself, so the handler does not log it too
    const failureLines = harness.runtime.integrationLogs
      .slice(logStart)
      .filter((line) => line.includes('could not deliver'))
    expect(failureLines).toHaveLength(1)
    for (const secret of [signingSecret, 'endpoint-secret-456']) {
      expect(delivery?.body).not.toContain(secret)
      expect(logs).not.toContain(secret)
    }
  })
})

describe('register', () => {
  it('never calls the endpoint, and succeeds while the endpoint is down', async () => {
    await harness.runtime.configure({ responseEndpointURL: `${harness.endpoint.url}?saved=1` })
    await harness.runtime.configure({ responseEndpointURL: 'http://127.0.0.1:9/replies' })
    expect(harness.endpoint.received).toEqual([])
  })
})
