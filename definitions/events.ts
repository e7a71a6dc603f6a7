import { z, type EventDefinition } from '@botpress/sdk'

/** An event's name: what the caller's back end and a bot's `sendEvent` agree on, e.g. `order.shipped` */
export const eventNameMaxLength = 100

// What a Studio workflow started by the event reads in `event.payload`: the caller's own values, as it sent them.
export const events = {
  backEndEvent: {
    title: 'Event from your back end',
    description:
      'Your back end POSTed an event (not a user message) to the webhook URL /events, e.g. "order.shipped": start a workflow on it; the bot can answer in the conversation',
    schema: z.object({
      name: z
        .string()
        .min(1)
        .max(eventNameMaxLength)
        .title('Event name')
        .describe('The event name your back end sent, e.g. order.shipped (1 to 100 characters)'),
      payload: z
        .record(z.any())
        .title('Payload')
        .describe('The JSON object your back end sent with the event ({} when it sent none)'),
      eventId: z
        .string()
        .min(1)
        .max(255)
        .title('Event ID')
        .describe('The eventId your back end gave this event; a repeat of it in the conversation is not sent again'),
      conversationId: z
        .string()
        .min(1)
        .max(255)
        .title('Conversation ID')
        .describe('The conversationId your back end uses for the conversation the event belongs to'),
      userId: z
        .string()
        .min(1)
        .max(255)
        .title('User ID')
        .describe('The userId your back end uses for the user the event is about'),
    }),
  },
} as const satisfies Record<string, EventDefinition>

export type BackEndEventPayload = z.infer<(typeof events)['backEndEvent']['schema']>

/** The declared type of a back end's event (a bot sees it as `<integration alias>:backEndEvent`) */
export const backEndEventType = 'backEndEvent' satisfies keyof typeof events
