import { randomBytes } from 'node:crypto'
import { RuntimeError, messages } from '@botpress/sdk'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { channel } from '../../definitions/channels'
import type * as bp from '../bp'
import { sendMessage } from './send-message'
import { closeEndpoints, refusedUrl, startEndpoint, type Endpoint } from '../../test/helpers/endpoint'

type Props = Parameters<typeof sendMessage>[0]
type LogLine = { level: string; message: string }

/** What the SDK hands the handler, reduced to what it uses: `ack` and the logger record their calls. */
const handlerProps = (
  configuration: bp.Configuration,
  overrides: { type?: string; payload?: unknown; conversationTags?: Record<string, string>; ack?: Props['ack'] } = {}
) => {
  const acks: unknown[] = []
  const logs: LogLine[] = []
  const log = (level: string) => (message: string) => logs.push({ level, message })
  const botLogger = { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') }
  const ack: Props['ack'] =
    overrides.ack ??
    (async (props) => {
      acks.push(props)
    })
  const props = {
    ctx: { botId: 'bot_1', integrationId: 'int_1', configuration },
    type: overrides.type ?? 'text',
    payload: overrides.payload ?? { text: 'Hello from the bot' },
    conversation: { id: 'conv_1', tags: overrides.conversationTags ?? { id: 'ext-conv-1' } },
    message: { id: 'msg_1', tags: {} },
    user: { id: 'user_1', tags: {} },
    ack,
    logger: { forBot: () => botLogger },
    client: {},
  } as unknown as Props
  return { props, acks, logs }
}

const thrownBy = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise
  } catch (thrown) {
    return thrown
  }
  return undefined
}

afterEach(closeEndpoints)

