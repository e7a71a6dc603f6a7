import type { Conversation } from '@botpress/client'
import type { BotpressClient } from '../botpress/client'
import { conversationCache, type InstallationScope } from '../botpress/participants'
import { WebhookError } from './responses'

/**
 * The conversation of an external id, by its tag, never creating one (a pull must leave Botpress as it found it):
 * a 404 when there is none on this channel.
 */
export const lookUpConversation = async (
  client: BotpressClient,
  scope: InstallationScope,
  conversationId: string
): Promise<Conversation> => {
  const { conversations } = await client.listConversations({ channel: 'channel', tags: { id: conversationId } })
  const conversation = (conversations ?? []).find((candidate) => candidate?.tags?.id === conversationId)
  if (!conversation) {
    conversationCache.delete(scope, conversationId)
    throw new WebhookError('not_found', 'No conversation with this conversationId: POST a message to start one')
  }
  conversationCache.set(scope, conversationId, conversation)
  return conversation
}
