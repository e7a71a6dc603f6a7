// The integration's types, inferred from the definition itself: the Botpress CLI available here cannot generate
// them for SDK 5 (see README). Importing the props as a type keeps the definition out of the bundle.
import * as sdk from '@botpress/sdk'
import type { allActions } from '../definitions/actions'
import type { props } from '../integration.definition'

type Definition = typeof props
type Infer<TSchema> = TSchema extends sdk.z.ZodTypeAny ? sdk.z.infer<TSchema> : never
type TagsOf<TSection> = TSection extends { tags: infer TTags } ? { [TTag in keyof TTags]: string } : {}

type ChannelsOf<TChannels> = {
  [TChannel in keyof TChannels]: {
    messages: {
      [TType in keyof MessagesOf<TChannels[TChannel]>]: Infer<SchemaOf<MessagesOf<TChannels[TChannel]>[TType]>>
    }
    message: { tags: TagsOf<MessageOf<TChannels[TChannel]>> }
    conversation: { tags: TagsOf<ConversationOf<TChannels[TChannel]>> }
  }
}
type MessagesOf<TChannel> = TChannel extends { messages: infer TMessages } ? TMessages : {}
type MessageOf<TChannel> = TChannel extends { message: infer TMessage } ? TMessage : {}
type ConversationOf<TChannel> = TChannel extends { conversation: infer TConversation } ? TConversation : {}
type SchemaOf<TMessage> = TMessage extends { schema: infer TSchema } ? TSchema : never

type ActionsOf<TActions> = {
  [TAction in keyof TActions]: {
    input: Infer<SchemaOf<InputOf<TActions[TAction]>>>
    output: Infer<SchemaOf<OutputOf<TActions[TAction]>>>
  }
}
type InputOf<TAction> = TAction extends { input: infer TInput } ? TInput : never
type OutputOf<TAction> = TAction extends { output: infer TOutput } ? TOutput : never

export type TIntegration = {
  name: Definition['name']
  version: Definition['version']
  configuration: Infer<Definition['configuration']['schema']>
  configurations: {}
  // The interfaces' actions (bound with `extend`) and the integration's own, as the integration checks their input
  actions: ActionsOf<typeof allActions>
  events: { [TEvent in keyof Definition['events']]: Infer<Definition['events'][TEvent]['schema']> }
  states: {}
  entities: { [TEntity in keyof Definition['entities']]: Infer<Definition['entities'][TEntity]['schema']> }
  channels: ChannelsOf<Definition['channels']>
  user: { tags: TagsOf<Definition['user']> }
}

export class Integration extends sdk.Integration<TIntegration> {}
export type IntegrationProps = sdk.IntegrationProps<TIntegration>
export type Configuration = TIntegration['configuration']
export type Client = sdk.IntegrationSpecificClient<TIntegration>
export type Logger = sdk.IntegrationLogger
export type Context = Parameters<IntegrationProps['handler']>[0]['ctx']
export type HandlerProps = Parameters<IntegrationProps['handler']>[0]
export type MessageType = keyof TIntegration['channels']['channel']['messages']
export type ChannelHandlers = IntegrationProps['channels']
export type ActionHandlers = IntegrationProps['actions']
