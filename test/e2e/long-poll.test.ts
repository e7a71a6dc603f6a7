import { describe, expect, it } from 'vitest'
import { send, textMessage } from '../helpers/caller'
import { useRuntime } from '../helpers/harness'
import { pull } from '../helpers/pull'

const harness = useRuntime()

const post = (body: unknown, path = '') =>
  send(harness.runtime, { body, path, token: harness.runtime.personalAccessToken })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
// These tests count the Botpress calls a wait made (what the integration decided), not how long it took: on a loaded
// machine times stretch. The poll schedule itself is src/webhook/long-poll.test.ts's. Elapsed times are only bounded
// with a wide margin, to show an answer did not wait for the end of its wait.
const marginMs = 3_000
// An answer that waited for the end of an 8 s wait comes 8 s after the request arrived, at the earliest
const endOfLongWaitMs = 7_500
const listCalls = () => harness.runtime.apiCalls.filter((call) => call.route === 'listMessages')

/**
 * A conversation with the bot's replies already in (to an event too, `withEvent`): its id, Botpress id and the cursor
 * after everything. Written a minute ago by Botpress's clock: nothing in it is recent, so a wait on it is idle.
 */
const settledConversation = async (withEvent = false) => {
  const body = textMessage()
  const minuteAgo = Date.now() - 60_000
  harness.runtime.setClock(() => new Date(minuteAgo))
  try {
    const posted = await post(body)
    if (withEvent) await post({ ...body, eventId: body.messageId, name: 'page.viewed' }, '/events')
    await harness.runtime.idle()
    const all = await pull(harness.runtime, body.conversationId)
    return { conversationId: body.conversationId, botpressId: posted.body.conversation.id, cursor: all.body.cursor }
  } finally {
    harness.runtime.setClock(undefined)
  }
}

describe('a waiting pull', () => {
  it('answers at the first poll after a bot message is created, with that message', async () => {
    const { conversationId, botpressId, cursor } = await settledConversation()
    harness.runtime.clearApiCalls()
    const waiting = pull(harness.runtime, conversationId, { after: cursor, wait: 8 })
    await sleep(1_200)
    const created = await harness.runtime.botApi.sendMessage({
      conversationId: botpressId,
      type: 'text',
      payload: { text: 'late' },
    })
    const createdAt = Date.now()
    const response = await waiting
    expect(response.status).toBe(200)
    expect(response.body.messages.map((m: any) => m.botpressMessageId)).toEqual([created.id])
    // Answered by the first poll that could see the message: at most one began after it was created
    expect(listCalls().filter((call) => call.startedAt > createdAt).length).toBeLessThanOrEqual(1)
  })

  it('answers an idle wait after wait seconds, with the same cursor, having polled every 500 ms (nothing recent, no events)', async () => {
    const { conversationId, cursor } = await settledConversation()
    harness.runtime.clearApiCalls()
    const startedAt = Date.now()
    const response = await pull(harness.runtime, conversationId, { after: cursor, wait: 2 })
    const elapsed = Date.now() - startedAt
    expect(response.body).toEqual({ messages: [], cursor, hasMore: false })
    // Counted from the request's arrival, which is after startedAt
    expect(elapsed).toBeGreaterThanOrEqual(1_950)
    expect(elapsed).toBeLessThan(2_000 + marginMs)
    // At once, then every 500 ms, the last at the deadline: at most 5 looks (fewer when a call is slow)
    expect(listCalls().length).toBeGreaterThanOrEqual(2)
    expect(listCalls().length).toBeLessThanOrEqual(5)
    // Besides, one look-up of the cached conversation that gave nothing new: 2 calls a second, never 4 (the times
    // of the polls are the unit test's: stamps taken on arrival bunch up on a loaded machine)
    expect(harness.runtime.apiCalls.length - listCalls().length).toBe(1)
  })

  it('idle where the caller sent an event in the last 5 minutes: the messages and the conversation in turn', async () => {
    const { conversationId, cursor } = await settledConversation(true)
    harness.runtime.clearApiCalls()
    const response = await pull(harness.runtime, conversationId, { after: cursor, wait: 2 })
    expect(response.body).toEqual({ messages: [], cursor, hasMore: false })
    // Messages at once, the look-up of the cached conversation, then one call every 500 ms, the conversation (for a
    // new event) and the messages in turn, the messages last: still 2 calls a second
    const routes = harness.runtime.apiCalls.map((call) => call.route)
    expect(routes.slice(0, 2)).toEqual(['listMessages', 'listConversations'])
    expect(routes.at(-1)).toBe('listMessages')
    expect(routes.length).toBeLessThanOrEqual(6)
    expect(routes.filter((route) => route === 'listConversations').length).toBeGreaterThanOrEqual(2)
    expect(routes.some((route, index) => route === 'listConversations' && routes[index + 1] === route)).toBe(false)
  })

  it('answers at once when messages are already there', async () => {
    const body = textMessage()
    await post(body)
    await harness.runtime.idle()
    harness.runtime.clearApiCalls()
    const startedAt = Date.now()
    const response = await pull(harness.runtime, body.conversationId, { wait: 8 })
    expect(response.body.messages).toHaveLength(3)
    expect(harness.runtime.apiCalls.map((call) => call.route)).toEqual(['listMessages'])
    expect(Date.now() - startedAt).toBeLessThan(endOfLongWaitMs)
  })

  it('ends as a POST does when Botpress rate-limits mid-wait: 429 with Retry-After', async () => {
    const { conversationId, cursor } = await settledConversation()
    let calls = 0
    harness.runtime.setFault((call) =>
      call.route === 'listMessages' && ++calls > 2 ? { status: 429, headers: { 'retry-after': '7' } } : undefined
    )
    const response = await pull(harness.runtime, conversationId, { after: cursor, wait: 8 })
    expect(response.status).toBe(429)
    expect(response.body.code).toBe('rate_limited')
    expect(response.headers.get('retry-after')).toBe('7')
  })
})

