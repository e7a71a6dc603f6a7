import type { Conversation, Message, User } from '@botpress/client'
import { LRUCache } from 'lru-cache'
import type { BotpressClient } from './botpress-client'
import type { InboundMessage } from './inbound-message'
import { isNotFound } from './upstream-errors'

export type Ingested = { message: Message; user: User; conversation: Conversation }

/**
 * External id → Botpress object, per bot. Only a shortcut: a miss costs one more round trip, and a stale entry (the
 * object was deleted) makes Botpress answer not-found, after which the entry is dropped and the message is sent
 * again through the full get-or-create path. Dedupe itself always happens in Botpress.
 */
const known = new LRUCache<string, User | Conversation>({ max: 10_000, ttl: 10 * 60_000 })

const userKey = (botId: string, userId: string) => `${botId}|user|${userId}`
const conversationKey = (botId: string, conversationId: string) => `${botId}|conversation|${conversationId}`

export const forgetKnownIds = () => known.clear()

/** Get-or-create of user, conversation and message: the message is deduplicated by messageId within its conversation. */
export const ingestMessage = async (
  client: BotpressClient,
  botId: string,
  inbound: InboundMessage
): Promise<Ingested> => {
  const keys = { user: userKey(botId, inbound.userId), conversation: conversationKey(botId, inbound.conversationId) }
  const cachedUser = known.get(keys.user) as User | undefined
  const cachedConversation = known.get(keys.conversation) as Conversation | undefined
  if (cachedUser && cachedConversation) {
    try {
      const message = await getOrCreateMessage(client, inbound, cachedUser, cachedConversation)
      return { message, user: cachedUser, conversation: cachedConversation }
    } catch (thrown) {
      if (!isNotFound(thrown)) {
        throw thrown
      }
      known.delete(keys.user)
      known.delete(keys.conversation)
    }
  }

  // User and conversation do not depend on each other: one round trip for both.
  const [user, conversation] = await Promise.all([
    (known.get(keys.user) as User | undefined) ?? getOrCreateUser(client, inbound.userId),
    (known.get(keys.conversation) as Conversation | undefined) ??
      getOrCreateConversation(client, inbound.conversationId),
  ])
  const message = await getOrCreateMessage(client, inbound, user, conversation)
  known.set(keys.user, user)
  known.set(keys.conversation, conversation)
  return { message, user, conversation }
}

/**
 * An answer without the object asked for (a proxy's `200 {}`, a truncated body) is a failed call: answering the
 * caller 200 would tell it a message was stored when nothing was.
 */
const required = <T extends { id: string }>(value: T | undefined, what: string): T => {
  if (typeof value !== 'object' || value === null || typeof value.id !== 'string') {
    throw new Error(`The Botpress API answered get-or-create ${what} without a ${what}`)
  }
  return value
}

const getOrCreateUser = async (client: BotpressClient, userId: string) => {
  const { user } = await client.getOrCreateUser({ tags: { id: userId }, discriminateByTags: ['id'] })
  return required(user, 'user')
}

const getOrCreateConversation = async (client: BotpressClient, conversationId: string) => {
  const { conversation } = await client.getOrCreateConversation({
    channel: 'channel',
    tags: { id: conversationId },
    discriminateByTags: ['id'],
  })
  return required(conversation, 'conversation')
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
