// The chat page's tests: the every-type bot, plus two turns that only a test needs.
import type { BotFunction, Reply } from '../../local'
import everyTypeBot from '../../local/chat/every-type-bot'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Addresses a page must never link to or load from: each shown as text */
export const badUrls = ['data:text/html,<b>x</b>', 'file:///etc/passwd', 'ftp://example.com/x.png']

// "bad urls": a card whose url actions, files and images use them
const badUrlReplies: Reply[] = [
  {
    type: 'card',
    payload: {
      title: 'Bad links',
      imageUrl: badUrls[1]!,
      actions: badUrls.map((value, index) => ({ action: 'url' as const, label: `bad link ${index}`, value })),
    },
  },
  ...badUrls.map((fileUrl, index) => ({ type: 'file', payload: { fileUrl, title: `bad file ${index}` } })),
  ...badUrls.map((imageUrl) => ({ type: 'image', payload: { imageUrl } })),
  { type: 'text', payload: { text: 'bad urls sent' } },
]

const bot: BotFunction = async (incoming) => {
  const text = typeof incoming.message.payload.text === 'string' ? incoming.message.payload.text : ''
  // "silent": works 2 s and answers nothing, so only the runtime's stopTypingIndicator ends "typing"
  if (text === 'silent') return sleep(2000).then(() => [])
  if (text === 'bad urls') return badUrlReplies
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
