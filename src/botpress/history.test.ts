import type { Message } from '@botpress/client'
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { BotpressClient } from './client'
import { startPosition } from './position'
import { positionAfter, readAfter } from './history'

type Query = { afterDate?: string; beforeDate?: string; nextToken?: string }

// Botpress's listMessages as documented: newest first, both dates inclusive, `pageSize` a page, keyset tokens; the
// messages of one millisecond as a database lists them, by insertion (the array's order), newest first, which their
// ids do not follow. Sorted once, compared as numbers: the property below makes many thousands of calls.
const fakeClient = (messages: Message[], pageSize: number, calls: { count: number }) => {
  const rows = messages
    .map((message, inserted) => ({ message, at: Date.parse(message.createdAt), inserted }))
    .sort((a, b) => b.at - a.at || b.inserted - a.inserted)
  const listMessages = async ({ afterDate, beforeDate, nextToken }: Query) => {
    calls.count += 1
    const from = afterDate === undefined ? -Infinity : Date.parse(afterDate)
    const to = beforeDate === undefined ? Infinity : Date.parse(beforeDate)
    const [tokenAt, tokenInserted] = nextToken ? nextToken.split('|').map(Number) : [Infinity, 0]
    const matching = rows.filter(
      (row) =>
        row.at >= from && row.at <= to && (row.at < tokenAt! || (row.at === tokenAt && row.inserted < tokenInserted!))
    )
    const page = matching.slice(0, pageSize)
    const last = page[page.length - 1]
    return {
      messages: page.map((row) => row.message),
      meta: matching.length > pageSize && last ? { nextToken: `${last.at}|${last.inserted}` } : {},
    }
  }
  return { listMessages } as unknown as BotpressClient
}

const base = Date.parse('2026-01-01T00:00:00.000Z')
// Like Botpress's, ids are random within one millisecond: their order is not the order messages were written in.
const idOf = (index: number) => `msg_${createHash('sha256').update(String(index)).digest('hex').slice(0, 12)}`
const message = (index: number, offsetMs: number): Message =>
  ({ id: idOf(index), createdAt: new Date(base + offsetMs).toISOString() }) as Message

/** Pulls with the cursor while `hasMore` says so; every such answer must move on (messages, or a later position). */
const pullAll = async (messages: Message[], pageSize: number, limit: number, from = startPosition) => {
  const calls = { count: 0 }
  const client = fakeClient(messages, pageSize, calls)
  const conversation = { id: 'conv_1', createdAt: new Date(base).toISOString() }
  const seen: string[] = []
  let position = from
  for (let pull = 0; pull < 1_000; pull++) {
    const page = await readAfter(client, conversation, position, limit)
    expect(page.messages.length).toBeLessThanOrEqual(limit)
    seen.push(...page.messages.map((m) => m.id))
    if (page.hasMore) expect(page.messages.length > 0 || page.position.at > position.at).toBe(true)
    position = page.position
    if (!page.hasMore) break
  }
  return { seen, calls: calls.count }
}

// Each message once; oldest first, and those of one millisecond in the order they were written (Botpress's order,
// reversed), unless that millisecond holds more than a page: a pull whose budget ends inside one gives the part
// it read, its newest pages, before the rest.
const expectEachOnceInOrder = (messages: Message[], seen: string[], pageSize = Infinity) => {
  expect([...seen].sort()).toEqual(messages.map((m) => m.id).sort())
  const times = seen.map((id) => Date.parse(messages.find((m) => m.id === id)!.createdAt))
  expect(times.every((time, index) => index === 0 || time >= times[index - 1]!)).toBe(true)
  const written = new Map(messages.map((m, index) => [m.id, index]))
  const byMillisecond = new Map<string, string[]>()
  for (const id of seen) {
    const at = messages[written.get(id)!]!.createdAt
    byMillisecond.set(at, [...(byMillisecond.get(at) ?? []), id])
  }
  for (const ids of byMillisecond.values()) {
    if (ids.length <= pageSize) {
      expect(ids).toEqual([...ids].sort((a, b) => written.get(a)! - written.get(b)!))
    }
  }
}

