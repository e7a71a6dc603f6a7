import type { Conversation, Message, State, User } from '@botpress/client'
import { ApiError } from './errors'
import { newId } from './ids'

export type DeclaredTags = {
  user: string[]
  channels: Record<string, { conversation: string[]; message: string[] }>
}

export type StateType = State['type']
export type Tags = Record<string, string>

type BotData = {
  users: Map<string, User>
  conversations: Map<string, Conversation>
  messages: Map<string, Message>
  states: Map<string, State>
}

export type StoreOptions = {
  integrationName: string
  declaredTags: DeclaredTags
  /** Called synchronously after a message is created (not when get-or-create finds one) */
  onMessageCreated?: (botId: string, message: Message) => void
}

const now = () => new Date().toISOString()
const copy = <T>(value: T): T => structuredClone(value)

// Without discriminateByTags every given tag must match; with it, only the listed ones
const matches = (existing: Tags, wanted: Tags, discriminateByTags?: string[]) =>
  (discriminateByTags ?? Object.keys(wanted)).every((key) => existing[key] === wanted[key])

// An empty value unsets a tag, as in Botpress
const mergeTags = (current: Tags, update: Tags | undefined): Tags => {
  const merged = { ...current, ...update }
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== ''))
}

/**
 * Botpress's chat data, in memory, scoped per bot. Every method is synchronous, so a get-or-create's lookup and
 * insert can never interleave with another request's.
 */
export class Store {
  private readonly bots = new Map<string, BotData>()
  private readonly botUsers = new Map<string, string>()

  public constructor(private readonly options: StoreOptions) {}

  private bot(botId: string): BotData {
    let data = this.bots.get(botId)
    if (!data) {
      data = { users: new Map(), conversations: new Map(), messages: new Map(), states: new Map() }
      this.bots.set(botId, data)
    }
    return data
  }

  private checkTags(kind: string, tags: Tags | undefined, declared: string[], discriminateByTags: string[] = []) {
    const undeclared = [...Object.keys(tags ?? {}), ...discriminateByTags].filter((tag) => !declared.includes(tag))
    if (undeclared.length) {
      throw new ApiError(
        'InvalidPayload',
        `Tag(s) ${undeclared.map((tag) => `"${tag}"`).join(', ')} not declared on ${kind} by integration "${this.options.integrationName}" (declared: ${declared.join(', ') || 'none'})`
      )
    }
  }

  private channelTags(channel: string) {
    const declared = this.options.declaredTags.channels[channel]
    if (!declared) {
      throw new ApiError(
        'InvalidPayload',
        `Channel "${channel}" is not declared by integration "${this.options.integrationName}"`
      )
    }
    return declared
  }

  private found<T>(map: Map<string, T>, id: string, what: string): T {
    const value = map.get(id)
    if (!value) {
      throw new ApiError('ResourceNotFound', `${what} "${id}" doesn't exist`)
    }
    return value
  }

  /** The bot's own user: messages it writes are `outgoing`, every other message is `incoming` */
  public botUser(botId: string): User {
    const id = this.botUsers.get(botId) ?? this.createUser(botId, { tags: {} }).id
    this.botUsers.set(botId, id)
    return this.getUser(botId, id)
  }

  // Users

  public createUser(botId: string, input: { tags: Tags; name?: string; pictureUrl?: string }): User {
    this.checkTags('users', input.tags, this.options.declaredTags.user)
    const at = now()
    const user: User = { id: newId('user'), createdAt: at, updatedAt: at, tags: mergeTags({}, input.tags) }
    if (input.name !== undefined) user.name = input.name
    if (input.pictureUrl !== undefined) user.pictureUrl = input.pictureUrl
    this.bot(botId).users.set(user.id, user)
    return copy(user)
  }

