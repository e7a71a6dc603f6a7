import { createHmac, randomBytes } from 'node:crypto'
import { RuntimeError } from '@botpress/sdk'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import { integrationName, integrationVersion } from '../../definitions/metadata'
import type * as bp from '../bp'
import { deliver } from './delivery'
import type { OutboundBody } from '../botpress/outbound-body'
import { buildOutboundRequest, buildSignedRequest } from './outbound-request'
import { closeEndpoints, startEndpoint, type ReceivedRequest } from '../../test/helpers/endpoint'

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`

const body: OutboundBody = {
  type: 'text',
  payload: { text: 'Hello, ünïcødé 👋' },
  conversationId: 'ext-conv-1',
  botpressUserId: 'user_01',
  botpressMessageId: 'msg_01',
  botpressConversationId: 'conv_01',
}

/** Builds the request and sends it to a real local endpoint; returns what the endpoint received. */
const sendToEndpoint = async (configuration: Omit<bp.Configuration, 'responseEndpointURL'>, sent = body) => {
  const endpoint = await startEndpoint([{ status: 200 }])
  const request = buildOutboundRequest({ responseEndpointURL: endpoint.url, ...configuration }, sent)
  const result = await deliver(request)
  expect(result).toMatchObject({ ok: true, attempts: 1 })
  expect(endpoint.received).toHaveLength(1)
  return endpoint.received[0] as ReceivedRequest
}

const standardHeaders = (received: ReceivedRequest) => {
  const headers: Record<string, string> = {}
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const value = received.headers[name]
    if (typeof value === 'string') {
      headers[name] = value
    }
  }
  return headers
}

const failure = (run: () => unknown): unknown => {
  try {
    run()
  } catch (thrown) {
    return thrown
  }
  return undefined
}

afterEach(closeEndpoints)

describe('the request the endpoint receives', () => {
  it('is a POST to the configured URL with exactly the documented body', async () => {
    const received = await sendToEndpoint({})
    expect(received.method).toBe('POST')
    expect(received.path).toBe('/hook')
    const parsed = JSON.parse(received.rawBody)
    expect(Object.keys(parsed).sort()).toEqual(
      ['type', 'payload', 'conversationId', 'botpressUserId', 'botpressMessageId', 'botpressConversationId'].sort()
    )
    expect(parsed).toEqual(body)
  })

  it('keeps the path and query of the configured URL', async () => {
    const endpoint = await startEndpoint([{ status: 200 }])
    const request = buildOutboundRequest({ responseEndpointURL: `${endpoint.url}/v2?tenant=a&b=1` }, body)
    expect((await deliver(request)).ok).toBe(true)
    expect(endpoint.received[0]?.path).toBe('/hook/v2?tenant=a&b=1')
  })

  it('sends a null conversationId as null', async () => {
    const received = await sendToEndpoint({}, { ...body, conversationId: null })
    expect(JSON.parse(received.rawBody).conversationId).toBeNull()
  })

  it('carries content-type, user-agent and the Standard Webhooks id and timestamp', async () => {
    const before = Math.floor(Date.now() / 1000)
    const received = await sendToEndpoint({})
    const after = Math.ceil(Date.now() / 1000)
    expect(received.headers['content-type']).toBe('application/json')
    expect(received.headers['user-agent']).toBe(`botpress-${integrationName}/${integrationVersion}`)
    expect(received.headers['user-agent']).toMatch(/^botpress-messaging-api\/\d+\.\d+\.\d+/)
    expect(received.headers['webhook-id']).toBe(body.botpressMessageId)
    const timestamp = received.headers['webhook-timestamp']
    expect(timestamp).toMatch(/^\d+$/)
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before)
    expect(Number(timestamp)).toBeLessThanOrEqual(after)
  })

  it('is not signed when no signing secret is set (nor with an empty one)', async () => {
    expect((await sendToEndpoint({})).headers['webhook-signature']).toBeUndefined()
    expect((await sendToEndpoint({ signingSecret: '' })).headers['webhook-signature']).toBeUndefined()
  })
})

describe('the signature', () => {
  it('verifies with the standardwebhooks library and the configured secret', async () => {
    const secret = newSecret()
    const received = await sendToEndpoint({ signingSecret: secret })
    expect(received.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/)
    expect(new Webhook(secret).verify(received.rawBody, standardHeaders(received))).toEqual(
      JSON.parse(received.rawBody)
    )
  })

  it('is the base64 HMAC-SHA256 of "<id>.<timestamp>.<body>" keyed with the decoded secret', async () => {
    const secret = newSecret()
    const received = await sendToEndpoint({ signingSecret: secret })
    const headers = standardHeaders(received)
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64')
    const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${received.rawBody}`
    const expected = createHmac('sha256', key).update(signed).digest('base64')
    expect(headers['webhook-signature']).toBe(`v1,${expected}`)
  })

  it('fails to verify when the body, the timestamp, the id or the secret change', async () => {
    const secret = newSecret()
    const received = await sendToEndpoint({ signingSecret: secret })
    const headers = standardHeaders(received)
    const webhook = new Webhook(secret)
    const tamperedBody = received.rawBody.replace('msg_01', 'msg_02')
    expect(tamperedBody).not.toBe(received.rawBody)
    expect(() => webhook.verify(tamperedBody, headers)).toThrow()
    expect(() => webhook.verify(`${received.rawBody} `, headers)).toThrow()
    const shiftedTimestamp = String(Number(headers['webhook-timestamp']) + 1)
    expect(() => webhook.verify(received.rawBody, { ...headers, 'webhook-timestamp': shiftedTimestamp })).toThrow()
    expect(() => webhook.verify(received.rawBody, { ...headers, 'webhook-id': 'msg_other' })).toThrow()
    expect(() => new Webhook(newSecret()).verify(received.rawBody, headers)).toThrow()
  })

  it('refuses a signing secret that is not a Standard Webhooks secret with a RuntimeError', () => {
    const thrown = failure(() =>
      buildOutboundRequest(
        { responseEndpointURL: 'https://example.com/hook', signingSecret: 'whsec_%%%not-base64' },
        body
      )
    )
    expect(thrown).toBeInstanceOf(RuntimeError)
    expect((thrown as Error).message).not.toContain('%%%not-base64')
  })
})

