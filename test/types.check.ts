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
