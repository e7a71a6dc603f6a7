// Compiled by `npm run check` (tsc), never run: each @ts-expect-error proves that the types inferred from the
// definition reject what the definition does not declare. An unused directive fails the check.
import type * as bp from '../src/bp'

declare const ctx: bp.Context
declare const client: bp.Client

export const configurationKeys = (): string[] => {
  const url: string | undefined = ctx.configuration.responseEndpointURL
  // @ts-expect-error optional: a pull-only install has no Response Endpoint URL
  const required: string = ctx.configuration.responseEndpointURL
  const secret: string | undefined = ctx.configuration.webhookSecret
  const headers: Record<string, string> | undefined = ctx.configuration.responseEndpointHeaders
  // @ts-expect-error not a configuration key
  const unknown = ctx.configuration.responseEndpointUrl
  return [url ?? '', required, secret ?? '', String(headers), String(unknown)]
}

export const tags = async () => {
  await client.getOrCreateUser({ tags: { id: 'u' } })
  // @ts-expect-error users have no such tag
  await client.getOrCreateUser({ tags: { email: 'u' } })
  await client.getOrCreateConversation({ channel: 'channel', tags: { id: 'c' } })
  // @ts-expect-error no such channel
  await client.getOrCreateConversation({ channel: 'sms', tags: { id: 'c' } })
  await client.getOrCreateMessage({
    type: 'text',
    payload: { text: 'hi' },
    userId: 'u',
    conversationId: 'c',
    tags: { id: 'm', conversationId: 'c' },
  })
  await client.getOrCreateMessage({
    type: 'text',
    payload: { text: 'hi' },
    userId: 'u',
    conversationId: 'c',
    // @ts-expect-error messages have no such tag
    tags: { externalId: 'm' },
  })
}

export const messageTypes: bp.MessageType[] = ['text', 'markdown', 'bloc']
// @ts-expect-error not a message type of the channel
export const notAType: bp.MessageType = 'sticker'

declare const props: Parameters<bp.ActionHandlers['getOrCreateConversation']>[0]
declare const userProps: Parameters<bp.ActionHandlers['getOrCreateUser']>[0]
declare const typingProps: Parameters<bp.ActionHandlers['startTypingIndicator']>[0]

export const actionTypes = () => {
  const conversationId: string = props.input.conversation.conversationId
  const userId: string = userProps.input.user.userId
  const name: string | undefined = userProps.input.name
  const email: string | undefined = userProps.input.email
  const timeout: number | undefined = typingProps.input.timeout
  const typingOn: boolean | undefined = typingProps.ctx.configuration.typingIndicator
  // @ts-expect-error the conversation is named by conversationId, not id
  const wrongField = props.input.conversation.id
  const output: Awaited<ReturnType<bp.ActionHandlers['getOrCreateConversation']>> = { conversationId: 'conv_1' }
  // @ts-expect-error getOrCreateConversation answers conversationId, not userId
  const wrongOutput: Awaited<ReturnType<bp.ActionHandlers['getOrCreateConversation']>> = { userId: 'user_1' }
  // @ts-expect-error a wrong field in an action's input
  const badInput: bp.TIntegration['actions']['getOrCreateConversation']['input'] = { conversation: { id: 'c' } }
  // @ts-expect-error the old name is gone
  const startConversation: bp.ActionHandlers['startConversation'] = undefined
  // @ts-expect-error no such action
  const missing: bp.ActionHandlers['sendTemplate'] = undefined
  return [conversationId, userId, name, email, timeout, typingOn, wrongField, output, wrongOutput, badInput].concat([
    startConversation,
    missing,
  ])
}

type BackEndEvent = bp.TIntegration['events']['backEndEvent']
type SendEventInput = bp.TIntegration['actions']['sendEvent']['input']
declare const sendEventProps: Parameters<bp.ActionHandlers['sendEvent']>[0]

export const eventTypes = async () => {
  const event: BackEndEvent = {
    name: 'order.shipped',
    payload: { order: 'o-42' },
    eventId: 'e',
    conversationId: 'c',
    userId: 'u',
  }
  const { name, ...unnamed } = event
  // @ts-expect-error the event's name is `name`, not `type`
  const wrongField: BackEndEvent = { ...unnamed, type: name }
  // @ts-expect-error the back end's eventId is part of the payload
  const noEventId: BackEndEvent = { name: 'order.shipped', payload: {}, conversationId: 'c', userId: 'u' }
  await client.createEvent({ type: 'backEndEvent', payload: event, conversationId: 'conv_1', userId: 'user_1' })
  // @ts-expect-error no such event
  await client.createEvent({ type: 'orderShipped', payload: event, conversationId: 'conv_1', userId: 'user_1' })
  return [wrongField, noEventId]
}

export const sendEventTypes = () => {
  const conversationId: string = sendEventProps.input.conversationId
  const name: string = sendEventProps.input.name
  const payload: Record<string, any> | undefined = sendEventProps.input.payload
  // @ts-expect-error optional: the payload is {} when left empty
  const requiredPayload: Record<string, any> = sendEventProps.input.payload
  // @ts-expect-error a wrong field in the action's input: the event's name is `name`
  const badInput: SendEventInput = { conversationId: 'conv_1', event: 'checkout.open' }
  const output: Awaited<ReturnType<bp.ActionHandlers['sendEvent']>> = { eventId: 'evt_1' }
  // @ts-expect-error sendEvent answers the eventId, not a messageId
  const wrongOutput: Awaited<ReturnType<bp.ActionHandlers['sendEvent']>> = { messageId: 'msg_1' }
  return [conversationId, name, payload, requiredPayload, badInput, output, wrongOutput]
}
