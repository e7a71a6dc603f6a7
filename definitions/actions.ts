import { z } from '@botpress/sdk'
import { entities } from './entities'
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
