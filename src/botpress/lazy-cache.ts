import type { LRUCache } from 'lru-cache'

/**
 * A bounded LRU cache (string keys) whose library is loaded when it is first used rather than when the integration
 * starts: module loading is most of a cold start, and a copy that only answers health checks never needs it.
 */
export const lazyCache = <V extends {}>(options: { max: number; ttl?: number }) => {
  let cache: LRUCache<string, V> | undefined
  const instance = () =>
    (cache ??= new (require('lru-cache') as typeof import('lru-cache')).LRUCache<string, V>(options))
  return {
    get: (key: string): V | undefined => instance().get(key),
    set: (key: string, value: V): void => void instance().set(key, value),
    delete: (key: string): boolean => instance().delete(key),
  }
}
