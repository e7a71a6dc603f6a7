import type { Conversation, Message, User } from '@botpress/client'

export type Incoming = { message: Message; conversation: Conversation; user: User; api: BotApi }
export type Reply = { type: string; payload: Record<string, unknown> }

/** A bot: what to answer to one incoming user message */
export type BotFunction = (incoming: Incoming) => Promise<Reply[]> | Reply[]

/**
 * What a bot can ask Botpress to do through the integration, as a bot's client does in Botpress Cloud. Each call is
 * one operation sent to the integration process; a refusal throws a BotApiError with the integration's message.
 */
export type BotApi = {
  /** `action_triggered`; `type` with or without the `messaging-api:` prefix; resolves to the action's output */
  callAction(type: string, input: Record<string, unknown>): Promise<Record<string, unknown>>
  /** a bot message in a conversation (its Botpress id), delivered through `message_created` before it resolves */
  /** a bot message (sent to the integration as `message_created` unless `deliver` is false, e.g. to fill history) */
  sendMessage(
    props: { conversationId: string; type: string; payload: Record<string, unknown> },
    options?: { deliver?: boolean }
  ): Promise<Message>
}