const pile = (first: number, count: number, offsetMs: number) =>
  Array.from({ length: count }, (_, index) => message(first + index, offsetMs))

describe('readAfter', () => {
  it('pages any conversation with any page size and limit: each message once, oldest first, always moving on', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Offsets from dense piles on one millisecond to gaps of days, and distances doubling from the start (each
        // window above a pile then holds a full page, so that halving windows spends much of the budget)
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 20 }),
            fc.integer({ min: 0, max: 5 * 86_400_000 }),
            fc.integer({ min: 0, max: 58 }).map((k) => Math.floor(2 ** (k / 2)))
          ),
          { maxLength: 300, size: 'max' }
        ),
        // A pile of up to 47 pages on one millisecond, near the start or anywhere
        fc.oneof(fc.integer({ min: 21, max: 40 }), fc.integer({ min: 0, max: 5 * 86_400_000 })),
        fc.integer({ min: 0, max: 47 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 100 }),
        async (offsets, pileAt, pilePages, pageSize, limit) => {
          const messages = offsets.map((offset, index) => message(index, offset))
          messages.push(...pile(offsets.length, Math.min(pilePages * pageSize, 200), pileAt))
          // The one limit (see maxCallsPerPull): a pull from inside a millisecond reads at most 47 of its pages.
          const perMillisecond = new Map<string, number>()
          messages.forEach((m) => perMillisecond.set(m.createdAt, (perMillisecond.get(m.createdAt) ?? 0) + 1))
          fc.pre(Math.max(...perMillisecond.values()) <= 47 * pageSize)
          const { seen } = await pullAll(messages, pageSize, limit)
          expectEachOnceInOrder(messages, seen, pageSize)
        }
      ),
      // A fixed sample in CI; RUNS=<n> explores n random ones (and stops at the first failure).
      {
        numRuns: Number(process.env.RUNS ?? 200),
        seed: process.env.RUNS ? undefined : 20_261_201,
        endOnFailure: !!process.env.RUNS,
      }
    )
  })

  it('takes one call when one page holds everything after the position', async () => {
    const calls = { count: 0 }
    const messages = [message(1, 5), message(2, 6), message(3, 6)]
    const page = await readAfter(
      fakeClient(messages, 5, calls),
      { id: 'c', createdAt: '2026-01-01T00:00:00.000Z' },
      startPosition,
      50
    )
    expect(page.messages.map((m) => m.id)).toEqual([idOf(1), idOf(2), idOf(3)])
    expect(calls.count).toBe(1)
  })

  it('gives messages of one millisecond in the order they were written, not by id, a few per pull', async () => {
    // Written in this order within one millisecond; their ids sort otherwise
    const tied = [message(0, 5), ...pile(1, 5, 6), message(6, 7)]
    expect(tied.map((m) => m.id)).not.toEqual(tied.map((m) => m.id).sort())
    for (const limit of [1, 2, 3, 10]) {
      const { seen } = await pullAll(tied, 10, limit)
      expect(seen).toEqual(tied.map((m) => m.id))
    }
  })

  it('says hasMore only when more is there: a limit of exactly the messages left is the end', async () => {
    const messages = [message(1, 5), message(2, 6), message(3, 9)]
    for (const pageSize of [2, 5]) {
      const client = fakeClient(messages, pageSize, { count: 0 })
      const conversation = { id: 'c', createdAt: new Date(base).toISOString() }
      const exact = await readAfter(client, conversation, startPosition, 3)
      expect([exact.messages.length, exact.hasMore]).toEqual([3, false])
      const short = await readAfter(client, conversation, startPosition, 2)
      expect([short.messages.length, short.hasMore]).toEqual([2, true])
      const rest = await readAfter(client, conversation, short.position, 1)
      expect([rest.messages.map((m) => m.id), rest.hasMore]).toEqual([[idOf(3)], false])
    }
  })

  it('spends at most 48 Botpress calls on one pull, however long the backlog', async () => {
    // One page a message: a millisecond of 120 pages, then 200 messages far apart
    const messages = [
      ...pile(0, 120, 1_000),
      ...Array.from({ length: 200 }, (_, k) => message(200 + k, 5_000 + k * 997)),
    ]
    const conversation = { id: 'c', createdAt: new Date(base).toISOString() }
    let position = startPosition
    for (let pull = 0; pull < 3; pull++) {
      const calls = { count: 0 }
      const page = await readAfter(fakeClient(messages, 1, calls), conversation, position, 500)
      expect(calls.count).toBeLessThanOrEqual(48)
      expect(page.hasMore).toBe(true)
      position = page.position
    }
  })

  it('gives nothing after a millisecond the budget cut short, which is then read from the cursor on', async () => {
    // Found by hand: the budget ran out inside the first page's oldest millisecond, and the newer message after it
    // was given, so the cursor moved past the 10 messages of that millisecond not read yet.
    const messages = [...pile(0, 80, 1_000), message(99, 1_001)]
    const { seen } = await pullAll(messages, 2, 100)
    expectEachOnceInOrder(messages, seen, 2)
  })

  it('moves on when the position is inside a millisecond of many pages, far below the newest messages', async () => {
    // Found by hand: windows halving down from a long span spent the budget before the pile's unread pages, so a
    // pull from inside the pile gave nothing and kept the cursor, again and again.
    // Two messages in each doubling of the distance from the pile: each window below them holds a full page.
    const spaced = Array.from({ length: 60 }, (_, k) => message(100 + k, 1_000 + 2 ** (k >> 1) * (k % 2 ? 1 : 0.75)))
    const messages = [...pile(0, 80, 1_000), ...spaced]
    const { seen } = await pullAll(messages, 2, 100)
    expectEachOnceInOrder(messages, seen, 2)
  })

  it('moves past a stretch without messages when the budget runs out just after the position', async () => {
    // Found by hand: the pile at the position read whole, nothing new in it, then the budget spent on windows above
    // it: the cursor stayed where it was.
    const spaced = Array.from({ length: 60 }, (_, k) => message(100 + k, 1_000 + 2 ** (k >> 1) * (k % 2 ? 1 : 0.75)))
    const given = pile(0, 40, 1_000)
    const { seen } = await pullAll([...given, ...spaced], 2, 100, positionAfter(startPosition, given))
    expectEachOnceInOrder(spaced, seen)
  })
})

