import type { Message } from '@botpress/client'
import type { BotpressClient } from './client'
import { withDeadline } from './deadline'
import { describeFailure } from './upstream-errors'

/**
 * The bot's turn on a caller's message. Botpress brackets it with the typing-indicator interface, on whichever copy;
 * each edge is recorded as a tag on the message (a time), where every copy reads it with the message. Two tags, not
 * one state: the start and the stop may land in either order, and a later start (another turn) reopens it.
 */
export type Turn = { startedAt?: number; endedAt?: number }
export type TurnEdge = 'start' | 'end'

const tagOf = { start: 'turnStartedAt', end: 'turnEndedAt' } as const
// The start and the stop may be recorded by copies whose clocks differ a little: an end this close before the start
// still ends that turn (two turns on one message are seconds apart)
const clockSkewMs = 1_000

/** A tag holding a time (ISO 8601), as ms; undefined when unset or not a time */
export const tagTimeOf = (value: string | undefined) => {
  const ms = value ? Date.parse(value) : NaN
  return Number.isNaN(ms) ? undefined : ms
}

export const turnOf = (message: Pick<Message, 'tags'>): Turn => ({
  startedAt: tagTimeOf(message.tags?.[tagOf.start]),
  endedAt: tagTimeOf(message.tags?.[tagOf.end]),
})

/** The turn was recorded as ended (a stop without a recorded start counts too) */
export const turnEnded = ({ startedAt, endedAt }: Turn): boolean =>
  endedAt !== undefined && (startedAt === undefined || endedAt >= startedAt - clockSkewMs)

/** When the open turn started; undefined when none started, or it ended */
export const turnOpenSince = (turn: Turn): number | undefined => (turnEnded(turn) ? undefined : turn.startedAt)

/**
 * Records an edge of the bot's turn on the caller's message: one Botpress call, at most `budgetMs`. Never throws: a
 * failure is a warning (waiting callers then fall back on the quiet period, or wait to the end of their wait).
 */
export const recordTurn = async (
  client: BotpressClient,
  messageId: string,
  edge: TurnEdge,
  warn: (line: string) => void,
  budgetMs: number
): Promise<void> => {
  try {
    const tags = { [tagOf[edge]]: new Date().toISOString() }
    await withDeadline(
      client.updateMessage({ id: messageId, tags }),
      budgetMs,
      'the Botpress API did not answer in time'
    )
  } catch (thrown) {
    warn(
      `Messaging API could not record the ${edge} of the bot's turn on message ${messageId}: ${describeFailure(thrown)}`
    )
  }
}
