import type { Conversation } from '@botpress/client'
import type { Response } from '@botpress/sdk'
import { awaitReplies, type CallerActivity } from '../await-replies'
import { encodeCursor } from '../cursor'
import { toItem } from '../items'
import { jsonResponse } from '../responses'
import type { RouteContext } from './types'

/**
 * The `200` of a route that writes into a conversation (a message, an event): `answer` with a cursor at what the
 * caller sent; with `?wait=`, also the bot's replies after it (as pull items) and the cursor after the last of them.
 */
export const answerWithReplies = async (
  { ctx, client, receivedAt }: RouteContext,
  waitMs: number | undefined,
  where: { conversation: Conversation; conversationId: string; activity: CallerActivity },
  answer: Record<string, unknown>
): Promise<Response> => {
  const { conversation, conversationId, activity } = where
  if (waitMs === undefined) {
    return jsonResponse(200, { ...answer, cursor: encodeCursor(ctx, conversation.id, activity.from) })
  }
  const { replies, position } = await awaitReplies({ ctx, client, receivedAt }, conversation, activity, waitMs)
  return jsonResponse(200, {
    ...answer,
    cursor: encodeCursor(ctx, conversation.id, position),
    replies: replies.map((reply) => toItem(reply, conversationId, ctx.botUserId)),
  })
}
