import type { Conversation, Event, Message, User } from '@botpress/client'
import type { RequestListener } from 'node:http'
import type { ApiCall, FaultHook } from './api/server'
import type { BotApi, BotFunction } from './bot/types'
import type { TypingEvent } from './bot/typing'
import type { Delivery } from './cloud/message-delivery'
import type { Operation } from './cloud/operations'
import type { ViewerRequest } from './viewer/viewer'

// The public shapes of the runtime, re-exported by ./index (tests, bench and start.ts import them from there)

export type LocalRuntimeOptions = {
  /** integration configuration; responseEndpointURL defaults to the built-in viewer */
  configuration?: Record<string, unknown>
  /** default <repo>/.botpress/dist/index.js, built with `npm run build` when missing */
  bundlePath?: string
  /** port of the webhook server; 0/undefined = a free port */
  port?: number
  apiLatencyMs?: number
  /** false: without a responseEndpointURL, no built-in viewer either (a pull-only install) */
  viewer?: false
  /** items per page of the API's list routes (default 100); a small one makes tests exercise paging */
  apiPageSize?: number
  /** false = the bot never replies; undefined = the default echo bot */
  bot?: BotFunction | false
  fault?: FaultHook
  /** no terminal printing (tests) */
  quiet?: boolean
  integrationEnv?: Record<string, string>
  /** false: deliveries record no `attempts`/`endpointStatus` (spares the integration the reports; the bench) */
  traceEndpoint?: boolean
  /**
   * how many copies of the integration run (default 1), as Botpress Cloud runs many: every operation (webhook,
   * message_created, actions, register...) goes to the next copy in turn
   */
  integrationCopies?: number
  /** called with each message_created result, attempts and the endpoint's last status included */
  onDelivery?: (delivery: Delivery) => void
  /** called with each request the built-in viewer receives (bot messages and typing), signature checked */
  onViewerRequest?: (request: ViewerRequest) => void
  /** called with each message Botpress stores (the caller's and the bot's), with its conversation and author */
  onMessageStored?: (stored: StoredMessage) => void
  /**
   * whether the bundle implements the typing-indicator interface (default: as this project's definition says); false
   * for another bundle without it, such as the bench's v0.2 baseline, so that Botpress's calls are not made
   */
  implementsTyping?: boolean
  /** called after each typing-indicator call the runtime made around a bot's turn (see `typingEvents`) */
  onTyping?: (event: TypingEvent) => void
}

export type ConfigureOptions = {
  /**
   * hand the configuration over as given, unchecked, and keep it even if `register` refuses it: for tests of the raw
   * JSON the integration could still be handed
   */
  skipValidation?: boolean
  /** false: a configuration without responseEndpointURL keeps none (a pull-only install) instead of the built-in viewer */
  viewer?: boolean
  /**
   * the secret the built-in viewer checks signatures with, instead of the configuration's `signingSecret`: what an
   * endpoint holding the wrong secret sees (every signature invalid)
   */
  viewerSigningSecret?: string
}

/** A message just stored, with the conversation it is in and the user who wrote it (the bot's user for a bot message) */
export type StoredMessage = { message: Message; conversation: Conversation; user: User }

export type OperationRecord = {
  operation: Operation
  /** the action's name, for action_triggered */
  type?: string
  status: number
  durationMs: number
  /** which copy of the integration served it, from 0 (see `integrationCopies`) */
  copy: number
}

export type LocalRuntime = {
  url: string
  webhookUrl: string
  apiUrl: string
  personalAccessToken: string
  integrationToken: string
  botId: string
  botUserId: string
  integrationId: string
  store: {
    users(): User[]
    conversations(): Conversation[]
    messages(): Message[]
    /** the events integrations created (createEvent), in every bot */
    events(): Event[]
    /** deletes a conversation with its messages and states, as Botpress does (the integration is not told) */
    deleteConversation(id: string): void
    /** deletes a user, as Botpress does; its messages stay (the integration is not told) */
    deleteUser(id: string): void
  }
  apiCalls: ApiCall[]
  clearApiCalls(): void
  /** message_created results, one per bot message */
  deliveries: Delivery[]
  /**
   * startTypingIndicator / stopTypingIndicator calls made around each bot turn on a caller's message, as Botpress
   * makes them (only when the integration implements the typing-indicator interface)
   */
  typingEvents: TypingEvent[]
  /** every operation sent to the integration (register, webhook_received, message_created, action_triggered) */
  operations: OperationRecord[]
  /** requests received by the built-in viewer (when it is the Response Endpoint) */
  viewerRequests: ViewerRequest[]
  integrationLogs: string[]
  /** the bot script's mistakes, e.g. a reply refused by its message schema (printed as `✗ bot script error: ...`) */
  botErrors: string[]
  integrationPid: number
  /** every copy's process id (one unless `integrationCopies` says otherwise); integrationPid is the first */
  integrationPids: number[]
  /** what the bot can ask of the integration: its actions (the interfaces' ones among them), writing first */
  botApi: BotApi
  /** the integration process's own server (GET /health answers ok) */
  integrationUrl: string
  /** saves the configuration and sends `register`, as Botpress does; refuses one its schema rejects unless told not to */
  configure(configuration: Record<string, unknown>, options?: ConfigureOptions): Promise<void>
  /** another Personal Access Token accepted for this bot */
  createPersonalAccessToken(): string
  setFault(hook?: FaultHook): void
  setBot(bot?: BotFunction | false): void
  setApiLatency(ms: number): void
  /** the time the API gives every object it creates or updates from now on; undefined = the real time again */
  setClock(clock?: () => Date): void
  /** resolves when every pending bot reaction and message_created delivery has finished */
  idle(): Promise<void>
  /** answers the webhook server's other paths (outside /webhooks/<id>), e.g. npm start's chat page; undefined: 404 */
  serve(handler?: RequestListener): void
  stop(): Promise<void>
}
