import { startTypingIndicatorInput, stopTypingIndicatorInput } from '../../definitions/actions'
import type * as bp from '../bp'
import { botpressClientFor } from '../botpress/client'
import { sendTyping } from '../channels/typing'
import { parseInput } from './failures'

// Botpress's `typing-indicator` interface: Botpress calls it around the bot's turn on a caller's message. Delivery
// never fails the action (see channels/typing); a malformed input is the bot's mistake and is refused.

export const startTypingIndicator: bp.ActionHandlers['startTypingIndicator'] = async ({ ctx, input, logger }) => {
  const { conversationId, messageId, timeout } = parseInput(startTypingIndicatorInput, input, 'Start Typing Indicator')
  const payload = { typing: true as const, ...(timeout !== undefined && { timeoutMs: Math.round(timeout) }) }
  await sendTyping({ ctx, client: botpressClientFor(ctx), logger, conversationId, messageId, payload })
  return {}
}

export const stopTypingIndicator: bp.ActionHandlers['stopTypingIndicator'] = async ({ ctx, input, logger }) => {
  const { conversationId, messageId } = parseInput(stopTypingIndicatorInput, input, 'Stop Typing Indicator')
  await sendTyping({
    ctx,
    client: botpressClientFor(ctx),
    logger,
    conversationId,
    messageId,
    payload: { typing: false },
  })
  return {}
}
