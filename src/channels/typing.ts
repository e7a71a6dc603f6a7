import { RuntimeError } from '@botpress/sdk'
import { randomUUID } from 'node:crypto'
import type * as bp from '../bp'
import type { BotpressClient } from '../botpress/client'
import { withDeadline } from '../botpress/deadline'
import { describeFailure } from '../botpress/upstream-errors'
import { deliver, deliveryPolicy, type AttemptPlan } from './delivery'
import { buildSignedRequest } from './outbound-request'

/**
 * A typing indicator costs at most this much, lookups and request together: one attempt, never retried (a late
 * "typing" after the reply would lie). Typing must never break a bot, nor slow it longer than this.
 */
export const typingBudgetMs = 2_000

export type TypingPayload = { typing: true; timeoutMs?: number } | { typing: false }

/** What the endpoint receives: the caller's ids (null when there are none) and Botpress's */
export type TypingBody = {
  type: 'typing'
  payload: TypingPayload
  conversationId: string | null
  messageId: string | null
  botpressConversationId: string
  botpressMessageId: string
}

export type TypingSignal = {
  ctx: bp.Context
  client: BotpressClient
  logger: bp.Logger
  /** Botpress's ids, as the typing-indicator interface gives them */
  conversationId: string
  messageId: string
  payload: TypingPayload
}

/** On only when the bot owner turned it on and there is an endpoint: ctx.configuration is Botpress's raw JSON. */
export const typingEnabled = (configuration: bp.Configuration): boolean =>
  configuration.typingIndicator === true &&
  typeof configuration.responseEndpointURL === 'string' &&
  configuration.responseEndpointURL !== ''

/**
 * Tells the Response Endpoint that the bot is typing, or has stopped: one signed POST with a `webhook-id` of its own.
 * Two Botpress API calls at most (the caller's ids of the conversation and of the message, at once). Never throws:
 * any failure is a warning in the bot owner's log.
 */
export const sendTyping = async (
  { ctx, client, logger, conversationId, messageId, payload }: TypingSignal,
  budgetMs = typingBudgetMs,
  // Tests see the time the POST was given, rather than timing it on a loaded machine
  onAttempt?: (plan: AttemptPlan) => void
): Promise<void> => {
  if (!typingEnabled(ctx.configuration)) {
    return
  }
  const deadline = Date.now() + budgetMs
  const what = `the typing indicator (${payload.typing ? 'start' : 'stop'}) for message ${messageId}`
  const warn = (cause: string) => logger.forBot().warn(`Messaging API could not send ${what}: ${cause}`)
  try {
    const [{ conversation }, { message }] = await withDeadline(
      Promise.all([client.getConversation({ id: conversationId }), client.getMessage({ id: messageId })]),
      budgetMs,
      'the Botpress API did not answer in time'
    )
    const body: TypingBody = {
      type: 'typing',
      payload,
      conversationId: conversation.tags.id ?? null,
      messageId: message.tags.id ?? null,
      botpressConversationId: conversation.id,
      botpressMessageId: message.id,
    }
    const request = buildSignedRequest(ctx.configuration, `typing_${randomUUID()}`, body)
    const left = deadline - Date.now()
    if (left <= 0) {
      return warn('no time was left to send it')
    }
    const policy = { ...deliveryPolicy, maxAttempts: 1, attemptTimeoutMs: left, totalBudgetMs: left, minAttemptMs: 0 }
    const result = await deliver(request, policy, onAttempt)
    if (!result.ok) {
      warn(`${new URL(request.url).host}: ${result.reason}, not retried`)
    }
  } catch (thrown) {
    // A RuntimeError of ours (an unusable configuration) is worded for the bot owner; other errors are not echoed
    warn(thrown instanceof RuntimeError ? thrown.message : describeFailure(thrown))
  }
}