  public getOrCreateUser(
    botId: string,
    input: { tags: Tags; name?: string; pictureUrl?: string; discriminateByTags?: string[] }
  ): User {
    this.checkTags('users', input.tags, this.options.declaredTags.user, input.discriminateByTags)
    const existing = [...this.bot(botId).users.values()].find((user) =>
      matches(user.tags, input.tags, input.discriminateByTags)
    )
    return existing ? copy(existing) : this.createUser(botId, input)
  }

  public getUser(botId: string, id: string): User {
    return copy(this.found(this.bot(botId).users, id, 'User'))
  }

  public listUsers(botId: string, filter: { tags?: Tags }): User[] {
    return [...this.bot(botId).users.values()].filter((user) => matches(user.tags, filter.tags ?? {})).map(copy)
  }

  public updateUser(
    botId: string,
    id: string,
    input: { tags?: Tags; name?: string | null; pictureUrl?: string | null }
  ) {
    const user = this.found(this.bot(botId).users, id, 'User')
    this.checkTags('users', input.tags, this.options.declaredTags.user)
    user.tags = mergeTags(user.tags, input.tags)
    for (const key of ['name', 'pictureUrl'] as const) {
      const value = input[key]
      if (value === null) delete user[key]
      else if (value !== undefined) user[key] = value
    }
    user.updatedAt = now()
    return copy(user)
  }

  // Conversations

  public createConversation(botId: string, input: { channel: string; tags: Tags }): Conversation {
    this.checkTags('conversations', input.tags, this.channelTags(input.channel).conversation)
    const at = now()
    const conversation: Conversation = {
      id: newId('conv'),
      createdAt: at,
      updatedAt: at,
      channel: input.channel,
      integration: this.options.integrationName,
      tags: mergeTags({}, input.tags),
    }
    this.bot(botId).conversations.set(conversation.id, conversation)
    return copy(conversation)
  }

  public getOrCreateConversation(
    botId: string,
    input: { channel: string; tags: Tags; discriminateByTags?: string[] }
  ): Conversation {
    this.checkTags('conversations', input.tags, this.channelTags(input.channel).conversation, input.discriminateByTags)
    const existing = [...this.bot(botId).conversations.values()].find(
      (conversation) =>
        conversation.channel === input.channel && matches(conversation.tags, input.tags, input.discriminateByTags)
    )
    return existing ? copy(existing) : this.createConversation(botId, input)
  }

  public getConversation(botId: string, id: string): Conversation {
    return copy(this.found(this.bot(botId).conversations, id, 'Conversation'))
  }

  public listConversations(botId: string, filter: { tags?: Tags; channel?: string }): Conversation[] {
    return [...this.bot(botId).conversations.values()]
      .filter((conversation) => !filter.channel || conversation.channel === filter.channel)
      .filter((conversation) => matches(conversation.tags, filter.tags ?? {}))
      .map(copy)
  }

  public updateConversation(botId: string, id: string, input: { tags?: Tags }): Conversation {
    const conversation = this.found(this.bot(botId).conversations, id, 'Conversation')
    this.checkTags('conversations', input.tags, this.channelTags(conversation.channel).conversation)
    conversation.tags = mergeTags(conversation.tags, input.tags)
    conversation.updatedAt = now()
    return copy(conversation)
  }

  /** Like deleting a conversation in Botpress: its messages and states go with it */
  public deleteConversation(botId: string, id: string): void {
    const data = this.bot(botId)
    this.found(data.conversations, id, 'Conversation')
    data.conversations.delete(id)
    for (const [messageId, message] of data.messages) {
      if (message.conversationId === id) data.messages.delete(messageId)
    }
    for (const key of data.states.keys()) {
      if (key.startsWith(`conversation/${id}/`)) data.states.delete(key)
    }
  }

  // Messages

