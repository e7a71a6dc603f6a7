import type { Conversation, Event, Message, User } from '@botpress/client'
import type { Store } from '../api/store'
import { integrationName, replyIssues } from '../definition'
import type { BotApi, BotFunction, Reply } from './types'

export type ReactorOptions = {
  store: Store
  botId: string
  botUser: User
  /** read at each message, as the bot can be swapped while the runtime runs */
  currentBot: () => BotFunction | undefined
  deliver: (message: Message) => Promise<void>
  /** handed to the bot, so that it can call the integration's actions while it reacts */
  api: BotApi
  /** wraps the bot's turn on a message (Botpress's typing indicator), when given */
  around?: <T>(message: Message, turn: () => Promise<T>) => Promise<T>
}

/** A reply the bot script got wrong: shown as such, without a stack trace of the runtime */
export class BotReplyError extends Error {
  override name = 'BotReplyError'
}

const describeReply = (reply: unknown) => {
  const text = JSON.stringify(reply) ?? String(reply)
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/**
 * The bot's answer to one incoming message (or event), each reply delivered before the next is written. The replies are written
 * straight into the store (not through HTTP), so apiCalls and faults are the integration's alone.
 */
export const createReactor = ({
  store,
  botId,
  botUser,
  currentBot,
  deliver,
  api,
  around = (_, turn) => turn(),
}: ReactorOptions) => {
  const answer = async (bot: BotFunction, message: Message) => {
    const conversation = store.conversations.get(botId, message.conversationId)
    const user = store.users.get(botId, message.userId)
    await write(conversation, await bot({ message, conversation, user, api }))
  }

  // Each reply delivered before the next is written
  const write = async (conversation: Conversation, replies: Reply[]) => {
    if (!Array.isArray(replies)) {
      throw new BotReplyError(`the bot script must return an array of replies, not ${describeReply(replies)}`)
    }
    for (const [index, reply] of replies.entries()) {
      // Botpress refuses a message its channel does not declare, or whose payload fails the type's schema
      const issues =
        typeof reply === 'object' && reply !== null && typeof reply.type === 'string'
          ? replyIssues(conversation.channel, reply.type, reply.payload)
          : ['a reply is { type, payload }']
      if (issues.length) {
        throw new BotReplyError(
          `reply ${index + 1} of ${replies.length} was refused, as Botpress would refuse it: ${issues.join('; ')}\n  the reply: ${describeReply(reply)}`
        )
      }
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

  /** The bot's answer to an event in a conversation (Botpress names it `<integration>:<type>` for the bot) */
  const answerEvent = async (eventBotId: string, event: Event) => {
    const bot = currentBot()
    if (!bot?.onEvent || eventBotId !== botId || event.conversationId === undefined) return
    const conversation = store.conversations.get(botId, event.conversationId)
    const user = event.userId === undefined ? undefined : store.users.get(botId, event.userId)
    const type = `${integrationName}:${event.type}`
    await write(conversation, await bot.onEvent({ type, event, conversation, user, api }))
  }

  const answerMessage = async (messageBotId: string, message: Message) => {
    const bot = currentBot()
    if (!bot || messageBotId !== botId) return
    await around(message, () => answer(bot, message))
  }

  return { message: answerMessage, event: answerEvent }
}
