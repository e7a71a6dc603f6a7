import type { Message, User } from '@botpress/client'
import type { Store } from '../api/store'
import type { Operation, OperationResult } from './operations'

export type Delivery = {
  messageId: string
  /** the integration's answer to message_created: 200 when the endpoint took the message */
  status: number
  body: string
  durationMs: number
  /** requests the integration sent to the endpoint for this message, and the status of the last answer */
  attempts: number
  endpointStatus?: number
}

/** What the integration process reported of its requests to the endpoint, per webhook-id (the message id) */
export type EndpointTrace = { take(messageId: string): { attempts: number; endpointStatus?: number } }

export type MessageDeliveryOptions = {
  store: Store
  botId: string
  botUser: User
  callIntegration: (operation: Operation, body: unknown, type?: string) => Promise<OperationResult>
  trace: EndpointTrace
  onDelivery?: (delivery: Delivery) => void
}

/** Sends each bot message to the integration as `message_created`, as Botpress does, and records the outcome */
export const createMessageDelivery = ({
  store,
  botId,
  botUser,
  callIntegration,
  trace,
  onDelivery,
}: MessageDeliveryOptions) => {
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
    // The attempts' reports come on their own pipe, written before the answer: let it be read
    await new Promise((resolve) => setImmediate(resolve))
    const delivery = { messageId: message.id, status: result.status, body: result.body, durationMs: result.durationMs }
    const recorded = { ...delivery, ...trace.take(message.id) }
    deliveries.push(recorded)
    onDelivery?.(recorded)
  }

  return { deliveries, deliver }
}
