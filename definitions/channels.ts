import { messages, type ChannelDefinition } from '@botpress/sdk'

export const channel = {
  title: 'Messaging API',
  description: 'Messages exchanged with your own back end over HTTP',
  messages: { ...messages.defaults, markdown: messages.markdown },
  message: {
    tags: {
      id: {
        title: 'Message ID',
        description: 'The messageId your back end sent; on a bot message, the id your endpoint answered with, if any',
      },
      conversationId: {
        title: 'Conversation ID',
        description: 'The conversationId the message arrived in; scopes messageId deduplication to its conversation',
      },
      turnStartedAt: {
        title: 'Bot turn started at',
        description:
          "On a caller's message: when the bot started its turn on it (ISO 8601), recorded by the typing indicator",
      },
      turnEndedAt: {
        title: 'Bot turn ended at',
        description:
          "On a caller's message: when the bot ended its turn on it (ISO 8601), recorded by the typing indicator",
      },
    },
  },
  conversation: {
    tags: {
      id: { title: 'Conversation ID', description: 'The conversationId your back end uses for this conversation' },
    },
  },
} satisfies ChannelDefinition

export const channels = { channel } as const
