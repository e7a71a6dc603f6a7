import { describe, expect, it } from 'vitest'
import { send, textMessage } from '../helpers/caller'
import { useRuntime } from '../helpers/harness'
import { pull, pullAll } from '../helpers/pull'

// Botpress lists 5 messages a page here, so that every pull crosses pages and windows.
const harness = useRuntime({ bot: false, apiPageSize: 5 })

/** A conversation, then `count` bot messages written at the times `timeOf(index)` gives (ms after its creation). */
const conversationWith = async (count: number, timeOf: (index: number) => number) => {
  const body = textMessage()
  const posted = await send(harness.runtime, { body, token: harness.runtime.personalAccessToken })
  const start = Date.parse(posted.body.conversation.createdAt)
  const write = async (index: number, at: number) => {
    harness.runtime.setClock(() => new Date(at))
    await harness.runtime.botApi.sendMessage(
      { conversationId: posted.body.conversation.id, ...say(index) },
      { deliver: false }
    )
  }
  for (let index = 0; index < count; index++) {
    await write(index, start + 1 + timeOf(index))
  }
  harness.runtime.setClock(undefined)
  return { conversationId: body.conversationId, botpressId: posted.body.conversation.id, start, write }
}

const say = (index: number) => ({ type: 'text', payload: { text: `bot message ${index}` } })

/**
 * The conversation's messages as the store holds them (in the order they were written), oldest first: those of one
 * millisecond stay in the order they were written, as the integration gives them (not by id).
 */
const stored = (botpressId: string) =>
  harness.runtime.store
    .messages()
    .filter((message) => message.conversationId === botpressId)
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))
    .map((message) => message.id)

const expectEachOnceInOrder = (items: Array<{ botpressMessageId: string; createdAt: string }>, expected: string[]) => {
  const ids = items.map((item) => item.botpressMessageId)
  expect(new Set(ids).size).toBe(ids.length)
  expect([...ids].sort()).toEqual([...expected].sort())
  const times = items.map((item) => Date.parse(item.createdAt))
  expect(times.every((time, index) => index === 0 || time >= times[index - 1]!)).toBe(true)
}

describe('paging with the cursor', () => {
  it('returns each of 1,000 messages exactly once, in order, 7 at a time, 50 of them sharing one createdAt', async () => {
    // 950 messages 3 ms apart, and 50 more all at one millisecond in the middle.
    const { conversationId, botpressId } = await conversationWith(999, (i) =>
      i < 500 ? i * 3 : i < 550 ? 1500 : i * 3
    )
    harness.runtime.clearApiCalls()
    const { items } = await pullAll(harness.runtime, conversationId, 7)
    expect(items).toHaveLength(1000)
    expectEachOnceInOrder(items, stored(botpressId))
    expect(items.map((item) => item.botpressMessageId)).toEqual(stored(botpressId))
  })

  it('gives messages that share one millisecond in the order they were written, though their ids sort otherwise', async () => {
    // Botpress's ids are random within a millisecond (so are the local runtime's): written until they are out of order
    // (a minute after the caller's message, which is then the only one before them)
    const { conversationId, botpressId, start, write } = await conversationWith(3, () => 60_000)
    const tiedIds = () => stored(botpressId).slice(1)
    for (let written = 3; written < 20 && tiedIds().join() === [...tiedIds()].sort().join(); written++) {
      await write(written, start + 1 + 60_000)
    }
    harness.runtime.setClock(undefined)
    expect(tiedIds().join()).not.toBe([...tiedIds()].sort().join())
    for (const limit of [1, 2, 100]) {
      const { items } = await pullAll(harness.runtime, conversationId, limit)
      expect(items.map((item) => item.botpressMessageId)).toEqual(stored(botpressId))
      expect(items.slice(1).map((item) => item.payload.text)).toEqual(
        tiedIds().map((_, index) => `bot message ${index}`)
      )
    }
  })

  it('neither skips nor repeats while the bot keeps writing, also at the newest millisecond', async () => {
    const { conversationId, botpressId, start, write } = await conversationWith(300, (i) => i * 2)
    harness.runtime.clearApiCalls()
    let written = 300
    let newest = start + 1 + 299 * 2
    const { items, cursor } = await pullAll(harness.runtime, conversationId, 7, async (page) => {
      if (page < 60) {
        // Two new messages per page: one at the newest millisecond there is, one later.
        await write(written++, newest)
        newest += 1 + (page % 3)
        await write(written++, newest)
      }
    })
    const rest = await pull(harness.runtime, conversationId, { after: cursor, limit: 100 })
    const all = [...items, ...rest.body.messages]
    expect(all).toHaveLength(written + 1)
    expectEachOnceInOrder(all, stored(botpressId))
  })

  it('answers a conversation with more than a page after the cursor in a few calls, not one per page', async () => {
    const { conversationId } = await conversationWith(200, (i) => i * 10)
    harness.runtime.clearApiCalls()
    const response = await pull(harness.runtime, conversationId, { limit: 10 })
    expect(response.body.messages).toHaveLength(10)
    expect(response.body.hasMore).toBe(true)
    // 41 pages of 5 messages: reading them all would take 41 calls
    expect(harness.runtime.apiCalls.length).toBeLessThan(20)
  })
})
