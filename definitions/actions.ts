import { z } from '@botpress/sdk'
import { entities } from './entities'
import { eventNameMaxLength } from './events'
import { userNameMaxLength } from './user'

// The actions come from Botpress's interfaces (see ./interfaces), bound in integration.definition.ts. These are the
// same inputs as the integration checks them: the SDK hands action input over unchecked, and the interfaces' own
// schemas are looser (any string for a name or a picture URL). Patterns, not refinements: the JSON Schema conversion
// of `bp deploy` drops regex flags, hence the spelled-out scheme.

export const getOrCreateConversationInput = z.object({ conversation: entities.conversation.schema })

export const getOrCreateUserInput = z.object({
  user: entities.user.schema,
  name: z.string().min(1).max(userNameMaxLength).optional(),
  pictureUrl: z
    .string()
    .max(2048)
    .regex(/^[Hh][Tt][Tt][Pp][Ss]?:\/\/\S+$/, 'Must be an http:// or https:// URL')
    .optional(),
  // Accepted, as the interface has it; Botpress users have no email field, so it is not stored (see hub.md)
  email: z.string().optional(),
})

/** Botpress's own ids */
const botpressId = z.string().min(1).max(255)

export const startTypingIndicatorInput = z.object({
  conversationId: botpressId,
  messageId: botpressId,
  timeout: z.number().finite().nonnegative().optional(),
})

export const stopTypingIndicatorInput = z.object({ conversationId: botpressId, messageId: botpressId })

// The integration's own action (not an interface's): a card in Studio, so every field is titled and described.
export const sendEventInput = z.object({
  conversationId: botpressId
    .title('Conversation ID')
    .describe('The Botpress id of the conversation, as the bot has it in event.conversationId'),
  name: z
    .string()
    .min(1)
    .max(eventNameMaxLength)
    .title('Event name')
    .describe('What your back end should do or know, e.g. checkout.open (1 to 100 characters)'),
  payload: z
    .record(z.any())
    .optional()
    .title('Payload')
    .describe('A JSON object your back end receives with the event ({} when left empty)'),
})

export const sendEventOutput = z.object({
  eventId: z
    .string()
    .title('Event ID')
    .describe('The id the Response Endpoint received as eventId and webhook-id (evt_...)'),
})

export const sendEvent = {
  title: 'Send Event to Your Back End',
  description:
    'POSTs an event (a name and a JSON payload, not a chat message) to the Response Endpoint, signed, retried as messages are; fails when it is not delivered',
  input: { schema: sendEventInput },
  output: { schema: sendEventOutput },
}

const schema = <TSchema extends z.ZodTypeAny>(input: TSchema) => ({ schema: input })

/** The interfaces' actions as the integration implements them: their types (src/bp.ts) and their input checks */
export const interfaceActions = {
  getOrCreateConversation: {
    input: schema(getOrCreateConversationInput),
    output: schema(z.object({ conversationId: z.string() })),
  },
  getOrCreateUser: { input: schema(getOrCreateUserInput), output: schema(z.object({ userId: z.string() })) },
  startTypingIndicator: { input: schema(startTypingIndicatorInput), output: schema(z.object({})) },
  stopTypingIndicator: { input: schema(stopTypingIndicatorInput), output: schema(z.object({})) },
}

/** The actions the integration declares itself, beside the interfaces' */
export const actions = { sendEvent }

/** Every action the integration implements: its types (src/bp.ts) and their input checks */
export const allActions = { ...interfaceActions, sendEvent }
