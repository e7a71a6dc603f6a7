import type { Conversation, User } from '@botpress/client'
import { LRUCache } from 'lru-cache'

/**
 * External id → Botpress object, per installation. Only a shortcut: a miss costs one more round trip, and a stale
 * entry (the object was deleted) makes Botpress answer not-found, after which the entry is dropped and the work is
 * done again through the full path. Dedupe itself always happens in Botpress.
 */
const cacheOptions = { max: 10_000, ttl: 10 * 60_000 }
const knownUsers = new LRUCache<string, User>(cacheOptions)
const knownConversations = new LRUCache<string, Conversation>(cacheOptions)

// One bot may install the integration more than once (under several aliases): ids are cached per installation.
export type InstallationScope = { botId: string; integrationId: string; integrationAlias: string }

const keyOf = (scope: InstallationScope, externalId: string) =>
  `${scope.botId}|${scope.integrationId}|${scope.integrationAlias}|${externalId}`

const cacheOf = <T extends {}>(cache: LRUCache<string, T>) => ({
  get: (scope: InstallationScope, externalId: string) => cache.get(keyOf(scope, externalId)),
  set: (scope: InstallationScope, externalId: string, value: T) => void cache.set(keyOf(scope, externalId), value),
  delete: (scope: InstallationScope, externalId: string) => void cache.delete(keyOf(scope, externalId)),
})

export const userCache = cacheOf(knownUsers)
export const conversationCache = cacheOf(knownConversations)
