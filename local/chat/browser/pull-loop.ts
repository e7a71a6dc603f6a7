import * as api from './api'
import type { createInspector } from './inspector'

export type PulledMessage = Record<string, any>
type Pulled = { messages: PulledMessage[]; cursor: string; hasMore: boolean }

export type PullOptions = {
  conversationId: string
  /** the webhook URL's path, to show each pull as the integration sees it */
  webhookPath: string
  inspector: ReturnType<typeof createInspector>
  /** ends the loop (a new conversation, the page going away) */
  signal: AbortSignal
  /** each message of each answer, oldest first; the caller drops what it already shows */
  onMessage: (message: PulledMessage) => void
}

const retryMs = 2000

const delay = (ms: number, signal: AbortSignal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve(undefined)))
  })

/**
 * Long-polls the integration's pull route from the conversation's start, each pull from the cursor of the answer
 * before (so nothing is missed or repeated), until `signal` aborts. A refusal or failure is shown, then tried again.
 */
export const pullMessages = async ({ conversationId, webhookPath, inspector, signal, onMessage }: PullOptions) => {
  let after: string | undefined
  while (!signal.aborted) {
    const query = api.pullQuery(after)
    const shown = inspector.pullStarted(
      `${webhookPath}/conversations/${encodeURIComponent(conversationId)}/messages?${query}`
    )
    try {
      const exchange = await api.pull(conversationId, query, signal)
      if (signal.aborted) return
      const answer = exchange.response.status === 200 ? (JSON.parse(exchange.response.body) as Pulled) : undefined
      shown.done(exchange, answer)
      if (!answer) {
        await delay(retryMs, signal)
        continue
      }
      answer.messages.forEach(onMessage)
      after = answer.cursor
    } catch (thrown) {
      shown.failed()
      if (signal.aborted) return
      inspector.note(`Pull failed: ${(thrown as Error).message}; trying again in ${retryMs / 1000} s`)
      await delay(retryMs, signal)
    }
  }
}
