import { describe, expect, it } from 'vitest'
import { send, textMessage } from '../helpers/caller'
import { useRuntime } from '../helpers/harness'
import { pull, pullAll } from '../helpers/pull'

const harness = useRuntime()

const post = (body: unknown, path = '') =>
  send(harness.runtime, { body, path, token: harness.runtime.personalAccessToken })

describe('catching up after an outage', () => {
  it('loses nothing when the endpoint is down for the whole retry budget: every bot message is pulled afterwards', async () => {
    const conversationId = 'outage-conversation'
    const posted = await post(textMessage({ conversationId }))
    await harness.runtime.idle()
    const before = await pull(harness.runtime, conversationId)
    const cursor = before.body.cursor
    harness.endpoint.reset()

    harness.endpoint.setResponder(() => ({ status: 503 }))
    try {
      for (const text of ['one', 'two']) {
        expect((await post(textMessage({ conversationId, text }))).status).toBe(200)
      }
      await harness.runtime.idle()
    } finally {
      harness.endpoint.setResponder([{ status: 200, body: '{}' }])
    }
    // Every attempt failed: 3 per bot message, 2 bot messages per caller message.
    expect(harness.endpoint.received).toHaveLength(12)
    const failed = harness.runtime.deliveries.slice(-4)
    expect(failed.every((delivery) => delivery.status >= 400)).toBe(true)

    const { items } = await pullAll(harness.runtime, conversationId, 3)
    const caughtUp = (await pull(harness.runtime, conversationId, { after: cursor })).body.messages
    const botMessages = harness.runtime.store
      .messages()
      .filter((m) => m.conversationId === posted.body.conversation.id && m.direction === 'outgoing')
    expect(items.filter((item: any) => item.direction === 'outgoing')).toHaveLength(botMessages.length)
    // The bot's replies interleave with the caller's messages as they were written (each waited for its delivery).
    const texts = (direction: string) =>
      caughtUp.filter((m: any) => m.direction === direction).map((m: any) => m.payload.text)
    expect(texts('incoming')).toEqual(['one', 'two'])
    expect(texts('outgoing').sort()).toEqual(['Did that work?', 'Did that work?', 'You said: one', 'You said: two'])
    // The endpoint acknowledged none of them.
    expect(caughtUp.filter((m: any) => m.direction === 'outgoing').every((m: any) => m.messageId === null)).toBe(true)
  })
})

describe('a pull-only install (no Response Endpoint URL)', () => {
  it('gets the replies with POST ?wait and with a pull, and pushes nothing', async () => {
    await harness.runtime.configure({}, { viewer: false })
    try {
      const body = textMessage({ text: 'no endpoint' })
      const response = await post(body, '?wait=4')
      expect(response.body.replies.map((r: any) => r.payload.text)).toEqual(['You said: no endpoint', 'Did that work?'])
      await harness.runtime.idle()
      const pulled = await pull(harness.runtime, body.conversationId)
      expect(pulled.body.messages).toHaveLength(3)
      expect(harness.endpoint.received).toEqual([])
    } finally {
      await harness.runtime.configure({ responseEndpointURL: harness.endpoint.url })
    }
  })
})
