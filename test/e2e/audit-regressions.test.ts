import { describe, expect, it } from 'vitest'
import type { Fault, FaultCall } from '../../local'
import { send, textMessage } from '../helpers/caller'
import { useRuntime } from '../helpers/harness'

// Regressions for an audit's findings: which credential each Botpress call carries, a Botpress 429 that is not
// Botpress-shaped, an id cache with only one side stale, and a configuration value of the wrong type.
const harness = useRuntime({ bot: false })

const post = async (body: Record<string, unknown>, token = harness.runtime.personalAccessToken) => {
  const startedAt = performance.now()
  const response = await send(harness.runtime, { token, body })
  return { ...response, durationMs: performance.now() - startedAt }
}
const messagesTagged = (messageId: string) => harness.runtime.store.messages().filter((m) => m.tags.id === messageId)
const conversationsTagged = (id: string) => harness.runtime.store.conversations().filter((c) => c.tags.id === id)

/** The Botpress calls the integration made while the caller waited (replies and acks come later) */
const callsDuring = async (body: Record<string, unknown>, token?: string) => {
  harness.runtime.clearApiCalls()
  const response = await post(body, token)
  expect(response.status, response.text).toBe(200)
  const answeredAt = Date.now()
  const calls = harness.runtime.apiCalls.filter((call) => call.startedAt <= answeredAt)
  expect(calls.length).toBeGreaterThan(0)
  return calls
}

describe('the credential of every Botpress call', () => {
  it('is the Personal Access Token the caller sent: full path, cached path, stale-cache repair', async () => {
    const first = textMessage()
    const full = await callsDuring(first)
    expect(full.map((call) => call.route).sort()).toEqual([
      'getOrCreateConversation',
      'getOrCreateMessage',
      'getOrCreateUser',
    ])
    const cached = await callsDuring({ ...first, messageId: `${first.messageId}-2` })
    const other = await callsDuring(textMessage(), harness.runtime.createPersonalAccessToken())
    // The repair of a stale cache entry too: the cached attempt fails, then the full path runs
    harness.runtime.store.deleteConversation(conversationsTagged(first.conversationId)[0]!.id)
    const repaired = await callsDuring({ ...first, messageId: `${first.messageId}-3` })
    expect(repaired.length).toBeGreaterThan(3)
    for (const call of [...full, ...cached, ...other, ...repaired]) {
      expect(call.credential, call.route).toBe('personal-access-token')
    }
  })

  it('is the integration token when callers authenticate with the webhook secret', async () => {
    const webhookSecret = 'audit-webhook-secret-0123456789'
    await harness.runtime.configure({ responseEndpointURL: harness.endpoint.url, webhookSecret })
    try {
      const first = textMessage()
      const calls = [
        ...(await callsDuring(first, webhookSecret)),
        ...(await callsDuring({ ...first, messageId: `${first.messageId}-2` }, webhookSecret)),
      ]
      for (const call of calls) expect(call.credential, call.route).toBe('integration')
    } finally {
      await harness.runtime.configure({ responseEndpointURL: harness.endpoint.url })
    }
  })
})

describe('a Botpress 429 on get-or-create user', () => {
  const limited: Record<string, Fault> = {
    html: {
      status: 429,
      body: '<html><body>Too Many Requests</body></html>',
      headers: { 'content-type': 'text/html' },
    },
    empty: { status: 429, body: '' },
    'plain-json': { status: 429, body: { message: 'slow down' } },
  }

  it('reaches the caller as 429 rate_limited with its Retry-After, whatever the body', async () => {
    const faultFor = (retryAfter: Record<string, string>) => (call: FaultCall) => {
      const kind = Object.keys(limited).find((each) => call.body.includes(`u-429-${each}`))
      if (call.route !== 'getOrCreateUser' || kind === undefined) return undefined
      return { ...limited[kind], headers: { ...limited[kind]!.headers, ...retryAfter } }
    }
    harness.runtime.setFault(faultFor({ 'retry-after': '9' }))
    for (const kind of Object.keys(limited)) {
      const response = await post(textMessage({ userId: `u-429-${kind}` }))
      expect(response.status, `${kind}: ${response.text}`).toBe(429)
      expect(response.body, kind).toEqual({ code: 'rate_limited', message: expect.any(String) })
      expect(response.headers.get('retry-after'), kind).toBe('9')
      expect(response.durationMs, kind).toBeLessThan(10_000)
    }
  })

  it('still carries a Retry-After of whole seconds when Botpress sent none', async () => {
    harness.runtime.setFault((call) => (call.route === 'getOrCreateUser' ? { status: 429 } : undefined))
    const response = await post(textMessage())
    expect(response.status, response.text).toBe(429)
    expect(response.body).toMatchObject({ code: 'rate_limited' })
    expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/)
    expect(response.durationMs).toBeLessThan(10_000)
  })
})

