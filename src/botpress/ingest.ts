import type { Conversation, Message, User } from '@botpress/client'
import type { messages } from '@botpress/sdk'
import type * as bp from '../bp'
import type { BotpressClient } from './client'
import { required, withParticipants, type InstallationScope } from './participants'
import type { UserProfile } from './user-profile'

export type InboundType = keyof typeof messages.defaults

/** A caller's message, checked: the webhook parses it, this layer stores it. */
export type InboundMessage = {
  userId: string
  messageId: string
  conversationId: string
  type: InboundType
  payload: InboundPayload
  profile: UserProfile
}
export type InboundPayload = bp.TIntegration['channels']['channel']['messages'][InboundType]

export type Ingested = { message: Message; user: User; conversation: Conversation }

/** Get-or-create of user, conversation and message: the message is deduplicated by messageId within its conversation. */
export const ingestMessage = async (
  client: BotpressClient,
  scope: InstallationScope,
  inbound: InboundMessage
): Promise<Ingested> => {
  const { user, conversation, created } = await withParticipants(client, scope, inbound, (author, where) =>
    getOrCreateMessage(client, inbound, author, where)
  )
  return { message: created, user, conversation }
}

const getOrCreateMessage = async (
  client: BotpressClient,
  { messageId, conversationId, type, payload }: InboundMessage,
  user: User,
  conversation: Conversation
) => {
  const { message } = await client.getOrCreateMessage({
    type,
    payload,
    userId: user.id,
    conversationId: conversation.id,
    // The conversationId tag scopes dedupe: the same messageId in another conversation is another message.
    tags: { id: messageId, conversationId },
    discriminateByTags: ['id', 'conversationId'],
  })
  return required(message, 'message')
}
