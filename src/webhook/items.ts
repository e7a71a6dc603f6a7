import type { Message } from '@botpress/client'
import type { OutboundBody } from '../botpress/outbound-body'

export type Direction = 'incoming' | 'outgoing'

/** A message as a pull lists it: the outbound body's fields, plus where it went, when, and its external id. */
export type Item = OutboundBody & { direction: Direction; createdAt: string; messageId: string | null }

/** Botpress marks each message's direction; one without is outgoing when the bot's own user wrote it. */
export const directionOf = (message: Message, botUserId: string): Direction =>
  message.direction === 'incoming' || message.direction === 'outgoing'
    ? message.direction
    : message.userId === botUserId
      ? 'outgoing'
      : 'incoming'

/**
 * `messageId` is the message's tag `id`: the caller's id on an incoming message; on a bot message, the id the
 * endpoint answered with (stored by `ack`), or null when none was.
 */
export const toItem = (message: Message, conversationId: string, botUserId: string): Item => ({
  type: message.type,
  payload: message.payload,
  conversationId,
  botpressUserId: message.userId,
  botpressMessageId: message.id,
  botpressConversationId: message.conversationId,
  direction: directionOf(message, botUserId),
  createdAt: message.createdAt,
  messageId: message.tags?.id || null,
})
