import type { LocalRuntime } from './index'

export const greeting = 'Hello! I am writing first: answer me in this conversation.'

/**
 * `npm start -- --greet <conversationId>`: the bot writes first, as a Studio workflow would: the
 * getOrCreateConversation action gives the Botpress id of the conversation the back end knows by `conversationId`, then a bot message goes
 * to the endpoint with that conversationId. Returns what to print, including a curl that answers in it.
 */
export const greet = async (runtime: LocalRuntime, conversationId: string, token: string): Promise<string> => {
  const started = await runtime.botApi.callAction('getOrCreateConversation', { conversation: { conversationId } })
  const botpressId = String(started.conversationId)
  await runtime.botApi.sendMessage({ conversationId: botpressId, type: 'text', payload: { text: greeting } })
  const body = { userId: 'user-1', messageId: `msg-${Date.now()}`, conversationId, type: 'text', text: 'Hi, bot' }
  return `The bot wrote first to conversationId "${conversationId}" (getOrCreateConversation → Botpress conversation ${botpressId}).
Answer in that conversation (same conversationId, any userId):

  curl -X POST '${runtime.webhookUrl}' \\
    -H 'Authorization: Bearer ${token}' \\
    -H 'Content-Type: application/json' \\
    -d '${JSON.stringify(body)}'
`
}
