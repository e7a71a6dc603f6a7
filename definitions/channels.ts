import { messages, z, type ChannelDefinition } from '@botpress/sdk'

// Any message may carry a JSON object of the caller's or the bot's own, as Botpress's chat integration has it: it is
// stored in the message's payload and reaches the other side unchanged.
const metadata = z
  .record(z.any())
  .optional()
  .describe('A JSON object of your own carried with the message (e.g. the page the user is on), passed on unchanged')

const withMetadata = <TShape extends z.ZodRawShape>({ schema }: { schema: z.ZodObject<TShape> }) => ({
  schema: schema.extend({ metadata }),
})

const { defaults } = messages

export const channel = {
  title: 'Messaging API',
  description: 'Messages exchanged with your own back end over HTTP',
  messages: {
    text: withMetadata(defaults.text),
    image: withMetadata(defaults.image),
    audio: withMetadata(defaults.audio),
    video: withMetadata(defaults.video),
    file: withMetadata(defaults.file),
    location: withMetadata(defaults.location),
    carousel: withMetadata(defaults.carousel),
    card: withMetadata(defaults.card),
    dropdown: withMetadata(defaults.dropdown),
    choice: withMetadata(defaults.choice),
    bloc: withMetadata(defaults.bloc),
    markdown: withMetadata(messages.markdown),
  },
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
      callerEventAt: {
        title: 'Latest event at',
        description: 'When the latest event your back end sent into this conversation was stored (ISO 8601)',
      },
    },
  },
} satisfies ChannelDefinition

export const channels = { channel } as const
