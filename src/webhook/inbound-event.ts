import { eventNameMaxLength } from '../../definitions/events'
import type { InboundEvent } from '../botpress/events'
import { callerFields, invalidBody, pathOf, profileOf } from './inbound-message'

// The same ids and profile rules as a message (rule 18), plus the event's own id, name and payload.
const buildEventSchema = () => {
  const { z, externalId, jsonObject, userName, userPictureUrl } = callerFields()
  return z.object({
    userId: externalId('userId'),
    conversationId: externalId('conversationId'),
    eventId: externalId('eventId'),
    name: z
      .string({ required_error: 'name is required', invalid_type_error: 'name must be a string' })
      .min(1, 'name must not be empty')
      .max(eventNameMaxLength, `name must be at most ${eventNameMaxLength} characters`),
    payload: jsonObject('payload'),
    userName,
    userPictureUrl,
  })
}
let eventSchema: ReturnType<typeof buildEventSchema> | undefined

/** Validates a caller's event (`POST /events`); throws a 400 naming every offending field. */
export const parseInboundEvent = (body: Record<string, unknown>): InboundEvent => {
  eventSchema ??= buildEventSchema()
  const parsed = eventSchema.safeParse(body)
  if (!parsed.success) {
    throw invalidBody(parsed.error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message })))
  }
  const { userId, conversationId, eventId, name, payload } = parsed.data
  return { userId, conversationId, eventId, name, payload: payload ?? {}, profile: profileOf(parsed.data) }
}
