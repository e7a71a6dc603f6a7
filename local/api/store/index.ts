import type { Event, Message } from '@botpress/client'
import { Conversations } from './conversations'
import { copy, type BotData, type StoreData } from './data'
import { Events, type EventRules } from './events'
import { Messages } from './messages'
import { States } from './states'
import { TagRules, type DeclaredTags } from './tags'
import { Users } from './users'

export type { StateType } from './states'
export type { EventRules } from './events'
export type { DeclaredTags, Tags } from './tags'

export type StoreOptions = {
  integrationName: string
  declaredTags: DeclaredTags
  /** Called synchronously after a message is created (not when get-or-create finds one) */
  onMessageCreated?: (botId: string, message: Message) => void
  /** the integration's declared event types (default: none is declared, every event is refused) */
  eventRules?: EventRules
  /** Called synchronously after an event is created */
  onEventCreated?: (botId: string, event: Event) => void
  /** items per page of the list routes (default 100); a small one makes tests exercise paging */
  pageSize?: number
}

/**
 * Botpress's chat data, in memory, scoped per bot, one object per resource. Every method is synchronous, so a
 * get-or-create's lookup and insert can never interleave with another request's.
 */
export class Store {
  public readonly users: Users
  public readonly conversations: Conversations
  public readonly messages: Messages
  public readonly states: States
  public readonly events: Events
  private readonly bots = new Map<string, BotData>()
  private readonly insertions = new Map<string, number>()
  /** when set, the time every created or updated object gets; else the real time */
  public clock: (() => Date) | undefined

  public constructor(options: StoreOptions) {
    const data: StoreData = {
      bot: (botId) => this.bot(botId),
      botUserIds: new Map(),
      tags: new TagRules(options.integrationName, options.declaredTags),
      integrationName: options.integrationName,
      now: () => (this.clock?.() ?? new Date()).toISOString(),
      pageSize: options.pageSize ?? 100,
      stored: (id) => void this.insertions.set(id, this.insertions.size),
      insertion: (id) => this.insertions.get(id) ?? -1,
    }
    this.users = new Users(data)
    this.conversations = new Conversations(data)
    this.messages = new Messages(data, options.onMessageCreated)
    this.states = new States(data)
    const noEvents: EventRules = (type) => [`the integration declares no event type "${type}"`]
    this.events = new Events(data, options.eventRules ?? noEvents, options.onEventCreated)
  }

  /** Read-only copies of every bot's data, for tests */
  public all<K extends keyof BotData>(kind: K): Array<BotData[K] extends Map<string, infer T> ? T : never> {
    return [...this.bots.values()].flatMap((data) => [...data[kind].values()].map(copy)) as never
  }

  private bot(botId: string): BotData {
    let data = this.bots.get(botId)
    if (!data) {
      data = { users: new Map(), conversations: new Map(), messages: new Map(), states: new Map(), events: new Map() }
      this.bots.set(botId, data)
    }
    return data
  }
}
