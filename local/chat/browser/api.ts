import type { ConversationList } from '../conversation-list-types'
import type { Exchange } from './inspector'

// The page server's types: one definition for both sides
export type { Caller, ConversationSummary, ListedMessage } from '../conversation-list-types'

export type Config = { mode: 'push' | 'pull' | 'own-endpoint'; signed: boolean; webhookUrl: string }

/** An id the page writes with (its user, a message, an event, a conversation): the prefix and 8 random characters */
export const randomId = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`

const failure = async (response: Response) => {
  const text = await response.text()
  try {
    return new Error((JSON.parse(text) as { message?: string }).message ?? text)
  } catch {
    return new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`)
  }
}

const request = async <T>(url: string, init?: RequestInit): Promise<T> => {
  const response = await fetch(url, init)
  if (!response.ok) throw await failure(response)
  return (await response.json()) as T
}

const postJson = <T>(url: string, body: unknown) =>
  request<T>(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

// The page server's routes: it holds the token and calls the integration's webhook as a caller's back end would
export const getConfig = () => request<Config>('/api/config')
/** Every conversation of the local bot, newest activity first, and every caller's user, from the local Botpress */
export const listConversations = () => request<ConversationList>('/api/conversations')
export const postMessage = (body: Record<string, unknown>) => postJson<Exchange>('/api/messages', body)
export const forget = (conversationId: string) => postJson<Exchange>('/api/forget', { conversationId })
export const postEvent = (body: Record<string, unknown>) => postJson<Exchange>('/api/events', body)
export const greet = (conversationId: string) => postJson<unknown>('/api/greet', { conversationId })
/** A long poll of up to 8 s (or no wait: the history), from the cursor when there is one */
export const pullQuery = (after: string | undefined, wait = true) =>
  new URLSearchParams({ ...(after && { after }), ...(wait && { wait: '8' }) })
export const pull = (conversationId: string, query: URLSearchParams, signal: AbortSignal) =>
  request<Exchange>(`/api/pull?${new URLSearchParams({ conversationId, ...Object.fromEntries(query) })}`, { signal })