  public createMessage(
    botId: string,
    input: { type: string; payload: Record<string, unknown>; userId: string; conversationId: string; tags: Tags }
  ): Message {
    const data = this.bot(botId)
    const conversation = data.conversations.get(input.conversationId)
    if (!conversation) {
      throw new ApiError('ReferenceNotFound', `Conversation "${input.conversationId}" doesn't exist`)
    }
    if (!data.users.has(input.userId)) {
      throw new ApiError('ReferenceNotFound', `User "${input.userId}" doesn't exist`)
    }
    this.checkTags('messages', input.tags, this.channelTags(conversation.channel).message)
    const at = now()
    const message: Message = {
      id: newId('msg'),
      createdAt: at,
      updatedAt: at,
      type: input.type,
      payload: input.payload,
      direction: this.botUsers.get(botId) === input.userId ? 'outgoing' : 'incoming',
      userId: input.userId,
      conversationId: input.conversationId,
      tags: mergeTags({}, input.tags),
    }
    data.messages.set(message.id, message)
    this.options.onMessageCreated?.(botId, copy(message))
    return copy(message)
  }

  /** Like Botpress, the lookup is by tags only: it is not scoped to the conversation */
  public getOrCreateMessage(
    botId: string,
    input: Parameters<Store['createMessage']>[1] & { discriminateByTags?: string[] }
  ): Message {
    const conversation = this.bot(botId).conversations.get(input.conversationId)
    if (conversation) {
      this.checkTags('messages', input.tags, this.channelTags(conversation.channel).message, input.discriminateByTags)
    }
    const existing = [...this.bot(botId).messages.values()].find((message) =>
      matches(message.tags, input.tags, input.discriminateByTags)
    )
    return existing ? copy(existing) : this.createMessage(botId, input)
  }

  public getMessage(botId: string, id: string): Message {
    return copy(this.found(this.bot(botId).messages, id, 'Message'))
  }

  public listMessages(botId: string, filter: { tags?: Tags; conversationId?: string }): Message[] {
    return [...this.bot(botId).messages.values()]
      .filter((message) => !filter.conversationId || message.conversationId === filter.conversationId)
      .filter((message) => matches(message.tags, filter.tags ?? {}))
      .map(copy)
  }

  public updateMessage(botId: string, id: string, input: { tags: Tags; payload?: Record<string, unknown> }): Message {
    const data = this.bot(botId)
    const message = this.found(data.messages, id, 'Message')
    const channel = data.conversations.get(message.conversationId)?.channel ?? ''
    this.checkTags('messages', input.tags, this.channelTags(channel).message)
    message.tags = mergeTags(message.tags, input.tags)
    if (input.payload) message.payload = input.payload
    message.updatedAt = now()
    return copy(message)
  }

  // States

  public getState(botId: string, type: StateType, id: string, name: string): State {
    return copy(this.found(this.bot(botId).states, `${type}/${id}/${name}`, 'State'))
  }

  public setState(botId: string, type: StateType, id: string, name: string, payload: Record<string, unknown>): State {
    const states = this.bot(botId).states
    const key = `${type}/${id}/${name}`
    const at = now()
    const state: State = {
      id: states.get(key)?.id ?? newId('state'),
      createdAt: states.get(key)?.createdAt ?? at,
      updatedAt: at,
      botId,
      name,
      type,
      payload,
      ...(type === 'conversation' ? { conversationId: id } : {}),
      ...(type === 'user' ? { userId: id } : {}),
    }
    states.set(key, state)
    return copy(state)
  }

  public getOrSetState(botId: string, type: StateType, id: string, name: string, payload: Record<string, unknown>) {
    const existing = this.bot(botId).states.get(`${type}/${id}/${name}`)
    return existing ? copy(existing) : this.setState(botId, type, id, name, payload)
  }

  public patchState(botId: string, type: StateType, id: string, name: string, payload: Record<string, unknown>) {
    const state = this.found(this.bot(botId).states, `${type}/${id}/${name}`, 'State')
    return this.setState(botId, type, id, name, { ...state.payload, ...payload })
  }

  /** Read-only copies of every bot's data, for tests */
  public all<K extends keyof BotData>(kind: K): Array<BotData[K] extends Map<string, infer T> ? T : never> {
    return [...this.bots.values()].flatMap((data) => [...data[kind].values()].map(copy)) as never
  }
}
