import { startConversationInput } from '../../definitions/actions'
import type * as bp from '../bp'
import { asOwnerFailure, parseInput } from './failures'
import { conversationFor } from '../botpress/proactive'
import { botpressClientFor } from '../botpress/client'

/** The conversation the back end knows by `conversationId`, created when new: the bot can then write first. */
export const startConversation: bp.ActionHandlers['startConversation'] = async ({ ctx, input }) => {
  const { conversation } = parseInput(startConversationInput, input, 'Start Conversation')
  const client = botpressClientFor(ctx)
  const found = await asOwnerFailure('Start Conversation', () =>
    conversationFor(client, ctx, conversation.conversationId)
  )
  return { conversationId: found.id }
}
