import type { Conversation, Event, Message, User } from '@botpress/client'

export type Incoming = { message: Message; conversation: Conversation; user: User; api: BotApi }
export type Reply = { type: string; payload: Record<string, unknown> }

/**
 * An event an integration created in a conversation (e.g. a back end's event), as a bot gets it: `type` is
 * `<integration>:<event type>` (`messaging-api:backEndEvent`), `event.payload` what the integration put in it
 */
export type IncomingEvent = { type: string; event: Event; conversation: Conversation; user?: User; api: BotApi }

/**
 * A bot: what to answer to one incoming user message; with an `onEvent` property, also what to answer to an event in
 * a conversation (without it, events are not answered)
 */
export type BotFunction = ((incoming: Incoming) => Promise<Reply[]> | Reply[]) & {
  onEvent?: (incoming: IncomingEvent) => Promise<Reply[]> | Reply[]
}

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
