// What GET /api/conversations and the page's `conversation` events carry: made by conversations.ts on the server and
// read by the page (browser/api.ts). No imports here: the browser's tsconfig type-checks this file too.

/** A stored message as the page's conversation list shows it, with its author as the caller knows them */
export type ListedMessage = {
  botpressMessageId: string
  botpressUserId: string
  /** the tag `id`: the caller's messageId (on a bot message, the id the endpoint answered with, if any) */
  messageId?: string
  direction: 'incoming' | 'outgoing'
  /** the author's userId (the caller's), absent for the bot */
  userId?: string
  userName?: string
  type: string
  payload: unknown
  createdAt: string
}

/** One conversation of the list: the caller's conversationId, when it was last active, its last message */
export type ConversationSummary = {
  conversationId: string
  botpressConversationId: string
  lastActivity: string
  last?: ListedMessage
}

/** A caller's user: the page names the author of a pulled message by its botpressUserId */
export type Caller = { botpressUserId: string; userId: string; userName?: string }

export type ConversationList = {
  conversations: ConversationSummary[]
  /** every caller's user */
  users: Caller[]
}