describe('a wait that also lists from an earlier time (to see the caller’s latest message)', () => {
  it('reads the same messages, hasMore and position as without it, and lists the earlier ones too', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.nat(),
        fc.integer({ min: 0, max: 70 }),
        async (offsets, pageSize, cut, listFrom) => {
          const messages = offsets.map((offset, index) => message(index, offset))
          const client = fakeClient(messages, pageSize, { count: 0 })
          const conversation = { id: 'conv_1', createdAt: new Date(base).toISOString() }
          const given = (await readAfter(client, conversation, startPosition, 100)).messages.slice(0, cut % 41)
          const position = positionAfter(startPosition, given)
          const plain = await readAfter(client, conversation, position, 5)
          const wider = await readAfter(client, conversation, position, 5, base + listFrom)
          expect({ ...wider, listed: [] }).toEqual({ ...plain, listed: [] })
          const from = Math.min(position.at, base + listFrom)
          const newestPage = messages
            .filter((m) => Date.parse(m.createdAt) >= from)
            .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
          expect(wider.listed.length).toBe(Math.min(pageSize, newestPage.length))
        }
      ),
      { numRuns: 300 }
    )
  })

  it('one call when one page reaches back past the position', async () => {
    const calls = { count: 0 }
    const messages = Array.from({ length: 6 }, (_, index) => message(index, index * 10))
    const client = fakeClient(messages, 10, calls)
    const position = positionAfter(startPosition, messages.slice(0, 5))
    const read = await readAfter(client, { id: 'c', createdAt: new Date(base).toISOString() }, position, 50, base)
    expect(read.messages.map((m) => m.id)).toEqual([messages[5]!.id])
    expect(read.listed).toHaveLength(6)
    expect(calls.count).toBe(1)
  })
})
