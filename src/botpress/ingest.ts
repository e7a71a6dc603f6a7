import type { Conversation, Message, User } from '@botpress/client'
import type { messages } from '@botpress/sdk'
import type * as bp from '../bp'
import type { BotpressClient } from './client'
import { lazyCache } from './lazy-cache'
import { isNotFound, UpstreamError } from './upstream-errors'
import { withProfile, type UserProfile } from './user-profile'

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

/**
 * External id → Botpress object, per bot. Only a shortcut: a miss costs one more round trip, and a stale entry (the
 * object was deleted) makes Botpress answer not-found, after which the entry is dropped and the message is sent
 * again through the full get-or-create path. Dedupe itself always happens in Botpress.
 */
const cacheOptions = { max: 10_000, ttl: 10 * 60_000 }
const knownUsers = lazyCache<User>(cacheOptions)
const knownConversations = lazyCache<Conversation>(cacheOptions)

// One bot may install the integration more than once (under several aliases): ids are cached per installation.
export type InstallationScope = { botId: string; integrationId: string; integrationAlias: string }

const keyOf = (scope: InstallationScope, externalId: string) =>
  `${scope.botId}|${scope.integrationId}|${scope.integrationAlias}|${externalId}`

/** The conversation entries, for pulls (which never create: they read, and repair a stale entry by a look-up). */
export const conversationCache = {
  get: (scope: InstallationScope, conversationId: string) => knownConversations.get(keyOf(scope, conversationId)),
  set: (scope: InstallationScope, conversationId: string, conversation: Conversation) =>
    void knownConversations.set(keyOf(scope, conversationId), conversation),
  delete: (scope: InstallationScope, conversationId: string) =>
    void knownConversations.delete(keyOf(scope, conversationId)),
}

type Known = { user?: User; conversation?: Conversation }

/** Get-or-create of user, conversation and message: the message is deduplicated by messageId within its conversation. */
export const ingestMessage = async (
  client: BotpressClient,
  scope: InstallationScope,
  inbound: InboundMessage
): Promise<Ingested> => {
  const keys = { user: keyOf(scope, inbound.userId), conversation: keyOf(scope, inbound.conversationId) }
  const known: Known = { user: knownUsers.get(keys.user), conversation: knownConversations.get(keys.conversation) }
  let ingested: Ingested
  try {
    ingested = await ingestWith(client, inbound, known)
  } catch (thrown) {
    if (!(known.user || known.conversation) || !isNotFound(thrown)) {
      throw thrown
    }
    // A cached object Botpress no longer has: forget it and take the full path once.
    knownUsers.delete(keys.user)
    knownConversations.delete(keys.conversation)
    ingested = await ingestWith(client, inbound, {})
  }
  knownUsers.set(keys.user, ingested.user)
  knownConversations.set(keys.conversation, ingested.conversation)
  return ingested
}

// User and conversation do not depend on each other: one round trip for both, none for what is known. A profile
// change is written beside the message, so it adds a call but no round trip.
const ingestWith = async (client: BotpressClient, inbound: InboundMessage, known: Known): Promise<Ingested> => {
  const [found, conversation] = await Promise.all([
    known.user ?? getOrCreateUser(client, inbound.userId, inbound.profile),
    known.conversation ?? getOrCreateConversation(client, inbound.conversationId),
  ])
  const [user, message] = await Promise.all([
    withProfile(client, found, inbound.profile),
    getOrCreateMessage(client, inbound, found, conversation),
  ])
  return { message, user, conversation }
}

/**
 * An answer without the object asked for (a proxy's `200 {}`, a truncated body) is a failed call: answering the
 * caller 200 would tell it a message was stored when nothing was.
 */
const required = <T extends { id: string }>(value: T | undefined, what: string): T => {
  if (typeof value !== 'object' || value === null || typeof value.id !== 'string') {
    throw new UpstreamError(`the Botpress API answered get-or-create ${what} without a ${what}`)
  }
  return value
}

/** By tag `id` alone, whoever asks first (a caller, a bot's action): one user per userId. A profile is set on creation. */
export const getOrCreateUser = async (client: BotpressClient, userId: string, profile: UserProfile = {}) => {
  const { user } = await client.getOrCreateUser({ tags: { id: userId }, discriminateByTags: ['id'], ...profile })
  return required(user, 'user')
}

/** By tag `id` alone, whoever asks first: one conversation per conversationId. */
export const getOrCreateConversation = async (client: BotpressClient, conversationId: string) => {
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

/**
 * What the integration created otherwise (a bot's action, Botpress's create_conversation / create_user): the
 * caller's first message with these ids then skips a round trip on this copy.
 */
export const rememberCreated = (
  scope: InstallationScope,
  created: { userId: string; user: User } | { conversationId: string; conversation: Conversation }
) => {
  if ('user' in created) knownUsers.set(keyOf(scope, created.userId), created.user)
  else knownConversations.set(keyOf(scope, created.conversationId), created.conversation)
}

/** An erasure made on this copy: its entries go at once (another copy's stale entry is repaired on its next use). */
export const forgetErased = (scope: InstallationScope, erased: { userId: string } | { conversationId: string }) => {
  if ('userId' in erased) knownUsers.delete(keyOf(scope, erased.userId))
  else knownConversations.delete(keyOf(scope, erased.conversationId))
}
