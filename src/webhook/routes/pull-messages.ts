import type { Conversation } from '@botpress/client'
import type { Response } from '@botpress/sdk'
import { lookUpConversation } from '../conversation-lookup'
import { startPosition, type Position } from '../../botpress/position'
import { decodeCursor, encodeCursor } from '../cursor'
import { readAfter, type HistoryPage } from '../../botpress/history'
import { conversationCache } from '../../botpress/participants'
import { toItem } from '../items'
import { pollUntil } from '../long-poll'
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
  const lookUp = async () => {
    checked = true
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
  const poll = async () => {
    let suspect = false
    try {
      page = await readAfter(client, conversation!, position, query.limit)
      suspect = page.messages.length === 0 && !checked
    } catch (thrown) {
      if (checked || !isNotFound(thrown)) {
        throw thrown
      }
      suspect = true
    }
    // Nothing (or not found) through a cached id: make sure it is still this conversation's (a 404 if none is).
    if (suspect) {
      const cachedId = conversation!.id
      if ((await lookUp()).id !== cachedId) {
        position = positionIn(conversation!)
        page = await readAfter(client, conversation!, position, query.limit)
      }
    }
  }
  await pollUntil(poll, () => page.messages.length > 0, receivedAt + (query.waitMs ?? 0))

  const target = conversation!
  return jsonResponse(200, {
    messages: page.messages.map((message) => toItem(message, conversationId, ctx.botUserId)),
    cursor: encodeCursor(ctx, target.id, page.position),
    hasMore: page.hasMore,
  })
}