describe('a delivered message', () => {
  it('reaches the endpoint once, with the documented body and headers', async () => {
    const endpoint = await startEndpoint([{ status: 200 }])
    const { props, acks, logs } = handlerProps({ responseEndpointURL: endpoint.url })
    await sendMessage(props)
    expect(endpoint.received).toHaveLength(1)
    expect(JSON.parse(endpoint.received[0]?.rawBody ?? '')).toEqual({
      type: 'text',
      payload: { text: 'Hello from the bot' },
      conversationId: 'ext-conv-1',
      botpressUserId: 'user_1',
      botpressMessageId: 'msg_1',
      botpressConversationId: 'conv_1',
    })
    expect(endpoint.received[0]?.headers['webhook-id']).toBe('msg_1')
    expect(acks).toEqual([])
    expect(logs).toEqual([])
  })

  it('is signed when a signing secret is configured', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`
    const endpoint = await startEndpoint([{ status: 200 }])
    await sendMessage(handlerProps({ responseEndpointURL: endpoint.url, signingSecret: secret }).props)
    const received = endpoint.received[0]
    const headers = received?.headers as Record<string, string>
    expect(() => new Webhook(secret).verify(received?.rawBody ?? '', headers)).not.toThrow()
  })

  it('carries conversationId null for a conversation with no external id', async () => {
    const endpoint = await startEndpoint([{ status: 200 }])
    await sendMessage(handlerProps({ responseEndpointURL: endpoint.url }, { conversationTags: {} }).props)
    const body = JSON.parse(endpoint.received[0]?.rawBody ?? '')
    expect(body).toHaveProperty('conversationId', null)
    expect(body.botpressConversationId).toBe('conv_1')
  })
})

describe('a pull-only install (no Response Endpoint URL)', () => {
  it('sends nothing, acknowledges nothing and succeeds: the message waits in Botpress to be pulled', async () => {
    const { props, acks, logs } = handlerProps({})
    await expect(sendMessage(props)).resolves.toBeUndefined()
    expect(acks).toEqual([])
    expect(logs).toEqual([])
  })
})

describe('the endpoint id (ack)', () => {
  const answered = async (status: number, responseBody: string, contentType = 'application/json') => {
    const endpoint = await startEndpoint([{ status, body: responseBody, headers: { 'content-type': contentType } }])
    const handler = handlerProps({ responseEndpointURL: endpoint.url })
    await sendMessage(handler.props)
    expect(endpoint.received).toHaveLength(1)
    return handler
  }

  it('is stored as the tag id when the endpoint answers a JSON object with a string id', async () => {
    const { acks, logs } = await answered(200, '{"id":"ext-1","status":"queued"}')
    expect(acks).toEqual([{ tags: { id: 'ext-1' } }])
    expect(logs).toEqual([])
  })

  it('is read from any 2xx answer, whatever its content-type', async () => {
    expect((await answered(201, '{"id":"ext-2"}', 'text/plain')).acks).toEqual([{ tags: { id: 'ext-2' } }])
    expect((await answered(202, ' {"id":"ext-3"} ')).acks).toEqual([{ tags: { id: 'ext-3' } }])
  })

  it.each([
    ['an empty answer', ''],
    ['plain text', 'ok'],
    ['broken JSON', '{"id":"ext-1"'],
    ['a JSON object without id', '{"status":"ok"}'],
    ['a numeric id', '{"id":42}'],
    ['a null id', '{"id":null}'],
    ['an object id', '{"id":{"value":"ext-1"}}'],
    ['an empty id', '{"id":""}'],
    ['an array', '[{"id":"ext-1"}]'],
    ['a JSON string', '"ext-1"'],
    ['JSON null', 'null'],
    ['an id longer than 255 characters', JSON.stringify({ id: 'x'.repeat(256) })],
  ])('is not stored for %s: no ack', async (_case, responseBody) => {
    const { acks, logs } = await answered(200, responseBody)
    expect(acks).toEqual([])
    expect(logs).toEqual([])
  })

  it('is not stored from a 204', async () => {
    expect((await answered(204, '')).acks).toEqual([])
  })

  it('failing to be stored does not fail the delivered message: a warning is logged', async () => {
    const endpoint = await startEndpoint([{ status: 200, body: '{"id":"ext-9"}' }])
    const ackCalls: unknown[] = []
    const { props, logs } = handlerProps(
      { responseEndpointURL: endpoint.url },
      {
        ack: async (ackProps) => {
          ackCalls.push(ackProps)
          throw new Error('Botpress API unavailable')
        },
      }
    )
    await expect(sendMessage(props)).resolves.toBeUndefined()
    expect(ackCalls).toEqual([{ tags: { id: 'ext-9' } }])
    expect(endpoint.received).toHaveLength(1)
    expect(logs).toHaveLength(1)
    expect(logs[0]?.level).toBe('warn')
    expect(logs[0]?.message).toContain('msg_1')
    // The error's own message may quote anything: the log names its class only
    expect(logs[0]?.message).toContain('unexpected Error')
    expect(logs[0]?.message).not.toContain('Botpress API unavailable')
  })
})

describe('a failed delivery', () => {
  const signingSecret = `whsec_${randomBytes(32).toString('base64')}`
  const headerSecret = 'header-secret-7f3a9c'
  const querySecret = 'query-secret-b81d2e'

  const failWith = async (endpoint: Pick<Endpoint, 'url'>) => {
    const { props, acks, logs } = handlerProps({
      responseEndpointURL: `${endpoint.url}?token=${querySecret}`,
      signingSecret,
      responseEndpointHeaders: { authorization: `Bearer ${headerSecret}` },
    })
    const thrown = await thrownBy(sendMessage(props))
    expect(thrown).toBeInstanceOf(RuntimeError)
    const message = (thrown as Error).message
    for (const secret of [signingSecret, signingSecret.slice('whsec_'.length), headerSecret, querySecret]) {
      expect(message).not.toContain(secret)
      expect(JSON.stringify(logs)).not.toContain(secret)
    }
    expect(acks).toEqual([])
    // The SDK logs a thrown RuntimeError for the bot owner itself: a log line of ours would print it twice
    expect(logs).toEqual([])
    return message
  }

  it('throws a RuntimeError naming the host and the final status (a 4xx, not retried)', async () => {
    const endpoint = await startEndpoint([{ status: 400, body: '{"error":"bad"}' }])
    const message = await failWith(endpoint)
    expect(endpoint.received).toHaveLength(1)
    // The status is read after the host: a port number can hold any three digits
    expect(message).toContain(`message msg_1 to ${endpoint.host}: HTTP 400`)
  })

  it('names the last status after the retries are spent', async () => {
    const endpoint = await startEndpoint([{ status: 503 }, { status: 502 }, { status: 500 }])
    const message = await failWith(endpoint)
    expect(endpoint.received).toHaveLength(3)
    expect(message).toBe(
      `Messaging API could not deliver message msg_1 to ${endpoint.host}: HTTP 500 after 3 attempt(s)`
    )
  })

  it('names the network error when nothing answers', async () => {
    const url = await refusedUrl()
    const message = await failWith({ url })
    expect(message).toContain(new URL(url).host)
    expect(message).toContain('ECONNREFUSED')
  })

  it('throws a RuntimeError without a request when the configuration is unusable', async () => {
    const endpoint = await startEndpoint([{ status: 200 }])
    for (const configuration of [
      { responseEndpointURL: 'not a url' },
      { responseEndpointURL: endpoint.url, responseEndpointHeaders: { 'bad header': 'x' } },
      { responseEndpointURL: endpoint.url, signingSecret: 'whsec_***' },
    ]) {
      const { props, acks } = handlerProps(configuration)
      expect(await thrownBy(sendMessage(props))).toBeInstanceOf(RuntimeError)
      expect(acks).toEqual([])
    }
    expect(endpoint.received).toHaveLength(0)
  })
})

describe('a retried message', () => {
  afterEach(() => void vi.useRealTimers())

  it('carries the webhook-id, timestamp and signature of its first attempt on every retry, as the clock moves on', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`
    // Only Date is faked (timers stay real): each attempt moves the sender's clock 7 s on, so a timestamp computed
    // again for an attempt differs every time, not only when a retry happens to cross a second boundary
    const firstAttemptAt = Math.floor(Date.now() / 1000) * 1000
    vi.useFakeTimers({ toFake: ['Date'], now: firstAttemptAt })
    const endpoint = await startEndpoint((_request, attempt) => {
      vi.setSystemTime(Date.now() + 7_000)
      return attempt < 3 ? { status: 503 } : { status: 200 }
    })
    await sendMessage(handlerProps({ responseEndpointURL: endpoint.url, signingSecret: secret }).props)
    vi.useRealTimers()

    expect(endpoint.received).toHaveLength(3)
    const [first, ...retries] = endpoint.received
    expect(first?.headers['webhook-timestamp']).toBe(String(firstAttemptAt / 1000))
    for (const retry of retries) {
      expect(retry.rawBody).toBe(first?.rawBody)
      for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
        expect(retry.headers[name], name).toBe(first?.headers[name])
      }
    }
  })
})

