import { z, type ActionDefinition } from '@botpress/sdk'
import { userNameMaxLength } from './user'

// Shaped like Botpress's `proactive-conversation` and `proactive-user` interfaces (input `conversation` / `user`
// objects, output the Botpress id), so that adopting them later renames nothing. Patterns, not refinements: every
// rule survives the JSON Schema conversion of `bp deploy` (which drops regex flags, hence the spelled-out scheme).

/** The external ids' rule on the webhook: 1..255 characters */
const externalId = (title: string, description: string) => z.string().min(1).max(255).title(title).describe(description)

export const startConversationInput = z.object({
  conversation: z
    .object({
      conversationId: externalId(
        'Conversation ID',
        'The conversationId your back end uses for this conversation (1 to 255 characters)'
      ),
    })
    .title('Conversation')
    .describe('Which conversation to start or find'),
})

export const getOrCreateUserInput = z.object({
  user: z
    .object({
      userId: externalId('User ID', 'The userId your back end uses for this user (1 to 255 characters)'),
    })
    .title('User')
    .describe('Which user to create or find'),
  name: z
    .string()
    .min(1)
    .max(userNameMaxLength)
    .optional()
    .title('Name')
    .describe(`Optional display name of the user (at most ${userNameMaxLength} characters)`),
  pictureUrl: z
    .string()
    .max(2048)
    .regex(/^[Hh][Tt][Tt][Pp][Ss]?:\/\/\S+$/, 'Must be an http:// or https:// URL')
    .optional()
    .title('Picture URL')
    .describe('Optional http(s) URL of the user profile picture (at most 2,048 characters)'),
})

export const actions = {
  startConversation: {
    title: 'Start Conversation',
    description:
      'Gets or creates the conversation your back end knows by this Conversation ID, so the bot can write first. ' +
      'Returns its Botpress ID: use it in a Send Message card. Your endpoint receives those messages with this conversationId.',
    input: { schema: startConversationInput },
    output: {
      schema: z.object({
        conversationId: z.string().title('Conversation ID').describe('The Botpress ID of the conversation'),
      }),
    },
  },
  getOrCreateUser: {
    title: 'Get or Create User',
    description:
      'Gets or creates the user your back end knows by this User ID (setting its name and picture when given). ' +
      'Returns its Botpress ID.',
    input: { schema: getOrCreateUserInput },
    output: {
      schema: z.object({ userId: z.string().title('User ID').describe('The Botpress ID of the user') }),
    },
  },
} as const satisfies Record<string, ActionDefinition>
