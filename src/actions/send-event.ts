import { RuntimeError } from '@botpress/sdk'
import { randomUUID } from 'node:crypto'
import { sendEvent as definition, sendEventInput } from '../../definitions/actions'
import type * as bp from '../bp'
import { botpressClientFor } from '../botpress/client'
import { deliverOrThrow } from '../channels/delivery'
import { endpointConfigured } from '../channels/outbound-request'
import { asOwnerFailure, parseInput } from './failures'

/** What the Response Endpoint receives for a bot's event: the caller's conversation id (null when it has none) */
export type EventBody = {
  type: 'event'
  name: string
  payload: Record<string, unknown>
  conversationId: string | null
  botpressConversationId: string
  eventId: string
}

const title = definition.title

/**
 * The bot tells the back end something that is not a chat message: one POST to the Response Endpoint, through the
 * same delivery as messages (signed, retried), its `webhook-id` the event's own id. One Botpress call: the
 * conversation, for the caller's id of it. Fails, so that the bot's flow takes its error path, when not delivered.
 */
export const sendEvent: bp.ActionHandlers['sendEvent'] = async ({ ctx, input }) => {
  const { conversationId, name, payload } = parseInput(sendEventInput, input, title)
  if (!endpointConfigured(ctx.configuration)) {
    throw new RuntimeError(`${title}: no Response Endpoint URL is configured, so there is nowhere to send the event`)
  }
  const client = botpressClientFor(ctx)
  const { conversation } = await asOwnerFailure(title, () => client.getConversation({ id: conversationId }))
  const eventId = `evt_${randomUUID()}`
  const body: EventBody = {
    type: 'event',
    name,
    payload: payload ?? {},
    conversationId: conversation.tags?.id ?? null,
    botpressConversationId: conversation.id,
    eventId,
  }
  // Its name and payload are the bot's content: the error names the event by its id only
  await deliverOrThrow(ctx.configuration, eventId, body, `event ${eventId}`)
  return { eventId }
}
