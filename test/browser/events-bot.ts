// The chat page's event tests: the default bot (it answers an event, and sends one on "event"), plus "meta": a reply
// carrying metadata.
import type { BotFunction } from '../../local'
import { defaultBot } from '../../local/bot/default-bot'

const bot: BotFunction = async (incoming) =>
  incoming.message.payload.text === 'meta'
    ? [{ type: 'text', payload: { text: 'With metadata', metadata: { page: '/checkout', step: 2 } } }]
    : defaultBot(incoming)
bot.onEvent = defaultBot.onEvent
export default bot
