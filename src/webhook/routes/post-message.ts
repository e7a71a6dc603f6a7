import type { Response } from '@botpress/sdk'
import { idDigest, type Position } from '../../botpress/position'
import { encodeCursor } from '../cursor'
import { awaitReplies } from '../await-replies'
import { toItem } from '../items'
import { parseInboundMessage } from '../inbound-message'
import { ingestMessage } from '../../botpress/ingest'
import { parseQuery } from '../query'
import { parseJsonObject } from '../request-gate'
import { jsonResponse } from '../responses'
import type { RouteContext } from './types'

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
  const activity = { from: afterMessage, at: afterMessage.at, messageId: ingested.message.id }
  const { replies, position } = await awaitReplies(
    { ctx, client, receivedAt },
    ingested.conversation,
    activity,
    query.waitMs
  )
  return jsonResponse(200, {
    ...ingested,
    cursor: encodeCursor(ctx, ingested.conversation.id, position),
    replies: replies.map((reply) => toItem(reply, inbound.conversationId, ctx.botUserId)),
  })
}
