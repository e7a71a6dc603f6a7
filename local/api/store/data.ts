import type { Conversation, Event, Message, State, User } from '@botpress/client'
import { ApiError } from '../errors'
import type { TagRules } from './tags'

export type BotData = {
  users: Map<string, User>
  conversations: Map<string, Conversation>
  messages: Map<string, Message>
  states: Map<string, State>
  events: Map<string, Event>
}

/** What every resource of the store shares: each bot's data and the integration's tag rules */
export type StoreData = {
  bot(botId: string): BotData
  /** the bot's own user, once it has one */
  botUserIds: Map<string, string>
  tags: TagRules
  integrationName: string
  /** the store's clock, as an ISO 8601 string (tests may set it, so that many messages share one createdAt) */
  now(): string
  /** items per page of the list routes */
  pageSize: number
  /**
   * The order objects were stored in (a number that grows), recorded by `stored` when one is created: lists give
   * objects of one createdAt by it, as a database does, not by their ids, which are random within a millisecond
   */
  stored(id: string): void
  insertion(id: string): number
}

// Callers only ever get copies, so that nothing outside the store can change what it holds
export const copy = <T>(value: T): T => structuredClone(value)

export const found = <T>(map: Map<string, T>, id: string, what: string): T => {
  const value = map.get(id)
  if (!value) {
    throw new ApiError('ResourceNotFound', `${what} "${id}" doesn't exist`)
  }
  return value
}

export const listWhere = <T>(map: Map<string, T>, keep: (value: T) => boolean): T[] =>
  [...map.values()].filter(keep).map(copy)

/** The first value that fits, else a new one */
export const findOrCreate = <T>(map: Map<string, T>, fits: (value: T) => boolean, create: () => T): T => {
  const existing = [...map.values()].find(fits)
  return existing ? copy(existing) : create()
}
