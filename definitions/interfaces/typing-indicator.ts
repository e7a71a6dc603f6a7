import { InterfaceDefinition, WELL_KNOWN_ATTRIBUTES, z, type InterfacePackage } from '@botpress/sdk'

// Botpress's `typing-indicator` interface as Hub publishes it (name, version, titles and schemas): Botpress calls
// its actions with its own ids of the conversation and of the message the bot is answering.
export const typingIndicator = {
  type: 'interface',
  name: 'typing-indicator',
  version: '0.0.4',
  definition: new InterfaceDefinition({
    name: 'typing-indicator',
    version: '0.0.4',
    entities: {},
    events: {},
    actions: {
      startTypingIndicator: {
        attributes: { ...WELL_KNOWN_ATTRIBUTES.HIDDEN_IN_STUDIO },
        input: {
          schema: () =>
            z.object({
              conversationId: z
                .string()
                .title('Conversation ID')
                .describe('The ID of the conversation where the typing indicator should be shown'),
              messageId: z
                .string()
                .title('Message ID')
                .describe('The message ID to which the typing indicator should be attached'),
              timeout: z
                .number()
                .optional()
                .title('Typing Indicator Timeout')
                .describe('The timeout in milliseconds after which the typing indicator should stop'),
            }),
        },
        output: { schema: () => z.object({}) },
      },
      stopTypingIndicator: {
        attributes: { ...WELL_KNOWN_ATTRIBUTES.HIDDEN_IN_STUDIO },
        input: {
          schema: () =>
            z.object({
              conversationId: z
                .string()
                .title('Conversation ID')
                .describe('The ID of the conversation where the typing indicator should be removed'),
              messageId: z
                .string()
                .title('Message ID')
                .describe('The message ID from which the typing indicator should be removed'),
            }),
        },
        output: { schema: () => z.object({}) },
      },
    },
    __advanced: { useLegacyZuiTransformer: true },
  }),
} satisfies InterfacePackage
