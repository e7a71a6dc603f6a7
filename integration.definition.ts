import { IntegrationDefinition, type IntegrationDefinitionProps } from '@botpress/sdk'
import { actions, channels, configuration, integrationName, integrationVersion, user } from './definitions'

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
  actions,
} as const satisfies IntegrationDefinitionProps

export default new IntegrationDefinition(props)
