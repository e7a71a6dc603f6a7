import { startTypingIndicatorInput, stopTypingIndicatorInput } from '../../definitions/actions'
import type * as bp from '../bp'
import { botpressClientFor } from '../botpress/client'
import { recordTurn, type TurnEdge } from '../botpress/turn'
import { sendTyping, typingBudgetMs, type TypingPayload } from '../channels/typing'
import { parseInput } from './failures'

// Botpress's `typing-indicator` interface: Botpress calls it around the bot's turn on a caller's message, whatever
// the typingIndicator setting. Each call records that edge of the turn on the message (waiting callers read it, on
// any copy) and, when the setting is on, tells the endpoint; both at once, within the 2 s budget. Neither ever fails
// the action (a warning instead); a malformed input is the bot's mistake and is refused.

type Indicator = { ctx: bp.Context; logger: bp.Logger; conversationId: string; messageId: string }

const indicate = async ({ ctx, logger, conversationId, messageId }: Indicator, payload: TypingPayload) => {
  const client = botpressClientFor(ctx)
  const edge: TurnEdge = payload.typing ? 'start' : 'end'
  const warn = (line: string) => logger.forBot().warn(line)
  await Promise.all([
    recordTurn(client, messageId, edge, warn, typingBudgetMs),
    sendTyping({ ctx, client, logger, conversationId, messageId, payload }),
  ])
}

export const startTypingIndicator: bp.ActionHandlers['startTypingIndicator'] = async ({ ctx, input, logger }) => {
  const { conversationId, messageId, timeout } = parseInput(startTypingIndicatorInput, input, 'Start Typing Indicator')
  const payload = { typing: true as const, ...(timeout !== undefined && { timeoutMs: Math.round(timeout) }) }
  await indicate({ ctx, logger, conversationId, messageId }, payload)
  return {}
}

export const stopTypingIndicator: bp.ActionHandlers['stopTypingIndicator'] = async ({ ctx, input, logger }) => {
  const { conversationId, messageId } = parseInput(stopTypingIndicatorInput, input, 'Stop Typing Indicator')
  await indicate({ ctx, logger, conversationId, messageId }, { typing: false })
  return {}
}
