import type { Conversation, User } from '@botpress/client'
import type { BotpressClient } from './client'
import { getOrCreateConversation, getOrCreateUser, rememberCreated, type InstallationScope } from './participants'
import { withProfile } from './user-profile'

// The webhook's own get-or-create by tag `id`: a bot and a caller racing on the same ids end in one conversation and
// one user, whoever comes first. What is found or created goes into the id cache.

export const conversationFor = async (
  client: BotpressClient,
  scope: InstallationScope,
  conversationId: string
): Promise<Conversation> => {
  const conversation = await getOrCreateConversation(client, conversationId)
  rememberCreated(scope, { conversationId, conversation })
  return conversation
}

export type UserFields = { userId: string; name?: string; pictureUrl?: string }

/** `name` and `pictureUrl`, when given, are set on creation and updated when they differ (one more call only then) */
export const userFor = async (
  client: BotpressClient,
  scope: InstallationScope,
  { userId, name, pictureUrl }: UserFields
): Promise<User> => {
  const profile = { ...(name !== undefined && { name }), ...(pictureUrl !== undefined && { pictureUrl }) }
  const user = await withProfile(client, await getOrCreateUser(client, userId, profile), profile)
  rememberCreated(scope, { userId, user })
  return user
}
