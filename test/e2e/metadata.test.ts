import { describe, expect, it } from 'vitest'
import { send, textMessage } from '../helpers/caller'
import { storeSnapshot, useRuntime } from '../helpers/harness'
import { pull } from '../helpers/pull'

// Rule 20: metadata on a caller's message is stored in its payload and pulled with it; a bot's metadata on any
// message type reaches the endpoint unchanged.
const harness = useRuntime({ bot: false })

const post = (body: Record<string, unknown>) =>
  send(harness.runtime, { body, token: harness.runtime.personalAccessToken })
const metadata = { page: '/checkout', cart: { items: 2, total: 19.9 }, tags: ['vip'], empty: null }

describe('metadata on a caller’s message', () => {
  it('is stored in the message’s payload, answered and pulled with it', async () => {
    const body = textMessage({ metadata })
    const response = await post(body)
    expect(response.status).toBe(200)
    expect(response.body.message.payload).toEqual({ text: body.text, metadata })
    const stored = harness.runtime.store.messages().find((message) => message.id === response.body.message.id)
    expect(stored?.payload.metadata).toEqual(metadata)
    const pulled = await pull(harness.runtime, body.conversationId)
    expect(pulled.body.messages[0].payload).toEqual({ text: body.text, metadata })
  })

  it('null is absent; anything but a JSON object is a 400 naming metadata, creating nothing', async () => {
    const absent = await post(textMessage({ metadata: null }))
    expect(absent.body.message.payload).not.toHaveProperty('metadata')
    for (const invalid of ['a page', 42, [metadata], true]) {
      const before = storeSnapshot(harness.runtime)
      const refused = await post(textMessage({ metadata: invalid }))
      expect([refused.status, refused.body.code]).toEqual([400, 'invalid_body'])
      expect(refused.body.issues).toEqual([{ path: 'metadata', message: 'metadata must be a JSON object' }])
      expect(storeSnapshot(harness.runtime)).toEqual(before)
    }
  })
})

describe('metadata on a bot’s message', () => {
  it('reaches the endpoint unchanged in payload.metadata, on every message type', async () => {
    const card = { title: 'Plan', actions: [{ action: 'url', label: 'Open', value: 'https://example.com' }] }
    const replies = [
      { type: 'text', payload: { text: 'Hello', metadata } },
      { type: 'markdown', payload: { markdown: '**Hi**', metadata } },
      { type: 'image', payload: { imageUrl: 'https://example.com/a.png', metadata } },
      { type: 'card', payload: { ...card, metadata } },
      { type: 'choice', payload: { text: 'Pick', options: [{ label: 'A', value: 'a' }], metadata } },
      { type: 'bloc', payload: { items: [{ type: 'text', payload: { text: 'one' } }], metadata } },
    ]
    harness.runtime.setBot(() => replies)
    try {
      await post(textMessage())
      await harness.runtime.idle()
    } finally {
      harness.runtime.setBot(false)
    }
    expect(harness.endpoint.received.map((request) => (request.body as any).payload.metadata)).toEqual(
      replies.map(() => metadata)
    )
  })
})
