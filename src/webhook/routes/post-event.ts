import type { Response } from '@botpress/sdk'
import { ingestEvent } from '../../botpress/events'
import type { Position } from '../../botpress/position'
import { parseInboundEvent } from '../inbound-event'
import { parseQuery } from '../query'
import { parseJsonObject } from '../request-gate'
import { answerWithReplies } from './answer-with-replies'
import type { RouteContext } from './types'

/**
 * `POST /events`: one caller event in, `{ event, conversation, user, cursor }` out (a repeat of its eventId gets the
 * first event). With `?wait=`, also the bot's replies: its messages after the event, up to the next incoming one.
 */
export const postEvent = async (routed: RouteContext): Promise<Response> => {
  const query = parseQuery(routed.req.query, ['wait'])
  const inbound = parseInboundEvent(parseJsonObject(routed.req.body))
  const { event, user, conversation } = await ingestEvent(routed.client, routed.ctx, inbound, routed.warn)
  // The conversation's place at the event: what the bot wrote since comes after it, the same for every repeat.
  const atEvent: Position = { at: Date.parse(event.createdAt), seen: [] }
  const name = typeof event.payload?.name === 'string' ? event.payload.name : inbound.name
  const answer = {
    event: { id: event.id, name, createdAt: event.createdAt },
    conversation: { id: conversation.id },
    user: { id: user.id },
  }
  // No turn is recorded on an event (Botpress brackets turns on messages): its replies end after the quiet period
  const where = { conversation, conversationId: inbound.conversationId, activity: { from: atEvent, at: atEvent.at } }
  return answerWithReplies(routed, query.waitMs, where, answer)
}
