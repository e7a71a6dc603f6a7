import type { Conversation, User } from '@botpress/client'
import type { BotpressClient } from '../webhook/botpress-client'
import { rememberCreated, required, type InstallationScope } from '../webhook/ingest'

// Get-or-create by tag `id` alone, exactly as the webhook does: a bot and a caller racing on the same ids end in one
// conversation and one user, whoever comes first.

export const conversationFor = async (
  client: BotpressClient,
  scope: InstallationScope,
  conversationId: string
): Promise<Conversation> => {
  const answer = await client.getOrCreateConversation({
    channel: 'channel',
    tags: { id: conversationId },
    discriminateByTags: ['id'],
  })
  const conversation = required(answer.conversation, 'conversation')
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
  const answer = await client.getOrCreateUser({ tags: { id: userId }, name, pictureUrl, discriminateByTags: ['id'] })
  let user = required(answer.user, 'user')
  const changed =
    (name !== undefined && user.name !== name) || (pictureUrl !== undefined && user.pictureUrl !== pictureUrl)
  if (changed) {
    const updated = await client.updateUser({ id: user.id, name, pictureUrl })
    user = required(updated.user, 'user')
  }
  rememberCreated(scope, { userId, user })
  return user
}
