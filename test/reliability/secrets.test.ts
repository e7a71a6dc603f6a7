import * as crypto from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startLocalRuntime, type LocalRuntime } from '../../local'
import { assertWebhookSecret, secretsMatch } from '../../src/webhook/auth'
import { send, type CallerResponse } from '../helpers/caller'
import { startEndpoint, type Endpoint, type ReceivedRequest } from '../helpers/endpoint'

// Secrets stay secret: compared in constant time, never in a response or a log line, and the signature the endpoint
// receives verifies with Standard Webhooks and only with the right body, timestamp and secret.

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>()
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) }
})

const webhookSecret = 'webhook-secret-3c9e1f0a7b5d24688642'
const signingKey = Buffer.from('signing-key-for-secrets-test-0001')
const signingSecret = `whsec_${signingKey.toString('base64')}`
const endpointKey = 'endpoint-api-key-5e4d3c2b1a09f8e7'

let runtime: LocalRuntime
let endpoint: Endpoint
const responses: CallerResponse[] = []

beforeAll(async () => {
  // A failing conversation's endpoint answer echoes the secret header back, as a careless server might
  endpoint = await startEndpoint((request) =>
    (request.body as { conversationId: string }).conversationId.startsWith('fail')
      ? { status: 500, body: `bad request with key ${request.headers['x-endpoint-key']}` }
      : { status: 200, body: '{}' }
  )
  runtime = await startLocalRuntime({
    quiet: true,
    configuration: configuration(true),
    bot: ({ message }) => [{ type: 'text', payload: { text: `re: ${(message.payload as { text: string }).text}` } }],
  })
})
afterAll(async () => {
  await runtime?.stop()
  await endpoint?.close()
})

const configuration = (withWebhookSecret: boolean) => ({
  responseEndpointURL: endpoint.url,
  signingSecret,
  responseEndpointHeaders: { 'x-endpoint-key': endpointKey },
  ...(withWebhookSecret && { webhookSecret }),
})

let counter = 0
const post = async (token: string, conversationId = 'c-secrets') => {
  counter++
  const body = {
    userId: `u-${counter}`,
    conversationId,
    messageId: `m-${counter}`,
    type: 'text',
    text: `hi ${counter}`,
  }
  const response = await send(runtime, { body, token })
  responses.push(response)
  return response
}

const secrets = () => [
  webhookSecret,
  signingSecret,
  signingKey.toString('base64'),
  endpointKey,
  runtime.personalAccessToken,
  runtime.integrationToken,
]

