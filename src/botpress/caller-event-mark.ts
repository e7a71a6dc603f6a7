import type { Conversation } from '@botpress/client'
import type { BotpressClient } from './client'
import { tagTimeOf } from './turn'
import { describeFailure } from './upstream-errors'

/**
 * When the caller's latest event was created (its Botpress createdAt), as a tag on its conversation: Botpress
 * lists events apart from messages, so a GET wait on any copy reads this tag to poll as densely after an event as
 * after a message.
 */
const callerEventTag = 'callerEventAt'

export const callerEventAtOf = (conversation: Pick<Conversation, 'tags'>): number | undefined =>
  tagTimeOf(conversation.tags?.[callerEventTag])

/**
 * One Botpress call, after the event is created. Never throws: a wait that misses the mark only polls on its idle
 * schedule, so a failure is a warning for the bot owner (and the request goes on).
 */
export const markCallerEvent = async (
  client: BotpressClient,
  conversationId: string,
  createdAt: string,
  warn: (line: string) => void
): Promise<void> => {
  try {
    await client.updateConversation({ id: conversationId, tags: { [callerEventTag]: createdAt } })
  } catch (thrown) {
    warn(
      `Messaging API could not mark conversation ${conversationId} with its latest event (waits poll slower after it): ${describeFailure(thrown)}`
    )
  }
}
