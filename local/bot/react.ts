import type { Message, User } from '@botpress/client'
import type { Store } from '../api/store'
import type { BotApi, BotFunction } from './types'

export type ReactorOptions = {
  store: Store
  botId: string
  botUser: User
  /** read at each message, as the bot can be swapped while the runtime runs */
  currentBot: () => BotFunction | undefined
  deliver: (message: Message) => Promise<void>
  /** handed to the bot, so that it can call the integration's actions while it reacts */
  api: BotApi
}

/**
 * The bot's answer to one incoming message, each reply delivered before the next is written. The replies are written
 * straight into the store (not through HTTP), so apiCalls and faults are the integration's alone.
 */
export const createReactor =
  ({ store, botId, botUser, currentBot, deliver, api }: ReactorOptions) =>
  async (messageBotId: string, message: Message) => {
    const bot = currentBot()
    if (!bot || messageBotId !== botId) return
    const conversation = store.conversations.get(botId, message.conversationId)
    const user = store.users.get(botId, message.userId)
    for (const reply of await bot({ message, conversation, user, api })) {
      const created = store.messages.create(botId, {
        type: reply.type,
        payload: reply.payload,
        userId: botUser.id,
        conversationId: conversation.id,
        tags: {},
      })
      await deliver(created)
    }
  }
