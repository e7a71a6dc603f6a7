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
const cacheOptions = { max: 10_000, ttl: 10 * 60_000 }
const knownUsers = new LRUCache<string, User>(cacheOptions)
const knownConversations = new LRUCache<string, Conversation>(cacheOptions)

/** Get-or-create of user, conversation and message: the message is deduplicated by messageId within its conversation. */
export const ingestMessage = async (
  client: BotpressClient,
  botId: string,
  inbound: InboundMessage
): Promise<Ingested> => {
  const userKey = `${botId}|${inbound.userId}`
  const conversationKey = `${botId}|${inbound.conversationId}`
  const cachedUser = knownUsers.get(userKey)
  const cachedConversation = knownConversations.get(conversationKey)
  if (cachedUser && cachedConversation) {
    try {
      const message = await getOrCreateMessage(client, inbound, cachedUser, cachedConversation)
      return { message, user: cachedUser, conversation: cachedConversation }
    } catch (thrown) {
      if (!isNotFound(thrown)) {
        throw thrown
      }
      knownUsers.delete(userKey)
      knownConversations.delete(conversationKey)
    }
  }

  // User and conversation do not depend on each other: one round trip for both.
  const [user, conversation] = await Promise.all([
    knownUsers.get(userKey) ?? getOrCreateUser(client, inbound.userId),
    knownConversations.get(conversationKey) ?? getOrCreateConversation(client, inbound.conversationId),
  ])
  const message = await getOrCreateMessage(client, inbound, user, conversation)
  knownUsers.set(userKey, user)
  knownConversations.set(conversationKey, conversation)
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
