// The chat page's tests: the every-type bot, plus two turns that only a test needs.
import type { BotFunction } from '../../local'
import everyTypeBot from '../../local/chat/every-type-bot'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const bot: BotFunction = async (incoming) => {
  const text = typeof incoming.message.payload.text === 'string' ? incoming.message.payload.text : ''
  // "silent": works 2 s and answers nothing, so only the runtime's stopTypingIndicator ends "typing"
  if (text === 'silent') return sleep(2000).then(() => [])
  // "think <ms>": starts typing with that timeout itself, then works 20 s: "typing" must end after <ms>, with no stop
  const think = /^think (\d+)$/.exec(text)
  if (think) {
    const { conversationId, id: messageId } = incoming.message
    await incoming.api.callAction('startTypingIndicator', { conversationId, messageId, timeout: Number(think[1]) })
    await sleep(20_000)
    return [{ type: 'text', payload: { text: 'Done thinking' } }]
  }
  return everyTypeBot(incoming)
}
export default bot
