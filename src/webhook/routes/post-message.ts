import type { Message } from '@botpress/client'
import type { Response } from '@botpress/sdk'
import { idDigest, type Position } from '../../botpress/position'
import { encodeCursor } from '../cursor'
import { positionAfter, readAfter } from '../../botpress/history'
import { directionOf, toItem } from '../items'
import { parseInboundMessage } from '../inbound-message'
import { ingestMessage, type Ingested } from '../../botpress/ingest'
import { pollUntil } from '../long-poll'
import { parseQuery } from '../query'
import { parseJsonObject } from '../request-gate'
import { jsonResponse } from '../responses'
import type { RouteContext } from './types'

// Replies are taken as finished once none has come for this long.
const quietMs = 1_000
const maxRepliesRead = 100

/**
 * `POST /`: one caller message in, `{ message, user, conversation, cursor }` out. With `?wait=`, also the bot's
 * replies: the bot messages right after the caller's, up to the next incoming message.
 */
export const postMessage = async ({ req, ctx, client, receivedAt }: RouteContext): Promise<Response> => {
  const query = parseQuery(req.query, ['wait'])
  const inbound = parseInboundMessage(parseJsonObject(req.body))
  const ingested = await ingestMessage(client, ctx, inbound)
  // The place just after the caller's message: the same for every repeat of it.
  const afterMessage: Position = { at: Date.parse(ingested.message.createdAt), seen: [idDigest(ingested.message.id)] }
  if (query.waitMs === undefined) {
    return jsonResponse(200, { ...ingested, cursor: encodeCursor(ctx, ingested.conversation.id, afterMessage) })
  }
  const { replies, position } = await awaitReplies({ ctx, client, receivedAt }, ingested, afterMessage, query.waitMs)
  return jsonResponse(200, {
    ...ingested,
    cursor: encodeCursor(ctx, ingested.conversation.id, position),
    replies: replies.map((reply) => toItem(reply, inbound.conversationId, ctx.botUserId)),
  })
}

const awaitReplies = async (
  { ctx, client, receivedAt }: Omit<RouteContext, 'req'>,
  { conversation }: Ingested,
  from: Position,
  waitMs: number
) => {
  const replies: Message[] = []
  let position = from
  let lastReplyAt = 0
  let nextCallerMessage = false
  const poll = async () => {
    const { messages } = await readAfter(client, conversation, position, maxRepliesRead)
    const firstIncoming = messages.findIndex((message) => directionOf(message, ctx.botUserId) === 'incoming')
    const fresh = firstIncoming < 0 ? messages : messages.slice(0, firstIncoming)
    nextCallerMessage = firstIncoming >= 0
    if (fresh.length > 0) {
      replies.push(...fresh)
      position = positionAfter(position, fresh)
      lastReplyAt = Date.now()
    }
  }
  // Replies end at the next caller message: nothing after it answers this one.
  const done = () => nextCallerMessage || (replies.length > 0 && Date.now() - lastReplyAt >= quietMs)
  await pollUntil(poll, done, receivedAt + waitMs)
  return { replies, position }
}
