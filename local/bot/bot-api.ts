import type { Message, User } from '@botpress/client'
import type { Store } from '../api/store'
import type { Operation, OperationResult } from '../cloud/operations'
import { integrationName, replyIssues } from '../definition'
import type { BotApi } from './types'

/** A refusal by the integration (or by Botpress before it was asked): `message` is what the bot would be told */
export class BotApiError extends Error {
  public override name = 'BotApiError'
  public constructor(
    message: string,
    public readonly status: number,
    public readonly body: string
  ) {
    super(message)
  }
}

export type BotApiOptions = {
  store: Store
  botId: string
  botUser: User
  callIntegration: (operation: Operation, body: unknown, type?: string) => Promise<OperationResult>
  deliver: (message: Message) => Promise<unknown>
}

const parsed = (result: OperationResult): Record<string, any> => {
  try {
    return JSON.parse(result.body) as Record<string, any>
  } catch {
    return {}
  }
}

/** The integration's answer, or a BotApiError carrying the RuntimeError message it answered with */
const answerOf = (what: string, result: OperationResult) => {
  const body = parsed(result)
  if (result.status < 200 || result.status >= 300) {
    const message = typeof body.message === 'string' ? body.message : `${what}: HTTP ${result.status}`
    throw new BotApiError(message, result.status, result.body)
  }
  return body
}

/** Botpress's side of a bot's calls to the integration: one operation each, as Botpress sends them */
export const createBotApi = ({ store, botId, botUser, callIntegration, deliver }: BotApiOptions): BotApi => ({
  callAction: async (type, input) => {
    const name = type.startsWith(`${integrationName}:`) ? type.slice(integrationName.length + 1) : type
    const body = answerOf(`Action ${name}`, await callIntegration('action_triggered', { type: name, input }, name))
    return (body.output ?? {}) as Record<string, unknown>
  },
  sendMessage: async ({ conversationId, type, payload }, { deliver: send = true } = {}) => {
    // Botpress checks every bot message against its channel's schema of that type, not only replies
    const conversation = store.conversations.get(botId, conversationId)
    const issues = replyIssues(conversation.channel, type, payload)
    if (issues.length)
      throw new BotApiError(`Send message: refused, as Botpress would refuse it: ${issues.join('; ')}`, 400, '')
    const message = store.messages.create(botId, { type, payload, userId: botUser.id, conversationId, tags: {} })
    if (send) await deliver(message)
    return message
  },
})
