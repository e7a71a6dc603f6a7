import type { Conversation, Message } from '@botpress/client'
import type { Position } from '../botpress/position'
import { positionAfter, readAfter } from '../botpress/history'
import { turnEnded, turnOf, turnOpenSince, type Turn } from '../botpress/turn'
import { directionOf } from './items'
import { pollUntil } from './long-poll'
import type { RouteContext } from './routes/types'

// Replies to a turn Botpress did not bracket are taken as finished once none has come for this long.
const quietMs = 1_000
const maxRepliesRead = 100

/** What the caller just sent: where its replies start, when it was created, and the message the bot's turn is on */
export type CallerActivity = {
  from: Position
  /** when Botpress created the caller's message or event (ms) */
  at: number
  /** the caller's message, whose tags record the bot's turn on it; an event has none (quiet period only) */
  messageId?: string
}

/**
 * The bot's replies to what the caller just sent (`?wait=`): the bot messages after it, up to the next incoming
 * message. Once the bot's turn on the caller's message has started (any copy may have recorded it), they are waited
 * for until the turn ends, however long the bot pauses; otherwise until none has come for 1 s. Either way at most
 * until `waitMs` from the request's arrival.
 */
export const awaitReplies = async (
  { ctx, client, receivedAt }: Pick<RouteContext, 'ctx' | 'client' | 'receivedAt'>,
  conversation: Conversation,
  activity: CallerActivity,
  waitMs: number
) => {
  const replies: Message[] = []
  let position = activity.from
  let lastReplyAt = 0
  let nextCallerMessage = false
  let turn: Turn = {}
  const poll = async () => {
    // Listed from the caller's message on, so that its tags (the turn) come with the replies: one call
    const { messages, listed } = await readAfter(client, conversation, position, maxRepliesRead, activity.at)
    const own = listed.find((message) => message.id === activity.messageId)
    turn = own ? turnOf(own) : turn
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
  const done = () => {
    if (nextCallerMessage || turnEnded(turn)) return true
    if (turn.startedAt !== undefined) return false
    return replies.length > 0 && Date.now() - lastReplyAt >= quietMs
  }
  const signals = () => ({ callerActiveAt: activity.at, turnOpenSince: turnOpenSince(turn) })
  await pollUntil(poll, done, receivedAt + waitMs, signals)
  return { replies, position }
}
