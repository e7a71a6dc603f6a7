import type { Exchange } from './inspector'

export type Config = { mode: 'push' | 'pull' | 'own-endpoint'; signed: boolean; webhookUrl: string }

/** A stored message as the conversation list shows it (see local/chat/conversations.ts) */
export type ListedMessage = {
  botpressMessageId: string
  botpressUserId: string
  messageId?: string
  direction: 'incoming' | 'outgoing'
  userId?: string
  userName?: string
  type: string
  payload: any
  createdAt: string
}
export type ConversationSummary = {
  conversationId: string
  botpressConversationId: string
  lastActivity: string
  last?: ListedMessage
}
export type Caller = { botpressUserId: string; userId: string; userName?: string }

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
export const listConversations = () =>
  request<{ conversations: ConversationSummary[]; users: Caller[] }>('/api/conversations')
export const postMessage = (body: Record<string, unknown>) => postJson<Exchange>('/api/messages', body)
export const forget = (conversationId: string) => postJson<Exchange>('/api/forget', { conversationId })
export const postEvent = (body: Record<string, unknown>) => postJson<Exchange>('/api/events', body)
export const greet = (conversationId: string) => postJson<unknown>('/api/greet', { conversationId })
/** A long poll of up to 8 s (or no wait: the history), from the cursor when there is one */
export const pullQuery = (after: string | undefined, wait = true) =>
  new URLSearchParams({ ...(after && { after }), ...(wait && { wait: '8' }) })
export const pull = (conversationId: string, query: URLSearchParams, signal: AbortSignal) =>
  request<Exchange>(`/api/pull?${new URLSearchParams({ conversationId, ...Object.fromEntries(query) })}`, { signal })
