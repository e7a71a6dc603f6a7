import * as api from './api'
import type { Inspector } from './inspector'

export type PulledMessage = Record<string, any>
type Pulled = { messages: PulledMessage[]; cursor: string; hasMore: boolean }

export type PullOptions = {
  conversationId: string
  /** the webhook URL's path, to show each pull as the integration sees it */
  webhookPath: string
  inspector: Inspector
  /** ends the loop (another conversation shown, the page going away) */
  signal: AbortSignal
  /** each message of each answer, oldest first, with the answer's inspector entry; the caller drops what it shows */
  onMessage: (message: PulledMessage, entry: HTMLElement) => void
  /** the history only: no wait, pages until there are no more, then stop */
  historyOnly?: boolean
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
export const pullMessages = async (options: PullOptions) => {
  const { conversationId, webhookPath, inspector, signal, onMessage, historyOnly = false } = options
  let after: string | undefined
  while (!signal.aborted) {
    const query = api.pullQuery(after, !historyOnly)
    const shown = inspector.pullStarted(
      `${webhookPath}/conversations/${encodeURIComponent(conversationId)}/messages?${query}`,
      historyOnly ? 'the history…' : 'waiting (long poll)…'
    )
    try {
      const exchange = await api.pull(conversationId, query, signal)
      if (signal.aborted) return
      const answer = exchange.response.status === 200 ? (JSON.parse(exchange.response.body) as Pulled) : undefined
      shown.done(exchange, answer)
      if (!answer) {
        if (historyOnly) return
        await delay(retryMs, signal)
        continue
      }
      for (const message of answer.messages) onMessage(message, shown.entry)
      after = answer.cursor
      if (historyOnly && !answer.hasMore) return
    } catch (thrown) {
      shown.failed()
      if (signal.aborted) return
      if (historyOnly) return void inspector.note(`Pull failed: ${(thrown as Error).message}`)
      inspector.note(`Pull failed: ${(thrown as Error).message}; trying again in ${retryMs / 1000} s`)
      await delay(retryMs, signal)
    }
  }
}
