import { InterfaceDefinition, z, type InterfacePackage } from '@botpress/sdk'

// Botpress's `proactive-conversation` interface as Hub publishes it (name, version, titles and schemas): declared here
// because `bp add` needs Hub. `bp deploy` resolves it by name@version to its Hub id.
export const proactiveConversation = {
  type: 'interface',
  name: 'proactive-conversation',
  version: '0.0.4',
  definition: new InterfaceDefinition({
    name: 'proactive-conversation',
    version: '0.0.4',
    entities: {
      conversation: {
        title: 'Conversation',
        description: 'The conversation object fields',
        schema: z.object({}).title('Conversation').describe('The conversation object fields'),
      },
    },
    actions: {
      getOrCreateConversation: {
        title: 'Get or Create a Conversation',
        description: 'Proactively create a conversation from a bot',
        input: {
          schema: ({ conversation }) =>
            z.object({ conversation: conversation.title('Conversation').describe('The conversation object fields') }),
        },
        output: {
          schema: () =>
            z.object({
              conversationId: z
                .string()
                .title('Conversation ID')
                .describe('The Botpress ID of the created conversation'),
            }),
        },
      },
    },
  }),
} satisfies InterfacePackage
