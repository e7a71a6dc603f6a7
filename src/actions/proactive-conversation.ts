import { getOrCreateConversationInput } from '../../definitions/actions'
import type * as bp from '../bp'
import { botpressClientFor } from '../botpress/client'
import { conversationFor } from '../botpress/proactive'
import { asOwnerFailure, parseInput } from './failures'

// Botpress's `proactive-conversation` interface.

const title = 'Get or Create a Conversation'

/** The conversation the back end knows by `conversationId`, created when new: the bot can then write first. */
export const getOrCreateConversation: bp.ActionHandlers['getOrCreateConversation'] = async ({ ctx, input }) => {
  const { conversation } = parseInput(getOrCreateConversationInput, input, title)
  const client = botpressClientFor(ctx)
  const found = await asOwnerFailure(title, () => conversationFor(client, ctx, conversation.conversationId))
  return { conversationId: found.id }
}
