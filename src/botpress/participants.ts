import type { Conversation, User } from '@botpress/client'
import type { BotpressClient } from './client'
import { lazyCache } from './lazy-cache'
import { isNotFound, UpstreamError } from './upstream-errors'
import { withProfile, type UserProfile } from './user-profile'

/**
 * External id → Botpress object, per bot. Only a shortcut: a miss costs one more round trip, and a stale entry (the
 * object was deleted) makes Botpress answer not-found, after which the entry is dropped and the request takes the
 * full get-or-create path again. Dedupe itself always happens in Botpress.
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

/** Who is writing where, in the caller's ids: a message and an event both name them. */
export type Participants = { userId: string; conversationId: string; profile: UserProfile }

export type WithParticipants<T> = { user: User; conversation: Conversation; created: T }

type Known = { user?: User; conversation?: Conversation }

/**
 * Get-or-create of the user and the conversation (cached per installation), then `create` with their Botpress
 * objects: what the caller sent in them (a message, an event). A cached object Botpress no longer has makes one of
 * the calls answer not-found: the entries are forgotten and the whole path runs once more without them.
 */
export const withParticipants = async <T>(
  client: BotpressClient,
  scope: InstallationScope,
  participants: Participants,
  create: (user: User, conversation: Conversation) => Promise<T>
): Promise<WithParticipants<T>> => {
  const keys = { user: keyOf(scope, participants.userId), conversation: keyOf(scope, participants.conversationId) }
  const known: Known = { user: knownUsers.get(keys.user), conversation: knownConversations.get(keys.conversation) }
  let result: WithParticipants<T>
  try {
    result = await createWith(client, participants, known, create)
  } catch (thrown) {
    if (!(known.user || known.conversation) || !isNotFound(thrown)) {
      throw thrown
    }
    knownUsers.delete(keys.user)
    knownConversations.delete(keys.conversation)
    result = await createWith(client, participants, {}, create)
  }
  knownUsers.set(keys.user, result.user)
  knownConversations.set(keys.conversation, result.conversation)
  return result
}

// User and conversation do not depend on each other: one round trip for both, none for what is known. A profile
// change is written beside what is created, so it adds a call but no round trip.
const createWith = async <T>(
  client: BotpressClient,
  { userId, conversationId, profile }: Participants,
  known: Known,
  create: (user: User, conversation: Conversation) => Promise<T>
): Promise<WithParticipants<T>> => {
  const [found, conversation] = await Promise.all([
    known.user ?? getOrCreateUser(client, userId, profile),
    known.conversation ?? getOrCreateConversation(client, conversationId),
  ])
  const [user, created] = await Promise.all([withProfile(client, found, profile), create(found, conversation)])
  return { user, conversation, created }
}

/**
 * An answer without the object asked for (a proxy's `200 {}`, a truncated body) is a failed call: answering the
 * caller 200 would tell it something was stored when nothing was.
 */
export const required = <T extends { id: string }>(
  value: T | undefined,
  what: string,
  call = `get-or-create ${what}`
): T => {
  if (typeof value !== 'object' || value === null || typeof value.id !== 'string') {
    throw new UpstreamError(`the Botpress API answered ${call} without a ${what}`)
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
