import type { Message, User } from '@botpress/client'
import type { Store } from '../api/store'
import type { Operation, OperationResult } from './operations'

export type Delivery = { messageId: string; status: number; body: string; durationMs: number }

export type MessageDeliveryOptions = {
  store: Store
  botId: string
  botUser: User
  callIntegration: (operation: Operation, body: unknown, type?: string) => Promise<OperationResult>
}

/** Sends each bot message to the integration as `message_created`, as Botpress does, and records the outcome */
export const createMessageDelivery = ({ store, botId, botUser, callIntegration }: MessageDeliveryOptions) => {
  const deliveries: Delivery[] = []

  const deliver = async (message: Message) => {
    const conversation = store.conversations.get(botId, message.conversationId)
    const body = { type: message.type, payload: message.payload, conversation, user: botUser, message }
    const startedAt = performance.now()
    // An unreachable integration is a delivery with status 0, not a failed reaction
    const result = await callIntegration('message_created', body, message.type).catch((thrown: Error) => ({
      status: 0,
      body: thrown.message,
      durationMs: performance.now() - startedAt,
    }))
    deliveries.push({ messageId: message.id, status: result.status, body: result.body, durationMs: result.durationMs })
  }

  return { deliveries, deliver }
}
