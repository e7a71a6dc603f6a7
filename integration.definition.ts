import { IntegrationDefinition, type IntegrationDefinitionProps } from '@botpress/sdk'
import {
  actions,
  channels,
  configuration,
  entities,
  events,
  integrationName,
  integrationVersion,
  proactiveConversation,
  proactiveUser,
  typingIndicator,
  user,
} from './definitions'

export const props = {
  name: integrationName,
  version: integrationVersion,
  title: 'Messaging API',
  description: 'Send messages to your bot and receive its replies over plain HTTP, from any back end.',
  readme: 'hub.md',
  icon: 'icon.svg',
  configuration,
  channels,
  user,
  entities,
  events,
  actions,
} as const satisfies IntegrationDefinitionProps

// The bot writes first and shows that it is typing through Botpress's public interfaces, as Botpress's own channels
// do (no `creation` on the user or the conversation: deprecated). Their actions become the integration's actions.
export default new IntegrationDefinition(props)
  .extend(proactiveConversation, ({ entities }) => ({ entities: { conversation: entities.conversation } }))
  .extend(proactiveUser, ({ entities }) => ({ entities: { user: entities.user } }))
  .extend(typingIndicator, () => ({ entities: {} }))
