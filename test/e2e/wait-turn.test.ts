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
})
