import type { LocalRuntime } from '../local'

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const pullPath = (conversationId: string, query: string) =>
  `/conversations/${encodeURIComponent(conversationId)}/messages?${query}`

/**
 * The bot writes one message at `at` (ms, this clock) while a caller's wait is held; how long after the message
 * existed the wait answered with it (an error when the answer is anything else)
 */
export const replyToWaitingCaller = async (
  runtime: LocalRuntime,
  botpressConversationId: string,
  waiting: Promise<{ body: string }>,
  at: number
): Promise<number> => {
  await sleep(Math.max(0, at - Date.now()))
  const reply = await runtime.botApi.sendMessage(
    { conversationId: botpressConversationId, type: 'text', payload: { text: 'hello' } },
    { deliver: false }
  )
  const answer = await waiting
  const answeredAt = Date.now()
  if (JSON.parse(answer.body).messages.length !== 1) throw new Error(answer.body)
  return answeredAt - Date.parse(reply.createdAt)
}
