import type { BotFunction, Reply } from './types'

/** The event the default bot sends back when a user writes `event` */
export const defaultBotEvent = { name: 'bot.hello', payload: { from: 'the default bot' } }

const didThatWork: Reply = {
  type: 'choice',
  payload: {
    text: 'Did that work?',
    options: [
      { label: 'Yes', value: 'yes' },
      { label: 'No', value: 'no' },
    ],
  },
}

/**
 * Echoes the message, then asks a choice, so that a text and a non-text reply reach the endpoint every time. The
 * message `event` makes it send an event to the back end (the integration's sendEvent) before answering.
 */
export const defaultBot: BotFunction = async ({ message, conversation, api }) => {
  const text = typeof message.payload.text === 'string' ? message.payload.text : undefined
  if (message.type === 'text' && text?.trim().toLowerCase() === 'event') {
    const { eventId } = await api.callAction('sendEvent', { conversationId: conversation.id, ...defaultBotEvent })
    return [
      {
        type: 'text',
        payload: { text: `I sent your back end the event ${defaultBotEvent.name} (${String(eventId)})` },
      },
    ]
  }
  return [
    {
      type: 'text',
      payload: { text: message.type === 'text' ? `You said: ${text ?? ''}` : `You sent a ${message.type} message` },
    },
    didThatWork,
  ]
}

// An event from the back end (POST /events) is answered with a message naming it
defaultBot.onEvent = ({ event }) => [
  { type: 'text', payload: { text: `Your back end sent the event ${String(event.payload.name)}` } },
]
