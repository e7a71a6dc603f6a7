import type { Message } from '@botpress/client'
import definition from '../../integration.definition'
import type { Operation, OperationResult } from '../cloud/operations'

/** One call of the typing-indicator interface by the runtime, as Botpress makes it around the bot's turn */
export type TypingEvent = {
  typing: boolean
  /** Botpress's ids: the conversation, and the caller's message the bot is answering */
  conversationId: string
  messageId: string
  /** the integration's answer to the action (0 when it could not be reached) */
  status: number
  durationMs: number
}

/** Whether the integration implements Botpress's typing-indicator interface (Botpress calls it only then) */
export const implementsTyping = Object.values(definition.interfaces ?? {}).some(
  (bound) => bound.name === 'typing-indicator'
)

export type TypingOptions = {
  implemented?: boolean
  callIntegration: (operation: Operation, body: unknown, type?: string) => Promise<OperationResult>
  onTyping?: (event: TypingEvent) => void
}

/**
 * Runs the bot's turn on a caller's message between `startTypingIndicator` and `stopTypingIndicator`, as Botpress
 * does. The start is awaited before the bot runs, so that the endpoint hears "typing" before the first reply; a failed
 * call is recorded and never stops the bot (nor the stop).
 */
export const createTyping = ({ implemented = implementsTyping, callIntegration, onTyping }: TypingOptions) => {
  const events: TypingEvent[] = []

  const call = async (typing: boolean, message: Message) => {
    const action = typing ? 'startTypingIndicator' : 'stopTypingIndicator'
    const input = { conversationId: message.conversationId, messageId: message.id }
    const startedAt = performance.now()
    const result = await callIntegration('action_triggered', { type: action, input }, action).catch(() => ({
      status: 0,
      durationMs: performance.now() - startedAt,
    }))
    const event = { typing, ...input, status: result.status, durationMs: result.durationMs }
    events.push(event)
    onTyping?.(event)
  }

  const around = async <T>(message: Message, turn: () => Promise<T>): Promise<T> => {
    if (!implemented) return turn()
    await call(true, message)
    try {
      return await turn()
    } finally {
      await call(false, message)
    }
  }

  return { events, around }
}

/** What `npm start` prints when the bot starts or stops typing */
export const typingLine = (event: TypingEvent): string =>
  event.typing
    ? `… the bot is typing (conversation ${event.conversationId})`
    : `… the bot stopped typing (conversation ${event.conversationId})`