describe('configured headers', () => {
  it('are sent with every request', async () => {
    const received = await sendToEndpoint({
      responseEndpointHeaders: { 'X-Api-Key': 'key-123', Authorization: 'Bearer token-456', 'x-empty': '' },
    })
    expect(received.headers['x-api-key']).toBe('key-123')
    expect(received.headers.authorization).toBe('Bearer token-456')
    expect(received.headers['x-empty']).toBe('')
  })

  it('cannot replace the protocol headers, whatever their case', async () => {
    const secret = newSecret()
    const forged = {
      'Content-Type': 'text/plain',
      'USER-AGENT': 'forged-agent/0',
      'webhook-id': 'forged-id',
      'Webhook-Timestamp': '1',
      'Webhook-Signature': 'v1,Zm9yZ2Vk',
      'Content-Length': '3',
      Host: 'forged.example',
      'x-kept': 'yes',
    }
    const signed = await sendToEndpoint({ signingSecret: secret, responseEndpointHeaders: forged })
    expect(signed.headers['content-type']).toBe('application/json')
    expect(signed.headers['user-agent']).toBe(`botpress-${integrationName}/${integrationVersion}`)
    expect(signed.headers['webhook-id']).toBe(body.botpressMessageId)
    expect(signed.headers['webhook-timestamp']).not.toBe('1')
    expect(signed.headers['webhook-signature']).not.toContain('Zm9yZ2Vk')
    expect(signed.headers['x-kept']).toBe('yes')
    expect(signed.headers.host).not.toBe('forged.example')
    expect(JSON.parse(signed.rawBody)).toEqual(body)
    expect(() => new Webhook(secret).verify(signed.rawBody, standardHeaders(signed))).not.toThrow()

    const unsigned = await sendToEndpoint({ responseEndpointHeaders: forged })
    expect(unsigned.headers['webhook-signature']).toBeUndefined()
    expect(unsigned.headers['webhook-id']).toBe(body.botpressMessageId)
  })

  it.each([
    ['a name with a space', { 'x api key': 'v' }],
    ['a name with a colon', { 'x:y': 'v' }],
    ['an empty name', { '': 'v' }],
    ['a name with a non-ASCII letter', { 'x-clé': 'v' }],
    ['a value with CR LF (header injection)', { 'x-key': 'v\r\nx-injected: 1' }],
    ['a value with a NUL', { 'x-key': 'v\u0000' }],
    ['a value beyond Latin-1', { 'x-key': 'v€' }],
    ['a value that is not a string', { 'x-key': 42 }],
    ['a string instead of an object', 'x-key: v'],
    ['an array instead of an object', [['x-key', 'v']]],
  ])('refuse %s with a RuntimeError', (_case, headers) => {
    const configuration = { responseEndpointURL: 'https://example.com/hook', responseEndpointHeaders: headers }
    const thrown = failure(() => buildOutboundRequest(configuration as unknown as bp.Configuration, body))
    expect(thrown).toBeInstanceOf(RuntimeError)
    expect((thrown as Error).message).toMatch(/header/)
  })
})

describe('the Response Endpoint URL', () => {
  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not a string', 42],
    ['without a scheme', 'example.com/hook'],
    ['of another scheme', 'ftp://example.com/hook'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a scheme with no host', 'http://'],
    ['a host with a space', 'http://exa mple.com/hook'],
  ])('is refused with a RuntimeError when %s', (_case, responseEndpointURL) => {
    const thrown = failure(() =>
      buildOutboundRequest({ responseEndpointURL } as unknown as bp.Configuration, { ...body })
    )
    expect(thrown).toBeInstanceOf(RuntimeError)
    expect((thrown as Error).message).toMatch(/Response Endpoint URL/)
  })

  it('accepts http and https URLs, in any case', () => {
    for (const url of ['http://localhost:3000/hook', 'https://api.example.com/bp?x=1', 'HTTPS://EXAMPLE.COM']) {
      expect(buildOutboundRequest({ responseEndpointURL: url }, body).url).toBe(url)
    }
  })
})

describe('buildSignedRequest, which every request to the endpoint goes through', () => {
  it('signs any body with the webhook-id it is given, with the same headers as a bot message', () => {
    const secret = newSecret()
    const configuration = {
      responseEndpointURL: 'https://example.com/hook',
      signingSecret: secret,
      responseEndpointHeaders: { 'x-api-key': 'k', 'webhook-id': 'not-this' },
    }
    const typing = { type: 'typing', payload: { typing: true }, conversationId: null }
    const request = buildSignedRequest(configuration, 'typing_1', typing)
    const message = buildOutboundRequest(configuration, body)
    expect(request.headers['webhook-id']).toBe('typing_1')
    expect(Object.keys(request.headers).sort()).toEqual(Object.keys(message.headers).sort())
    expect(request.headers['x-api-key']).toBe('k')
    expect(new Webhook(secret).verify(request.body, request.headers)).toEqual(typing)
    expect(message.headers['webhook-id']).toBe(body.botpressMessageId)
  })
})
