import type { Conversation, Message, User } from '@botpress/client'

export type Incoming = { message: Message; conversation: Conversation; user: User }
export type Reply = { type: string; payload: Record<string, unknown> }

/** A bot: what to answer to one incoming user message */
export type BotFunction = (incoming: Incoming) => Promise<Reply[]> | Reply[]
