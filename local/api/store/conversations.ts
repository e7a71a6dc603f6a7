import type { Conversation } from '@botpress/client'
import { newId } from '../ids'
import { copy, findOrCreate, found, listWhere, type StoreData } from './data'
import { newestFirst, type ListFilter, type Page } from './pages'
import { matches, mergeTags, type Tags } from './tags'

type ConversationInput = { channel: string; tags: Tags }

export class Conversations {
  public constructor(private readonly data: StoreData) {}

  public create(botId: string, input: ConversationInput): Conversation {
    this.data.tags.conversation(input.channel, input.tags)
    const at = this.data.now()
    const conversation: Conversation = {
      id: newId('conv', at),
      createdAt: at,
      updatedAt: at,
      channel: input.channel,
      integration: this.data.integrationName,
      tags: mergeTags({}, input.tags),
    }
    this.data.bot(botId).conversations.set(conversation.id, conversation)
    this.data.stored(conversation.id)
    return copy(conversation)
  }

  public getOrCreate(botId: string, input: ConversationInput & { discriminateByTags?: string[] }): Conversation {
    this.data.tags.conversation(input.channel, input.tags, input.discriminateByTags)
    return findOrCreate(
      this.data.bot(botId).conversations,
      (conversation) =>
        conversation.channel === input.channel && matches(conversation.tags, input.tags, input.discriminateByTags),
      () => this.create(botId, input)
    )
  }

  public get(botId: string, id: string): Conversation {
    return copy(found(this.data.bot(botId).conversations, id, 'Conversation'))
  }

  public list(botId: string, filter: ListFilter & { tags?: Tags; channel?: string }): Page<Conversation> {
    const kept = listWhere(
      this.data.bot(botId).conversations,
      (conversation) =>
        (!filter.channel || conversation.channel === filter.channel) && matches(conversation.tags, filter.tags ?? {})
    )
    return newestFirst(kept, filter, this.data)
  }

  public update(botId: string, id: string, input: { tags?: Tags }): Conversation {
    const conversation = found(this.data.bot(botId).conversations, id, 'Conversation')
    this.data.tags.conversation(conversation.channel, input.tags)
    conversation.tags = mergeTags(conversation.tags, input.tags)
    conversation.updatedAt = this.data.now()
    return copy(conversation)
  }

  /** Like deleting a conversation in Botpress: its messages and states go with it */
  public delete(botId: string, id: string): void {
    const data = this.data.bot(botId)
    found(data.conversations, id, 'Conversation')
    data.conversations.delete(id)
    for (const [messageId, message] of data.messages) {
      if (message.conversationId === id) data.messages.delete(messageId)
    }
    for (const key of data.states.keys()) {
      if (key.startsWith(`conversation/${id}/`)) data.states.delete(key)
    }
  }
}
