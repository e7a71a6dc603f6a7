import type { Message } from '@botpress/client'
import { turnOf, turnOpenSince } from '../botpress/turn'
import { directionOf } from './items'
import { pollSchedule, type WaitSignals } from './long-poll'

/** How far back a wait lists to find the caller's latest message: older, it no longer changes the schedule. */
export const recentActivityMs = pollSchedule.turnOpenAtMostMs

/**
 * An idle GET wait reads the conversation (for a new event) only where the caller sent one this recently: every other
 * check then reads it instead of the messages. Elsewhere its checks all read messages, every 500 ms.
 */
export const eventsActiveForMs = 5 * 60_000

/** Whether a GET wait, at `now`, follows the caller's events by reading the conversation (see eventsActiveForMs) */
export const followsEvents = (callerEventAt: number | undefined, now: number): boolean =>
  callerEventAt !== undefined && now - callerEventAt < eventsActiveForMs

/**
 * What a listing tells a wait, from what Botpress holds (another copy may have taken the caller's message): when the
 * caller's latest message in it was created, and since when the bot's turn on it is open.
 */
export const signalsFrom = (listed: Message[], botUserId: string): WaitSignals => {
  const incoming = listed.filter((message) => directionOf(message, botUserId) === 'incoming')
  const latest = incoming.reduce<Message | undefined>(
    (newest, message) => (!newest || Date.parse(message.createdAt) > Date.parse(newest.createdAt) ? message : newest),
    undefined
  )
  return latest ? { callerActiveAt: Date.parse(latest.createdAt), turnOpenSince: turnOpenSince(turnOf(latest)) } : {}
}

/** A listing's signals, with the caller's latest event (the conversation's tag) as activity too, if it is newer */
export const withCallerEvent = (signals: WaitSignals, callerEventAt: number | undefined): WaitSignals =>
  callerEventAt !== undefined && !(signals.callerActiveAt !== undefined && signals.callerActiveAt >= callerEventAt)
    ? { ...signals, callerActiveAt: callerEventAt }
    : signals
