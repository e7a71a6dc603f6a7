import type { Conversation, Message } from '@botpress/client'
import type { Position } from '../botpress/position'
import { positionAfter, readAfter } from '../botpress/history'
import { directionOf } from './items'
import { pollUntil } from './long-poll'
import type { RouteContext } from './routes/types'

// Replies are taken as finished once none has come for this long.
const quietMs = 1_000
const maxRepliesRead = 100

/**
 * The bot's replies to what the caller just sent (`?wait=`): the bot messages after `from`, up to the next incoming
 * message, waited for until they stop or `waitMs` from the request's arrival runs out.
 */
export const awaitReplies = async (
  { ctx, client, receivedAt }: Omit<RouteContext, 'req'>,
  conversation: Conversation,
  from: Position,
  waitMs: number
) => {
  const replies: Message[] = []
  let position = from
  let lastReplyAt = 0
  let nextCallerMessage = false
  const poll = async () => {
    const { messages } = await readAfter(client, conversation, position, maxRepliesRead)
    const firstIncoming = messages.findIndex((message) => directionOf(message, ctx.botUserId) === 'incoming')
    const fresh = firstIncoming < 0 ? messages : messages.slice(0, firstIncoming)
    nextCallerMessage = firstIncoming >= 0
    if (fresh.length > 0) {
      replies.push(...fresh)
      position = positionAfter(position, fresh)
      lastReplyAt = Date.now()
    }
  }
  // Replies end at the next caller message: nothing after it answers this one.
  const done = () => nextCallerMessage || (replies.length > 0 && Date.now() - lastReplyAt >= quietMs)
  await pollUntil(poll, done, receivedAt + waitMs)
  return { replies, position }
}
