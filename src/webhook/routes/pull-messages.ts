import type { Conversation } from '@botpress/client'
import type { Response } from '@botpress/sdk'
import { lookUpConversation } from '../conversation-lookup'
import { startPosition, type Position } from '../../botpress/position'
import { decodeCursor, encodeCursor } from '../cursor'
import { readAfter, type HistoryPage } from '../../botpress/history'
import { callerEventAtOf } from '../../botpress/caller-event-mark'
import { conversationCache } from '../../botpress/participants'
import { toItem } from '../items'
import { pollUntil, type WaitRead, type WaitSignals } from '../long-poll'
import { followsEvents, recentActivityMs, signalsFrom, withCallerEvent } from '../wait-signals'
import { parseQuery } from '../query'
import { jsonResponse } from '../responses'
import { isNotFound } from '../../botpress/upstream-errors'
import type { RouteContext } from './types'

/**
 * `GET /conversations/<conversationId>/messages?after=&limit=&wait=`: the messages after a cursor, oldest first.
 * With a known conversation and a page that holds the answer, one Botpress call. A cached conversation is checked
 * again (one more call, once per request) only when it seems gone or to have nothing new, so a stale cache entry
 * never hides messages.
 */
export const pullMessages = async (
  { req, ctx, client, receivedAt }: RouteContext,
  conversationId: string
): Promise<Response> => {
  const query = parseQuery(req.query, ['after', 'limit', 'wait'])
  let conversation = conversationCache.get(ctx, conversationId)
  let checked = conversation === undefined
  // When this request last read the conversation (its tags) from Botpress: never yet
  let conversationReadAt = Number.NEGATIVE_INFINITY
  const lookUp = async () => {
    checked = true
    conversationReadAt = Date.now()
    conversation = await lookUpConversation(client, ctx, conversationId)
    return conversation
  }
  conversation ??= await lookUp()

  const positionIn = (target: Conversation): Position =>
    query.after === undefined ? startPosition : decodeCursor(ctx, target.id, query.after)
  let position: Position
  try {
    position = positionIn(conversation)
  } catch (thrown) {
    if (checked) {
      throw thrown
    }
    position = positionIn(await lookUp())
  }

  let page: HistoryPage = { messages: [], hasMore: false, position }
  // A wait follows the conversation: the caller's latest message and the bot's turn on it (from the messages it
  // lists), and the caller's latest event (the conversation's tag, read by look-ups; where the caller sends events,
  // also by every other idle check)
  const waiting = (query.waitMs ?? 0) > 0
  let fromMessages: WaitSignals = {}
  const signals = (): WaitSignals => {
    const callerEventAt = callerEventAtOf(conversation!)
    const readsConversation = followsEvents(callerEventAt, Date.now())
    return {
      ...withCallerEvent(fromMessages, callerEventAt),
      conversationReadAt: readsConversation ? conversationReadAt : undefined,
    }
  }
  // Make sure the cached id is still this conversation's (a 404 if none is); another one (erased and started again
  // meanwhile) is read from the cursor's position in it
  const checkAgain = async (notFound?: unknown) => {
    const cachedId = conversation!.id
    if ((await lookUp()).id !== cachedId) {
      position = positionIn(conversation!)
      page = await readAfter(client, conversation!, position, query.limit)
    } else if (notFound) {
      throw notFound
    }
  }
  const poll = async (read: WaitRead) => {
    if (read === 'conversation') {
      return checkAgain()
    }
    try {
      const listFrom = waiting ? Date.now() - recentActivityMs : undefined
      const { listed, ...fresh } = await readAfter(client, conversation!, position, query.limit, listFrom)
      page = fresh
      fromMessages = signalsFrom(listed, ctx.botUserId)
    } catch (thrown) {
      if (!isNotFound(thrown)) {
        throw thrown
      }
      // Not found (also erased during a wait)
      return checkAgain(thrown)
    }
    // Nothing through a cached id: the conversation may have been erased and started again on another copy
    if (page.messages.length === 0 && !checked) {
      await checkAgain()
    }
  }
  await pollUntil(poll, () => page.messages.length > 0, receivedAt + (query.waitMs ?? 0), signals)

  const target = conversation!
  return jsonResponse(200, {
    messages: page.messages.map((message) => toItem(message, conversationId, ctx.botUserId)),
    cursor: encodeCursor(ctx, target.id, page.position),
    hasMore: page.hasMore,
  })
}
