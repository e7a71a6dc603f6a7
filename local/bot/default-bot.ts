import type { BotFunction } from './types'

/** Echoes the message, then asks a choice, so that a text and a non-text reply reach the endpoint every time */
export const defaultBot: BotFunction = ({ message }) => {
  const text = typeof message.payload.text === 'string' ? message.payload.text : undefined
  return [
    {
      type: 'text',
      payload: { text: message.type === 'text' ? `You said: ${text ?? ''}` : `You sent a ${message.type} message` },
    },
    {
      type: 'choice',
      payload: {
        text: 'Did that work?',
        options: [
          { label: 'Yes', value: 'yes' },
          { label: 'No', value: 'no' },
        ],
      },
    },
  ]
}