describe('POST with ?wait', () => {
  it('returns the echo bot’s two replies, oldest first, and a cursor after them', async () => {
    const body = textMessage({ text: 'wait for me' })
    const startedAt = Date.now()
    const response = await post(body, '?wait=8')
    expect(response.status).toBe(200)
    // It returns once the replies have stopped for 1 s (about 1.5 s in), not at the end of the wait.
    expect(Date.now() - startedAt).toBeLessThan(endOfLongWaitMs)
    const { replies, cursor, message, conversation } = response.body
    expect(message.tags.id).toBe(body.messageId)
    expect(replies.map((r: any) => [r.direction, r.type, r.payload.text])).toEqual([
      ['outgoing', 'text', 'You said: wait for me'],
      ['outgoing', 'choice', 'Did that work?'],
    ])
    expect(replies[0]).toMatchObject({ conversationId: body.conversationId, botpressConversationId: conversation.id })
    await harness.runtime.idle()
    expect((await pull(harness.runtime, body.conversationId, { after: cursor })).body.messages).toEqual([])

    // A repeat with wait gets the same replies; without wait, the cursor just after the message.
    const repeat = await post(body, '?wait=2')
    expect(repeat.body.replies.map((r: any) => r.botpressMessageId)).toEqual(
      replies.map((r: any) => r.botpressMessageId)
    )
    expect(repeat.body.cursor).toBe(cursor)
    const plain = await post(body)
    expect(plain.body).not.toHaveProperty('replies')
    expect((await pull(harness.runtime, body.conversationId, { after: plain.body.cursor })).body.messages).toHaveLength(
      2
    )
  })

  it('replies stop before the next caller message, also on a repeat sent after that message', async () => {
    const first = textMessage({ text: 'one' })
    const firstReplies = (await post(first, '?wait=5')).body.replies
    const second = { ...first, messageId: `${first.messageId}-2`, text: 'two' }
    await post(second)
    await harness.runtime.idle()
    const repeat = await post(first, '?wait=2')
    expect(repeat.body.replies.map((r: any) => r.payload.text)).toEqual(['You said: one', 'Did that work?'])
    expect(repeat.body.replies).toEqual(firstReplies)
  })

  it('counts the wait from the request’s arrival, also when storing the message takes a while', async () => {
    harness.runtime.setBot(false)
    harness.runtime.setFault((call) => (call.route === 'getOrCreateMessage' ? { delayMs: 1_500 } : undefined))
    try {
      const response = await post(textMessage(), '?wait=1')
      expect(response.body.replies).toEqual([])
      // The wait was over once the message was stored: one look for replies, no polling
      expect(harness.runtime.apiCalls.filter((call) => call.route === 'listMessages')).toHaveLength(1)
    } finally {
      harness.runtime.setBot(undefined)
    }
  })

  it('returns an empty replies list when the bot stays silent for the whole wait', async () => {
    harness.runtime.setBot(false)
    try {
      const startedAt = Date.now()
      const response = await post(textMessage(), '?wait=1')
      expect(response.status).toBe(200)
      expect(response.body.replies).toEqual([])
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(950)
      expect(Date.now() - startedAt).toBeLessThan(1_000 + marginMs)
      // A reply is due (the caller's message is new): at once, then every 100 ms, the last at 1 s: at most 11 looks
      expect(listCalls().length).toBeGreaterThanOrEqual(2)
      expect(listCalls().length).toBeLessThanOrEqual(11)
    } finally {
      harness.runtime.setBot(undefined)
    }
  })
})