describe('webhookSecret comparison', () => {
  it('matches equal secrets and refuses any other, whatever the lengths', () => {
    expect(secretsMatch(webhookSecret, webhookSecret)).toBe(true)
    expect(secretsMatch('é🔑', 'é🔑')).toBe(true)
    expect(secretsMatch(`${webhookSecret}x`, webhookSecret)).toBe(false)
    expect(secretsMatch(webhookSecret.slice(0, -1), webhookSecret)).toBe(false)
    expect(secretsMatch(webhookSecret.toUpperCase(), webhookSecret)).toBe(false)
    expect(secretsMatch('', webhookSecret)).toBe(false)
    expect(secretsMatch('x'.repeat(10_000), webhookSecret)).toBe(false)
    expect(secretsMatch('\u00e9', 'e\u0301')).toBe(false)
  })

  it('compares with crypto.timingSafeEqual on equal-length digests, whatever the lengths given', () => {
    const timingSafeEqual = vi.mocked(crypto.timingSafeEqual)
    timingSafeEqual.mockClear()
    const pairs = [
      ['same', 'same'],
      ['a', 'b'],
      ['short', 'a much longer candidate than the secret'],
      ['', 'x'],
    ] as const
    for (const [received, expected] of pairs) secretsMatch(received, expected)
    expect(timingSafeEqual).toHaveBeenCalledTimes(pairs.length)
    for (const [left, right] of timingSafeEqual.mock.calls) {
      expect(Buffer.isBuffer(left) && Buffer.isBuffer(right)).toBe(true)
      expect((left as Buffer).length).toBe(32)
      expect((right as Buffer).length).toBe(32)
    }
  })

  it('refuses a wrong token with a 401 that names neither token nor secret', () => {
    const wrong = 'wrong-token-0123456789abcdef'
    let thrown: unknown
    try {
      assertWebhookSecret(wrong, webhookSecret)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toMatchObject({ code: 'unauthorized', status: 401 })
    const text = JSON.stringify((thrown as { toResponse(): unknown }).toResponse())
    expect(text).not.toContain(wrong)
    expect(text).not.toContain(webhookSecret)
  })
})

describe('secrets in a running integration', () => {
  it('signs every request so that it verifies, and fails on a changed body, timestamp or secret', async () => {
    expect((await post(webhookSecret)).status).toBe(200)
    await runtime.idle()
    const request = endpoint.received.at(-1)!
    const headers = request.headers as Record<string, string>
    expect(headers['x-endpoint-key']).toBe(endpointKey)
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/)

    const verifier = new Webhook(signingSecret)
    expect(verifier.verify(request.rawBody, headers)).toEqual(JSON.parse(request.rawBody))
    const fails = (body: string, changed: Record<string, string>, secret = signingSecret) =>
      expect(() => new Webhook(secret).verify(body, { ...headers, ...changed })).toThrow()
    fails(request.rawBody.replace('re: ', 'RE: '), {})
    fails(`${request.rawBody} `, {})
    fails(request.rawBody, { 'webhook-timestamp': String(Number(headers['webhook-timestamp']) + 1) })
    fails(request.rawBody, { 'webhook-id': `${headers['webhook-id']}x` })
    fails(request.rawBody, {}, `whsec_${Buffer.from('another-signing-key-of-same-size').toString('base64')}`)
    fails(request.rawBody, { 'webhook-signature': '' })
  })

  it('keeps every secret out of responses, delivery results and logs across failures', async () => {
    const received = (from: number) => endpoint.received.slice(from) as ReceivedRequest[]
    const before = endpoint.received.length

    // Wrong secrets: 401, no Botpress call
    runtime.clearApiCalls()
    for (const wrong of [
      `${webhookSecret}x`,
      webhookSecret.slice(0, -1),
      webhookSecret.toUpperCase(),
      runtime.personalAccessToken,
    ]) {
      const response = await post(wrong)
      expect(response.status).toBe(401)
      expect(response.body.code).toBe('unauthorized')
    }
    expect(runtime.apiCalls.length).toBe(0)

    // Upstream failures in webhook-secret mode: the API fails, or refuses the integration's own token
    runtime.setFault((call) => (call.route === 'getOrCreateUser' ? { status: 500 } : undefined))
    expect((await post(webhookSecret)).body.code).toBe('upstream_error')
    runtime.setFault((call) => (call.route === 'getOrCreateUser' ? { status: 401 } : undefined))
    expect((await post(webhookSecret)).body.code).toBe('upstream_error')
    runtime.setFault(undefined)

    // Endpoint failure: 3 attempts of 500 whose body echoes the endpoint's key
    expect((await post(webhookSecret, 'fail-endpoint')).status).toBe(200)
    await runtime.idle()
    expect(
      received(before).filter((r) => (r.body as { conversationId: string }).conversationId === 'fail-endpoint').length
    ).toBe(3)
    expect(runtime.deliveries.some((d) => d.status >= 400)).toBe(true)

    // Personal Access Token mode: an unknown token is refused by Botpress, a valid one works
    await runtime.configure(configuration(false))
    const refused = await post('bp_pat_0000000000000000000000000000unknown')
    expect(refused.status).toBe(401)
    expect((await post(runtime.personalAccessToken)).status).toBe(200)
    const extraToken = runtime.createPersonalAccessToken()
    expect((await post(extraToken)).status).toBe(200)
    await runtime.idle()

    // Log lines come on their own pipe, after the answers: on a loaded machine, a while after
    for (const text of ['could not deliver', 'Botpress API failed']) {
      await vi.waitFor(() => expect(runtime.integrationLogs.some((line) => line.includes(text))).toBe(true), {
        timeout: 10_000,
      })
    }
    const texts = [
      ...responses.map((response) => response.text),
      ...responses.flatMap((response) => [...response.headers.values()]),
      ...runtime.deliveries.map((delivery) => delivery.body),
      ...runtime.integrationLogs,
    ]
    for (const text of texts) {
      for (const secret of [...secrets(), extraToken, 'bp_pat_0000000000000000000000000000unknown']) {
        expect(text).not.toContain(secret)
      }
    }
  }, 30_000)
})
