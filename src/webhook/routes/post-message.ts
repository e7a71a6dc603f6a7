import type { Response } from '@botpress/sdk'
import { idDigest, type Position } from '../../botpress/position'
import { parseInboundMessage } from '../inbound-message'
import { ingestMessage } from '../../botpress/ingest'
import { parseQuery } from '../query'
import { parseJsonObject } from '../request-gate'
import { answerWithReplies } from './answer-with-replies'
import type { RouteContext } from './types'

/**
 * `POST /`: one caller message in, `{ message, user, conversation, cursor }` out. With `?wait=`, also the bot's
 * replies: the bot messages right after the caller's, up to the next incoming message.
 */
export const postMessage = async (routed: RouteContext): Promise<Response> => {
  const query = parseQuery(routed.req.query, ['wait'])
  const inbound = parseInboundMessage(parseJsonObject(routed.req.body))
  const ingested = await ingestMessage(routed.client, routed.ctx, inbound)
  // The place just after the caller's message: the same for every repeat of it.
  const afterMessage: Position = { at: Date.parse(ingested.message.createdAt), seen: [idDigest(ingested.message.id)] }
  const activity = { from: afterMessage, at: afterMessage.at, messageId: ingested.message.id }
  const where = { conversation: ingested.conversation, conversationId: inbound.conversationId, activity }
  return answerWithReplies(routed, query.waitMs, where, ingested)
}
