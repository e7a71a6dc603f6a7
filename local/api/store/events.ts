import type { Event } from '@botpress/client'
import { ApiError } from '../errors'
import { newId } from '../ids'
import { copy, found, listWhere, type StoreData } from './data'
import { newestFirst, type ListFilter, type Page } from './pages'

type EventInput = {
  type: string
  payload: Record<string, unknown>
  conversationId?: string
  userId?: string
  messageId?: string
}

type EventFilter = ListFilter & { type?: string; conversationId?: string; userId?: string; messageId?: string }

/** Checks an event against the integration's declared event types; returns the problems (none: it is declared) */
export type EventRules = (type: string, payload: unknown) => string[]

/**
 * Events an integration creates (`createEvent`), listed as Botpress lists them: newest first, by type, conversation,
 * user or message, paged. Botpress refuses an event type the integration does not declare, or a payload its schema
 * rejects, and references to objects it does not have. An event is processed at once (the bot reacts to it).
 */
export class Events {
  public constructor(
    private readonly data: StoreData,
    private readonly rules: EventRules,
    /** Called synchronously after an event is created */
    private readonly onCreated?: (botId: string, event: Event) => void
  ) {}

  public create(botId: string, input: EventInput): Event {
    const issues = this.rules(input.type, input.payload)
    if (issues.length) throw new ApiError('InvalidPayload', `Invalid event: ${issues.join('; ')}`)
    const data = this.data.bot(botId)
    if (input.conversationId !== undefined && !data.conversations.has(input.conversationId)) {
      throw new ApiError('ReferenceNotFound', `Conversation "${input.conversationId}" doesn't exist`)
    }
    if (input.userId !== undefined && !data.users.has(input.userId)) {
      throw new ApiError('ReferenceNotFound', `User "${input.userId}" doesn't exist`)
    }
    if (input.messageId !== undefined && !data.messages.has(input.messageId)) {
      throw new ApiError('ReferenceNotFound', `Message "${input.messageId}" doesn't exist`)
    }
    const at = this.data.now()
    const event: Event = {
      id: newId('evt', at),
      createdAt: at,
      type: input.type,
      payload: input.payload,
      ...(input.conversationId !== undefined && { conversationId: input.conversationId }),
      ...(input.userId !== undefined && { userId: input.userId }),
      ...(input.messageId !== undefined && { messageId: input.messageId }),
      status: 'processed',
      failureReason: null,
    }
    data.events.set(event.id, event)
    this.data.stored(event.id)
    this.onCreated?.(botId, copy(event))
    return copy(event)
  }

  public get(botId: string, id: string): Event {
    return copy(found(this.data.bot(botId).events, id, 'Event'))
  }

  public list(botId: string, filter: EventFilter): Page<Event> {
    const kept = listWhere(
      this.data.bot(botId).events,
      (event) =>
        (!filter.type || event.type === filter.type) &&
        (!filter.conversationId || event.conversationId === filter.conversationId) &&
        (!filter.userId || event.userId === filter.userId) &&
        (!filter.messageId || event.messageId === filter.messageId)
    )
    return newestFirst(kept, filter, this.data)
  }
}