describe('every message type of the channel', () => {
  const samples: Record<string, unknown> = {
    text: { text: 'Hello' },
    image: { imageUrl: 'https://example.com/cat.png', title: 'A cat' },
    audio: { audioUrl: 'https://example.com/meow.mp3' },
    video: { videoUrl: 'https://example.com/cat.mp4', title: 'Cat video' },
    file: { fileUrl: 'https://example.com/cat.pdf', title: 'cat.pdf' },
    location: { latitude: 45.5017, longitude: -73.5673, address: '1 Rue Sainte-Catherine', title: 'Montréal' },
    carousel: {
      items: [
        {
          title: 'First',
          subtitle: 'One',
          imageUrl: 'https://example.com/1.png',
          actions: [{ action: 'postback', label: 'Pick', value: 'first' }],
        },
        { title: 'Second', actions: [{ action: 'url', label: 'Open', value: 'https://example.com/2' }] },
      ],
    },
    card: {
      title: 'A card',
      subtitle: 'With actions',
      imageUrl: 'https://example.com/card.png',
      actions: [
        { action: 'say', label: 'Say hi', value: 'hi' },
        { action: 'url', label: 'Docs', value: 'https://botpress.com' },
      ],
    },
    dropdown: {
      text: 'Pick a size',
      options: [
        { label: 'Small', value: 's' },
        { label: 'Large', value: 'l' },
      ],
    },
    choice: {
      text: 'Yes or no?',
      options: [
        { label: 'Yes', value: 'yes' },
        { label: 'No', value: 'no' },
      ],
    },
    bloc: {
      items: [
        { type: 'text', payload: { text: 'Look:' } },
        { type: 'image', payload: { imageUrl: 'https://example.com/look.png' } },
        { type: 'location', payload: { latitude: 0, longitude: 0 } },
      ],
    },
    markdown: { markdown: '# Title\n\n**bold** and `code`' },
  }
  const sdkMessages: Record<string, { schema: { parse: (value: unknown) => unknown } }> = {
    ...messages.defaults,
    markdown: messages.markdown,
  }

  it('covers the defaults and markdown, with payloads the SDK accepts', () => {
    expect(Object.keys(samples).sort()).toEqual(Object.keys(channel.messages).sort())
    expect(Object.keys(channel.messages).sort()).toEqual([...Object.keys(messages.defaults), 'markdown'].sort())
    for (const [type, payload] of Object.entries(samples)) {
      expect(sdkMessages[type]?.schema.parse(payload), type).toEqual(payload)
    }
  })

  it.each(Object.entries(samples))('delivers %s with its type and payload unchanged', async (type, payload) => {
    const endpoint = await startEndpoint([{ status: 200 }])
    await sendMessage(handlerProps({ responseEndpointURL: endpoint.url }, { type, payload }).props)
    expect(endpoint.received).toHaveLength(1)
    const body = JSON.parse(endpoint.received[0]?.rawBody ?? '')
    expect(body.type).toBe(type)
    expect(body.payload).toEqual(payload)
  })
})
