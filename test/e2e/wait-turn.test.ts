import { describe, expect, it } from 'vitest'
import type { BotFunction } from '../../local/bot/types'
import { send, textMessage } from '../helpers/caller'
import { useRuntime } from '../helpers/harness'
import { pull } from '../helpers/pull'

// Rules 23 and 24 on two copies (operations go to each in turn): the caller's message, the wait, the bot's turn and
// its replies each run on whichever copy. What is asserted is what the integration decided (calls made, replies
// returned), never a wall-clock gap; elapsed times only with a wide margin.
const harness = useRuntime({ integrationCopies: 2 })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const post = (body: unknown, path = '') =>
  send(harness.runtime, { body, path, token: harness.runtime.personalAccessToken })
const listCalls = () => harness.runtime.apiCalls.filter((call) => call.route === 'listMessages')
const endOfLongWaitMs = 7_500

/** A bot that says one thing, pauses 2 s (an LLM at work), then says another: one turn */
const pausingBot: BotFunction = async ({ message, api }) => {
  await api.sendMessage({ conversationId: message.conversationId, type: 'text', payload: { text: 'let me check' } })
  await sleep(2_000)
  return [{ type: 'text', payload: { text: 'here it is' } }]
}

describe('POST ?wait on a turn Botpress bracketed', () => {
  it('waits through a 2 s pause for the end of the turn, and returns every reply of it', async () => {
    harness.runtime.setBot(pausingBot)
    try {
      const startedAt = Date.now()
      const response = await post(textMessage(), '?wait=8')
      expect(response.status).toBe(200)
      expect(response.body.replies.map((reply: any) => reply.payload.text)).toEqual(['let me check', 'here it is'])
      // Answered at the end of the turn, not at the end of the wait
      expect(Date.now() - startedAt).toBeLessThan(endOfLongWaitMs)
      // The turn was recorded by both copies' typing actions, and ended
      const ops = harness.runtime.operations.filter((op) => String(op.type).endsWith('TypingIndicator'))
      expect(new Set(ops.slice(-2).map((op) => op.copy)).size).toBe(2)
    } finally {
      harness.runtime.setBot(undefined)
    }
  })

  it('a repeat after the turn ended answers at once, with the same replies, in one look', async () => {
    harness.runtime.setBot(pausingBot)
    try {
      const body = textMessage()
      const first = await post(body, '?wait=8')
      await harness.runtime.idle()
      harness.runtime.clearApiCalls()
      const repeat = await post(body, '?wait=8')
      expect(repeat.body.replies).toEqual(first.body.replies)
      expect(listCalls()).toHaveLength(1)
    } finally {
      harness.runtime.setBot(undefined)
    }
  })

  it('a turn that could not be recorded keeps the 1 s quiet period: the pause cuts the answer', async () => {
    harness.runtime.setBot(pausingBot)
    harness.runtime.setFault((call) => (call.route === 'updateMessage' ? { status: 503 } : undefined))
    try {
      const body = textMessage()
      const response = await post(body, '?wait=8')
      expect(response.body.replies.map((reply: any) => reply.payload.text)).toEqual(['let me check'])
      await harness.runtime.idle()
      // The rest is there for the pull, after the answer's cursor
      const rest = await pull(harness.runtime, body.conversationId, { after: response.body.cursor })
      expect(rest.body.messages.map((item: any) => item.payload.text)).toEqual(['here it is'])
    } finally {
      harness.runtime.setBot(undefined)
    }
  })
})

describe('a GET wait', () => {
  it('polls densely in the 3 s after the caller’s message, which another copy took, and gets the reply', async () => {
    harness.runtime.setBot(false)
    try {
      const body = textMessage()
      const posted = await post(body)
      harness.runtime.clearApiCalls()
      const waiting = pull(harness.runtime, body.conversationId, { after: posted.body.cursor, wait: 8 })
      await sleep(1_500)
      const reply = await harness.runtime.botApi.sendMessage(
        { conversationId: posted.body.conversation.id, type: 'text', payload: { text: 'late' } },
        { deliver: false }
      )
      const response = await waiting
      expect(response.body.messages.map((item: any) => item.botpressMessageId)).toEqual([reply.id])
      // Every 100 ms: more looks than the idle schedule's 500 ms could make in 1.5 s (at most 4), within its
      // 38-poll ceiling; the reply is seen by the first look after it
      expect(listCalls().length).toBeGreaterThan(4)
      expect(listCalls().length).toBeLessThanOrEqual(38)
      expect(listCalls().filter((call) => call.startedAt > Date.parse(reply.createdAt)).length).toBeLessThanOrEqual(1)
    } finally {
      harness.runtime.setBot(undefined)
    }
  })

  it('polls densely after the caller’s event, which another copy took, as after a message', async () => {
    harness.runtime.setBot(false)
    try {
      // A conversation whose last message and event are a minute old: the wait starts idle, and follows events
      const body = textMessage()
      const minuteAgo = Date.now() - 60_000
      harness.runtime.setClock(() => new Date(minuteAgo))
      const posted = await post(body)
      await post({ ...body, eventId: `${body.messageId}-earlier`, name: 'page.viewed' }, '/events').finally(() =>
        harness.runtime.setClock(undefined)
      )
      const { cursor } = (await pull(harness.runtime, body.conversationId)).body
      harness.runtime.clearApiCalls()
      // Operations go to the copies in turn: the wait on one, the event on the other
      const waiting = pull(harness.runtime, body.conversationId, { after: cursor, wait: 8 })
      await sleep(1_000)
      const event = { ...body, eventId: `${body.messageId}-event`, name: 'cart.updated' }
      const sent = await post(event, '/events')
      expect(sent.status).toBe(200)
      await sleep(2_500)
      const reply = await harness.runtime.botApi.sendMessage(
        { conversationId: posted.body.conversation.id, type: 'text', payload: { text: 'late' } },
        { deliver: false }
      )
      const response = await waiting
      expect(response.body.messages.map((item: any) => item.botpressMessageId)).toEqual([reply.id])
      // Recorded as they ended: the event, then the wait, on two copies
      const webhooks = harness.runtime.operations.filter((op) => op.operation === 'webhook_received')
      expect(new Set(webhooks.slice(-2).map((op) => op.copy)).size).toBe(2)

      // The event's mark, read by one of the wait's look-ups, made its checks dense: messages every 100 ms until the
      // reply, where the idle schedule reads them once a second (at most 3 in these 2.5 s)
      const eventAt = Date.parse(sent.body.event.createdAt)
      const replyAt = Date.parse(reply.createdAt)
      const calls = harness.runtime.apiCalls
      expect(calls.some((call) => call.route === 'listConversations' && call.startedAt > eventAt)).toBe(true)
      const listedBetween = calls.filter((call) => call.route === 'listMessages' && call.startedAt > eventAt)
      expect(listedBetween.filter((call) => call.startedAt < replyAt).length).toBeGreaterThanOrEqual(6)
      // The reply is seen by the first look after it; within the 40 calls a wait may make
      expect(listedBetween.filter((call) => call.startedAt > replyAt).length).toBeLessThanOrEqual(1)
      const waitCalls = calls.filter((call) => ['listMessages', 'listConversations'].includes(call.route))
      expect(waitCalls.length).toBeLessThanOrEqual(40)
    } finally {
      harness.runtime.setBot(undefined)
    }
  })
})
