import type { Conversation, Event, User } from '@botpress/client'
import { backEndEventType, type BackEndEventPayload } from '../../definitions/events'
import { markCallerEvent } from './caller-event-mark'
import type { BotpressClient } from './client'
import { required, withParticipants, type InstallationScope, type Participants } from './participants'

/** A caller's event, checked: the webhook parses it, this layer stores it. */
export type InboundEvent = Participants & { eventId: string; name: string; payload: Record<string, unknown> }

export type IngestedEvent = { event: Event; user: User; conversation: Conversation }

/**
 * How far back a repeat is recognised: the conversation's newest pages of back-end events, newest first (Botpress
 * lists events by conversation and type). An eventId older than that in a very busy conversation makes a new event.
 */
export const dedupePages = 3

/**
 * Get-or-create of user and conversation, as for a message, then one Botpress event in that conversation (with the
 * Botpress ids, so that a workflow it starts can answer there), unless the conversation already has one with this
 * eventId: then that one is the answer and nothing is created. A new event also marks its conversation (one more
 * call), for waits on other copies.
 */
export const ingestEvent = async (
  client: BotpressClient,
  scope: InstallationScope,
  inbound: InboundEvent,
  warn: (line: string) => void
): Promise<IngestedEvent> => {
  const { user, conversation, created } = await withParticipants(client, scope, inbound, (author, where) =>
    findOrCreateEvent(client, inbound, { user: author, conversation: where }, warn)
  )
  return { event: created, user, conversation }
}

const findOrCreateEvent = async (
  client: BotpressClient,
  inbound: InboundEvent,
  { user, conversation }: { user: User; conversation: Conversation },
  warn: (line: string) => void
) => {
  const earlier = await findEarlier(client, conversation.id, inbound.eventId)
  if (earlier) {
    return earlier
  }
  const payload: BackEndEventPayload = {
    name: inbound.name,
    payload: inbound.payload,
    eventId: inbound.eventId,
    conversationId: inbound.conversationId,
    userId: inbound.userId,
  }
  const { event } = await client.createEvent({
    type: backEndEventType,
    payload,
    conversationId: conversation.id,
    userId: user.id,
  })
  const created = required(event, 'event', 'create event')
  // After the event, with its time by Botpress's clock: the one a wait compares messages' times with
  await markCallerEvent(client, conversation.id, created.createdAt, warn)
  return created
}

/**
 * The event this eventId already made in the conversation. Two repeats sent at once may both find none and both
 * create one: the oldest of a page's matches is the answer, so that later repeats agree on the first.
 */
const findEarlier = async (client: BotpressClient, conversationId: string, eventId: string) => {
  let nextToken: string | undefined
  for (let page = 0; page < dedupePages; page++) {
    const listed = await client.listEvents({ conversationId, type: backEndEventType, nextToken })
    const matches = (listed.events ?? []).filter((event) => event?.payload?.eventId === eventId)
    if (matches.length > 0) {
      return matches[matches.length - 1]
    }
    nextToken = listed.meta?.nextToken
    if (!nextToken) {
      return undefined
    }
  }
  return undefined
}
