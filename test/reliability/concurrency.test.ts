import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalRuntime, type LocalRuntime } from '../../local'
import { send, type CallerResponse } from '../helpers/caller'
import { startEndpoint, type Endpoint } from '../helpers/endpoint'
import { mapConcurrently } from './raw-request'

// 500 distinct messages over 50 conversations at concurrency 32; 20% of them sent twice, 10 of them five times at
// once. Every one must exist once in Botpress and reach the endpoint once.

const distinct = 500
const conversations = 50
const concurrency = 32

let runtime: LocalRuntime
let endpoint: Endpoint
beforeAll(async () => {
  endpoint = await startEndpoint()
  runtime = await startLocalRuntime({
    quiet: true,
    apiLatencyMs: 5, // widens the windows in which repeats overlap
    configuration: { responseEndpointURL: endpoint.url },
  })
  runtime.setBot(({ message }) => [
    { type: 'text', payload: { text: `re: ${(message.payload as { text: string }).text}` } },
  ])
})
afterAll(async () => {
  await runtime?.stop()
  await endpoint?.close()
})

type Sent = { key: string; response: CallerResponse }

describe('concurrency and duplicates', () => {
  it('stores each (conversationId, messageId) once, answers repeats alike, and delivers one reply per message', async () => {
    const messages = Array.from({ length: distinct }, (_, i) => ({
      userId: `user-${i % 70}`,
      conversationId: `conversation-${i % conversations}`,
      // The same messageId in two conversations is two messages
      messageId: `message-${Math.floor(i / 2)}`,
      type: 'text',
      text: `hello ${i}`,
    }))
    const keyOf = (m: (typeof messages)[number]) => `${m.conversationId}|${m.messageId}`
    expect(new Set(messages.map(keyOf)).size).toBe(distinct)

    // Every fifth message is sent twice (at a later, random point); ten of them are sent five times at once
    const burst = messages.filter((_, i) => i % 50 === 7)
    const twice = messages.filter((_, i) => i % 5 === 0)
    const queue = [...messages, ...twice].sort(() => Math.random() - 0.5)
    const startedAt = Date.now()

    const post = async (m: (typeof messages)[number]): Promise<Sent> => ({
      key: keyOf(m),
      response: await send(runtime, { body: m, token: runtime.personalAccessToken }),
    })
    const [sequenced, bursts] = await Promise.all([
      mapConcurrently(queue, concurrency, post),
      Promise.all(burst.map((m) => Promise.all(Array.from({ length: 5 }, () => post(m))))),
    ])
    const all = [...sequenced, ...bursts.flat()]
    const elapsedMs = Date.now() - startedAt

    for (const { key, response } of all) expect(response.status, `${key}: ${response.text}`).toBe(200)
    const idsByKey = new Map<string, Set<string>>()
    for (const { key, response } of all) {
      idsByKey.set(key, (idsByKey.get(key) ?? new Set()).add(response.body.message.id))
    }
    expect(idsByKey.size).toBe(distinct)
    for (const [key, ids] of idsByKey) expect(ids.size, key).toBe(1)

    const conversationsById = new Map(runtime.store.conversations().map((c) => [c.id, c]))
    const incoming = runtime.store.messages().filter((m) => m.direction === 'incoming')
    expect(incoming.length).toBe(distinct)
    expect(new Set(incoming.map((m) => `${conversationsById.get(m.conversationId)?.tags.id}|${m.tags.id}`))).toEqual(
      new Set(messages.map(keyOf))
    )
    expect(runtime.store.conversations().length).toBe(conversations)
    expect(runtime.store.users().filter((u) => u.tags.id).length).toBe(70)

    await runtime.idle()
    const outgoing = runtime.store.messages().filter((m) => m.direction === 'outgoing')
    expect(outgoing.length).toBe(distinct)
    expect(runtime.deliveries.length).toBe(distinct)
    expect(runtime.deliveries.every((d) => d.status === 200)).toBe(true)
    expect(endpoint.received.length).toBe(distinct)
    const webhookIds = endpoint.received.map((r) => String(r.headers['webhook-id']))
    expect(new Set(webhookIds).size).toBe(distinct)
    expect(new Set(webhookIds)).toEqual(new Set(outgoing.map((m) => m.id)))
    // Each reply answers its own message, in its own conversation
    const replies = endpoint.received.map((r) => r.body as { conversationId: string; payload: { text: string } })
    expect(new Set(replies.map((r) => r.payload.text))).toEqual(new Set(messages.map((m) => `re: ${m.text}`)))
    for (const reply of replies) {
      const i = Number(reply.payload.text.slice('re: hello '.length))
      expect(reply.conversationId).toBe(messages[i]!.conversationId)
    }
    console.info(
      `concurrency: ${all.length} requests (${distinct} distinct, ${twice.length} sent twice, ${burst.length} sent 5× at once) in ${elapsedMs} ms; ${incoming.length} stored, ${endpoint.received.length} replies delivered`
    )
  }, 120_000)
})
