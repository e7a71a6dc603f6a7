import type { Conversation, Message, User } from '@botpress/client'
import type { LocalRuntime, StoredMessage } from '../index'
import type { ConversationList, ConversationSummary, ListedMessage } from './conversation-list-types'

const listed = (message: Message, user?: User): ListedMessage => ({
  botpressMessageId: message.id,
  botpressUserId: message.userId,
  messageId: message.tags.id,
  direction: message.direction === 'outgoing' ? 'outgoing' : 'incoming',
  userId: message.direction === 'outgoing' ? undefined : user?.tags.id,
  userName: message.direction === 'outgoing' ? undefined : user?.name,
  type: message.type,
  payload: message.payload,
  createdAt: message.createdAt,
})

const summaryOf = (conversation: Conversation, last?: ListedMessage): ConversationSummary => ({
  conversationId: conversation.tags.id!,
  botpressConversationId: conversation.id,
  lastActivity: last?.createdAt ?? conversation.createdAt,
  last,
})

/**
 * Every conversation the Messaging API knows (those with a caller's conversationId: one made in Botpress without the
 * integration has none, and the page could not write to it), newest activity first, read from the local Botpress.
 */
export const listConversations = (store: LocalRuntime['store']): ConversationList => {
  const users = new Map(store.users().map((user) => [user.id, user]))
  // The store lists messages in the order they were stored: the last one of a conversation wins
  const lastOf = new Map(store.messages().map((message) => [message.conversationId, message]))
  const conversations = store
    .conversations()
    .filter((conversation) => conversation.tags.id)
    .map((conversation) => {
      const last = lastOf.get(conversation.id)
      return summaryOf(conversation, last && listed(last, users.get(last.userId)))
    })
    .sort((a, b) => b.lastActivity.localeCompare(a.lastActivity))
  const callers = [...users.values()].filter((user) => user.tags.id)
  return {
    conversations,
    users: callers.map((user) => ({ botpressUserId: user.id, userId: user.tags.id!, userName: user.name })),
  }
}

/** The summary a stored message makes of its conversation; undefined outside the Messaging API's conversations */
export const summaryOfStored = ({ message, conversation, user }: StoredMessage): ConversationSummary | undefined =>
  conversation.tags.id ? summaryOf(conversation, listed(message, user)) : undefined
