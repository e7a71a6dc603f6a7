import type { LocalRuntime } from '../local'
import { implementsTyping } from '../local/bot/typing'
import { textMessage, type Caller } from './caller'
import type { FastEndpoint } from './outbound'
import type { Progress } from './progress'

/** A counted figure, not a timing: Botpress API calls made by one typing indicator (start or stop), typing on */
export type TypingFigures = { indicators: number; apiCallsPerIndicator: number; requestsPerIndicator: number }

/**
 * Starts and stops the typing indicator on messages of several conversations, with typing on and the fast endpoint,
 * counting the Botpress API calls and endpoint requests each one made. Undefined for a bundle without the interface.
 */
export const measureTyping = async (
  runtime: LocalRuntime,
  caller: Caller,
  endpoint: FastEndpoint,
  progress: Progress,
  tag: string,
  bundleHasTyping: boolean
): Promise<TypingFigures | undefined> => {
  if (!bundleHasTyping || !implementsTyping) return undefined
  progress.step(`${tag}: typing indicators, API calls counted`)
  runtime.setApiLatency(0)
  await runtime.configure({ responseEndpointURL: endpoint.url, typingIndicator: true })
  const turns = 20
  const messages: Array<{ conversationId: string; messageId: string }> = []
  for (let index = 0; index < turns; index += 1) {
    const answer = await caller.postOk(textMessage(`${tag}-typing-${index % 4}`))
    const body = JSON.parse(answer.body) as { message: { id: string }; conversation: { id: string } }
    messages.push({ conversationId: body.conversation.id, messageId: body.message.id })
  }
  runtime.clearApiCalls()
  const requestsBefore = endpoint.received()
  for (const [index, input] of messages.entries()) {
    await runtime.botApi.callAction('startTypingIndicator', input)
    await runtime.botApi.callAction('stopTypingIndicator', input)
    progress.tick(index + 1, turns)
  }
  const indicators = turns * 2
  await runtime.configure({ responseEndpointURL: endpoint.url })
  return {
    indicators,
    apiCallsPerIndicator: runtime.apiCalls.length / indicators,
    requestsPerIndicator: (endpoint.received() - requestsBefore) / indicators,
  }
}
