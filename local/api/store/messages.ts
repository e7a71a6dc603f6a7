import type { Message } from '@botpress/client'
import { ApiError } from '../errors'
import { newId } from '../ids'
import { copy, findOrCreate, found, listWhere, type StoreData } from './data'
import { newestFirst, type ListFilter, type Page } from './pages'
import { matches, mergeTags, type Tags } from './tags'

type MessageInput = {
  type: string
  payload: Record<string, unknown>
  userId: string
  conversationId: string
  tags: Tags
}

export class Messages {
  public constructor(
    private readonly data: StoreData,
    /** Called synchronously after a message is created (not when get-or-create finds one) */
    private readonly onCreated?: (botId: string, message: Message) => void
  ) {}

  public create(botId: string, input: MessageInput): Message {
    const data = this.data.bot(botId)
    const conversation = data.conversations.get(input.conversationId)
    if (!conversation) {
      throw new ApiError('ReferenceNotFound', `Conversation "${input.conversationId}" doesn't exist`)
    }
    if (!data.users.has(input.userId)) {
      throw new ApiError('ReferenceNotFound', `User "${input.userId}" doesn't exist`)
    }
    this.data.tags.message(conversation.channel, input.tags)
    const at = this.data.now()
    const message: Message = {
      id: newId('msg', at),
      createdAt: at,
      updatedAt: at,
      type: input.type,
      payload: input.payload,
      direction: this.data.botUserIds.get(botId) === input.userId ? 'outgoing' : 'incoming',
      userId: input.userId,
      conversationId: input.conversationId,
      tags: mergeTags({}, input.tags),
    }
    data.messages.set(message.id, message)
    this.data.stored(message.id)
    this.onCreated?.(botId, copy(message))
    return copy(message)
  }

  /** Like Botpress, the lookup is by tags only: it is not scoped to the conversation */
  public getOrCreate(botId: string, input: MessageInput & { discriminateByTags?: string[] }): Message {
    const data = this.data.bot(botId)
    // An unknown conversation is reported by create, once nothing is found
    const conversation = data.conversations.get(input.conversationId)
    if (conversation) this.data.tags.message(conversation.channel, input.tags, input.discriminateByTags)
    return findOrCreate(
      data.messages,
      (message) => matches(message.tags, input.tags, input.discriminateByTags),
      () => this.create(botId, input)
    )
  }

  public get(botId: string, id: string): Message {
    return copy(found(this.data.bot(botId).messages, id, 'Message'))
  }

  public list(botId: string, filter: ListFilter & { tags?: Tags; conversationId?: string }): Page<Message> {
    const kept = listWhere(
      this.data.bot(botId).messages,
      (message) =>
        (!filter.conversationId || message.conversationId === filter.conversationId) &&
        matches(message.tags, filter.tags ?? {})
    )
    return newestFirst(kept, filter, this.data)
  }

  public update(botId: string, id: string, input: { tags: Tags; payload?: Record<string, unknown> }): Message {
    const data = this.data.bot(botId)
    const message = found(data.messages, id, 'Message')
    const channel = data.conversations.get(message.conversationId)?.channel ?? ''
    this.data.tags.message(channel, input.tags)
    message.tags = mergeTags(message.tags, input.tags)
    if (input.payload) message.payload = input.payload
    message.updatedAt = this.data.now()
    return copy(message)
  }
}
