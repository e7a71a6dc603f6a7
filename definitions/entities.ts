import { z, type EntityDefinition } from '@botpress/sdk'

/** The external ids' rule on the webhook: 1..255 characters */
const externalId = (title: string, description: string) => z.string().min(1).max(255).title(title).describe(description)

// What the proactive interfaces' `conversation` and `user` stand for on this channel: the caller's own ids.
export const entities = {
  conversation: {
    title: 'Conversation',
    description: 'A conversation your back end knows by its conversationId',
    schema: z.object({
      conversationId: externalId(
        'Conversation ID',
        'The conversationId your back end uses for this conversation (1 to 255 characters)'
      ),
    }),
  },
  user: {
    title: 'User',
    description: 'A user your back end knows by its userId',
    schema: z.object({
      userId: externalId('User ID', 'The userId your back end uses for this user (1 to 255 characters)'),
    }),
  },
} as const satisfies Record<string, EntityDefinition>
