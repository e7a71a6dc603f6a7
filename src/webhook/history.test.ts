import type { Message } from '@botpress/client'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { BotpressClient } from './botpress-client'
import { startPosition } from './cursor'
import { readAfter } from './history'

type Query = { afterDate?: string; beforeDate?: string; nextToken?: string }

// Botpress's listMessages as documented: newest first, both dates inclusive, `pageSize` a page, keyset tokens.
const fakeClient = (messages: Message[], pageSize: number, calls: { count: number }) =>
  ({
    listMessages: async ({ afterDate, beforeDate, nextToken }: Query) => {
      calls.count += 1
      const key = (m: Message) => `${String(Date.parse(m.createdAt)).padStart(15, '0')}|${m.id}`
      const sorted = messages
        .filter((m) => afterDate === undefined || Date.parse(m.createdAt) >= Date.parse(afterDate))
        .filter((m) => beforeDate === undefined || Date.parse(m.createdAt) <= Date.parse(beforeDate))
        .filter((m) => nextToken === undefined || key(m) < nextToken)
        .sort((a, b) => (key(a) < key(b) ? 1 : -1))
      const page = sorted.slice(0, pageSize)
      const more = sorted.length > pageSize
      return { messages: page, meta: more ? { nextToken: key(page[page.length - 1]!) } : {} }
    },
  }) as unknown as BotpressClient

const base = Date.parse('2026-01-01T00:00:00.000Z')
const message = (index: number, offsetMs: number): Message =>
  ({ id: `msg_${String(index).padStart(5, '0')}`, createdAt: new Date(base + offsetMs).toISOString() }) as Message

describe('readAfter', () => {
  it('pages any conversation with any page size and limit: each message once, oldest first', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Offsets from dense piles on one millisecond to gaps of days
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5 * 86_400_000 })), {
          maxLength: 300,
          size: 'max',
        }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 100 }),
        async (offsets, pageSize, limit) => {
          const messages = offsets.map((offset, index) => message(index, offset))
          const calls = { count: 0 }
          const client = fakeClient(messages, pageSize, calls)
          const conversation = { id: 'conv_1', createdAt: new Date(base).toISOString() }
          const seen: string[] = []
          let position = startPosition
          for (let pull = 0; pull < 1_000; pull++) {
            const page = await readAfter(client, conversation, position, limit)
            expect(page.messages.length).toBeLessThanOrEqual(limit)
            seen.push(...page.messages.map((m) => m.id))
            // Every pull that says there is more moves on: it gives messages, or moves past a stretch without any.
            if (page.hasMore) expect(page.messages.length > 0 || page.position.at > position.at).toBe(true)
            position = page.position
            if (!page.hasMore) break
          }
          // Each message once; oldest first (the order within one millisecond is not promised).
          expect([...seen].sort()).toEqual(messages.map((m) => m.id).sort())
          const times = seen.map((id) => Date.parse(messages[Number(id.slice(4))]!.createdAt))
          expect(times.every((time, index) => index === 0 || time >= times[index - 1]!)).toBe(true)
        }
      ),
      // A fixed sample in CI; RUNS=<n> explores n random ones (and stops at the first failure).
      {
        numRuns: Number(process.env.RUNS ?? 60),
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
    expect(page.messages.map((m) => m.id)).toEqual(['msg_00001', 'msg_00002', 'msg_00003'])
    expect(calls.count).toBe(1)
  })
})
