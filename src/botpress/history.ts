import type { Message } from '@botpress/client'
import type { BotpressClient } from './client'
import { idDigest, type Position } from './position'

export type HistoryPage = { messages: Message[]; hasMore: boolean; position: Position }

const timeOf = (message: Message) => Date.parse(message.createdAt)
const iso = (ms: number) => new Date(ms).toISOString()

export const isAfter = (message: Message, position: Position): boolean => {
  const at = timeOf(message)
  return at > position.at || (at === position.at && !position.seen.includes(idDigest(message.id)))
}

/** The position just after `given` (oldest first), which were the messages right after `from`. */
export const positionAfter = (from: Position, given: Message[]): Position => {
  const last = given[given.length - 1]
  if (!last) {
    return from
  }
  const at = timeOf(last)
  const sameTime = given.filter((message) => timeOf(message) === at).map((message) => idDigest(message.id))
  return { at, seen: at === from.at ? [...from.seen, ...sameTime] : sameTime }
}

// A pull that would need more calls than this answers with what it has read so far (hasMore: true). Enough to halve
// a window down to one millisecond and still read a few pages, within the request's deadline. Every such answer moves
// on, with one limit: a pull from inside a millisecond reads at most 47 of its pages (Botpress's tokens cannot be
// kept in the cursor), so one holding more than that many pages of messages would not be read past.
const maxCallsPerPull = 48

type Window = { afterDate?: string; beforeDate?: string }

/**
 * The conversation's messages after `position`, oldest first, at most `limit`, and the position after them. Botpress
 * lists newest first, its dates inclusive: when one page holds everything after the position (a poll, the common
 * case), that is one call. A longer backlog is not read from its newest end: windows are read forward from the
 * position, growing while they fit in one page and shrinking when they do not, until `limit` messages are known in
 * order, the windows reach the first page, or the call budget is spent. Botpress's createdAt has millisecond
 * precision, so windows of whole milliseconds that touch without overlapping miss nothing.
 */
export const readAfter = async (
  client: BotpressClient,
  conversation: { id: string; createdAt: string },
  position: Position,
  limit: number,
  // A wait also lists the messages from this time (ms), to see the caller's latest one: still one call
  alsoListFrom?: number
): Promise<HistoryPage & { listed: Message[] }> => {
  let calls = 0
  const list = async (window: Window, nextToken?: string) => {
    calls += 1
    const { messages, meta } = await client.listMessages({ conversationId: conversation.id, ...window, nextToken })
    return { messages: messages ?? [], nextToken: meta?.nextToken || undefined }
  }
  // The messages read that are after the position (each checked once: the check hashes ids), in the order Botpress
  // listed them: newest first, and messages of one millisecond in its own order, which ids do not follow. Every
  // listing of a millisecond starts at its newest message, so the first time each is seen keeps that order.
  const known = new Map<string, Message>()
  const add = (messages: Message[]) => {
    for (const message of messages) {
      if (!known.has(message.id) && isAfter(message, position)) {
        known.set(message.id, message)
      }
    }
  }
  // Oldest first: by time, and messages of one millisecond in the reverse of Botpress's order, never re-sorted.
  const after = () =>
    [...known.values()]
      .map((message, listed) => ({ message, at: timeOf(message), listed }))
      .sort((a, b) => a.at - b.at || b.listed - a.listed)
      .map(({ message }) => message)

  const listFrom = Math.min(position.at, alsoListFrom ?? position.at)
  const first = await list({ afterDate: listFrom > 0 ? iso(listFrom) : undefined })
  const listed = first.messages
  add(listed)
  // The page holds everything after the position when it is the last one, or reaches back past the position
  if (!first.nextToken || listed.length === 0 || listed.some((message) => timeOf(message) < position.at)) {
    const all = after()
    const messages = all.slice(0, limit)
    return { messages, hasMore: all.length > limit, position: positionAfter(position, messages), listed }
  }
  // Everything newer than the first page's oldest message is known; what lies between the position and it is read.
  const newestPageStart = Math.min(...first.messages.map(timeOf))
  let from = position.at > 0 ? position.at : Math.min(Date.parse(conversation.createdAt), newestPageStart)
  // The first page's density sizes the first window to fit in about one page.
  const perMessage =
    (Math.max(...first.messages.map(timeOf)) - newestPageStart) / Math.max(1, first.messages.length - 1)
  let span = Math.max(1, Math.floor(perMessage * first.messages.length * 0.8))
  let completeUpTo = from - 1
  // The last span that fit in one page: a window over one crowded millisecond does not make the next ones tiny.
  let fitSpan = span
  // A millisecond known to hold a full page by itself: windows below it stop just before it, then it is read alone.
  // The position's own millisecond, when part of it was given, is read alone first: with the whole budget for its
  // pages, a pull gets past what earlier pulls gave of it, instead of spending the budget on the way to it.
  let crowdedAt: number | undefined = position.seen.length > 0 ? position.at : undefined
  let exhausted = false
  let partialMillisecond = false
  // Nothing after a millisecond read only in part is given: its unread messages come before those.
  const inOrder = () =>
    after().filter(
      (message) => (completeUpTo >= newestPageStart && !partialMillisecond) || timeOf(message) <= completeUpTo
    )
  while (completeUpTo < newestPageStart) {
    if (calls >= maxCallsPerPull) {
      exhausted = true
      break
    }
    let to = Math.min(from + span, newestPageStart)
    if (crowdedAt !== undefined && crowdedAt >= from) {
      to = crowdedAt > from ? Math.min(to, crowdedAt - 1) : from
    }
    const window = { afterDate: iso(from), beforeDate: iso(to) }
    let page = await list(window)
    add(page.messages)
    if (page.nextToken && to > from) {
      // Too many for one page. Everything newer than the page's oldest message is on it, so the window can end
      // there, or at half if that is shorter; when the page is all of its last millisecond, that one is crowded.
      const oldest = Math.min(...page.messages.map(timeOf))
      if (oldest === to) {
        crowdedAt = to
      }
      span = Math.min(oldest < to ? oldest : to - 1, from + Math.floor((to - from) / 2)) - from
      continue
    }
    // One millisecond holding more than a page: its pages, as many as the budget allows. Part of one millisecond
    // may be given: the cursor names each message given at that millisecond, so the rest still comes next.
    while (page.nextToken && calls < maxCallsPerPull) {
      page = await list(window, page.nextToken)
      add(page.messages)
    }
    completeUpTo = to
    if (page.nextToken) {
      exhausted = partialMillisecond = true
      break
    }
    if (inOrder().length >= limit) {
      break
    }
    if (to > from) {
      fitSpan = to - from
    }
    from = to + 1
    span = Math.max(1, fitSpan * 2)
  }
  const messages = inOrder().slice(0, limit)
  // The budget spent on a stretch with nothing new in it: the cursor moves past that stretch (every message up to
  // its end was given), so that the next pull goes further instead of reading it again.
  const skipEmpty = exhausted && messages.length === 0 && !partialMillisecond && completeUpTo >= position.at
  return {
    messages,
    hasMore: exhausted || after().length > messages.length,
    position: skipEmpty ? { at: completeUpTo + 1, seen: [] } : positionAfter(position, messages),
    listed,
  }
}
