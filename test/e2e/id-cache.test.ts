import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { startLocalRuntime, type LocalRuntime } from '../../local'
import { send, textMessage } from '../helpers/caller'

// The integration remembers external id → Botpress user and conversation, so that a known conversation's next message
// takes one API call. These tests count calls (never time them) and check that a stale entry is repaired.
let runtime: LocalRuntime
beforeAll(async () => {
  runtime = await startLocalRuntime({ quiet: true, bot: false })
})
afterAll(() => runtime?.stop())
beforeEach(() => runtime.clearApiCalls())

const post = (body: Record<string, unknown>) => send(runtime, { token: runtime.personalAccessToken, body })
const routes = () => runtime.apiCalls.map((call) => call.route)
const messagesTagged = (messageId: string) => runtime.store.messages().filter((m) => m.tags.id === messageId)
const conversationsTagged = (id: string) => runtime.store.conversations().filter((c) => c.tags.id === id)

it('gets or creates user and conversation together, then the message; a known conversation takes one call', async () => {
  const first = textMessage()
  expect((await post(first)).status).toBe(200)
  expect(routes().slice(0, 2).sort()).toEqual(['getOrCreateConversation', 'getOrCreateUser'])
  expect(routes()).toHaveLength(3)
  expect(routes()[2]).toBe('getOrCreateMessage')

  runtime.clearApiCalls()
  const next = { ...first, messageId: `${first.messageId}-next`, text: 'again' }
  expect((await post(next)).status).toBe(200)
  expect(routes()).toEqual(['getOrCreateMessage'])
})

it('repairs a cached conversation that Botpress no longer has: the message lands once, in a fresh conversation', async () => {
  const first = textMessage()
  const created = await post(first)
  expect(created.status).toBe(200)
  const staleId: string = created.body.conversation.id

  runtime.store.deleteConversation(staleId)
  expect(conversationsTagged(first.conversationId)).toHaveLength(0)
  runtime.clearApiCalls()

  const next = { ...first, messageId: `${first.messageId}-after-delete`, text: 'still there?' }
  const repaired = await post(next)
  expect(repaired.status).toBe(200)
  expect(repaired.body.conversation.id).not.toBe(staleId)
  expect(repaired.body.conversation.tags.id).toBe(first.conversationId)
  expect(repaired.body.message.conversationId).toBe(repaired.body.conversation.id)
  expect(repaired.body.user.id).toBe(created.body.user.id)
  // The cached attempt was refused, then the full path ran once
  expect(routes()[0]).toBe('getOrCreateMessage')
  expect(runtime.apiCalls[0]!.status).toBeGreaterThanOrEqual(400)
  expect(routes().filter((route) => route === 'getOrCreateConversation')).toHaveLength(1)
  expect(conversationsTagged(first.conversationId)).toHaveLength(1)
  expect(messagesTagged(next.messageId)).toHaveLength(1)

  // A repeat goes through the repaired entry: one call, the same message, no duplicate
  runtime.clearApiCalls()
  const repeat = await post(next)
  expect(repeat.status).toBe(200)
  expect(repeat.body.message.id).toBe(repaired.body.message.id)
  expect(routes()).toEqual(['getOrCreateMessage'])
  expect(messagesTagged(next.messageId)).toHaveLength(1)
})

it('repairs concurrent messages to a deleted conversation without duplicates', async () => {
  const first = textMessage()
  const created = await post(first)
  runtime.store.deleteConversation(created.body.conversation.id)

  const next = { ...first, messageId: `${first.messageId}-burst` }
  const answers = await Promise.all(Array.from({ length: 5 }, () => post(next)))
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200])
  expect(new Set(answers.map((answer) => answer.body.message.id)).size).toBe(1)
  expect(conversationsTagged(first.conversationId)).toHaveLength(1)
  expect(messagesTagged(next.messageId)).toHaveLength(1)
})