describe('an id cache with one side stale', () => {
  it('a new user in a cached conversation Botpress deleted: the message lands once, in a fresh conversation', async () => {
    const cs = `cs-${Date.now()}`
    const created = await post(textMessage({ userId: 'ua-stale-conversation', conversationId: cs }))
    expect(created.status, created.text).toBe(200)
    harness.runtime.store.deleteConversation(created.body.conversation.id)

    const next = textMessage({ userId: 'ub-stale-conversation', conversationId: cs })
    const landed = await post(next)
    expect(landed.status, landed.text).toBe(200)
    expect(landed.body.conversation.id).not.toBe(created.body.conversation.id)
    expect(landed.body.conversation.tags.id).toBe(cs)
    expect(landed.body.message.conversationId).toBe(landed.body.conversation.id)
    expect(messagesTagged(next.messageId)).toHaveLength(1)
    expect(conversationsTagged(cs)).toHaveLength(1)

    const repeat = await post(next)
    expect(repeat.status, repeat.text).toBe(200)
    expect(repeat.body.message.id).toBe(landed.body.message.id)
    expect(messagesTagged(next.messageId)).toHaveLength(1)
  })

  it('a cached user Botpress deleted, in a new conversation: the message lands once, from a fresh user', async () => {
    const ua = `ua-${Date.now()}`
    const created = await post(textMessage({ userId: ua }))
    expect(created.status, created.text).toBe(200)
    harness.runtime.store.deleteUser(created.body.user.id)

    const next = textMessage({ userId: ua })
    const landed = await post(next)
    expect(landed.status, landed.text).toBe(200)
    expect(landed.body.user.id).not.toBe(created.body.user.id)
    expect(landed.body.user.tags.id).toBe(ua)
    expect(landed.body.message.userId).toBe(landed.body.user.id)
    expect(messagesTagged(next.messageId)).toHaveLength(1)

    const repeat = await post(next)
    expect(repeat.status, repeat.text).toBe(200)
    expect(repeat.body.message.id).toBe(landed.body.message.id)
    expect(messagesTagged(next.messageId)).toHaveLength(1)
  })
})

describe('a configuration value of the wrong type', () => {
  it('webhookSecret: 123456789 gives the caller a JSON error and never reaches the logs', async () => {
    const { runtime, endpoint } = harness
    await runtime.configure({ responseEndpointURL: endpoint.url, webhookSecret: 123456789 }, { skipValidation: true })
    try {
      for (const token of ['123456789', runtime.personalAccessToken, 'some-other-token']) {
        const response = await post(textMessage(), token)
        expect(response.status, `${token}: ${response.text}`).toBeGreaterThanOrEqual(400)
        expect(response.status >= 500 && response.status !== 502, `${token}: ${response.status}`).toBe(false)
        expect(response.body, response.text).toMatchObject({ code: expect.any(String), message: expect.any(String) })
        expect(response.body.code).toMatch(/^[a-z_]+$/)
        expect(response.text).not.toContain('123456789')
      }
      expect(runtime.integrationLogs.filter((line) => line.includes('123456789'))).toEqual([])
    } finally {
      await runtime.configure({ responseEndpointURL: endpoint.url })
    }
  })
})
