import type { IntegrationDefinitionProps } from '@botpress/sdk'
import { props } from '../integration.definition'
import type { DeclaredTags } from './api/store'

// Read through the SDK's general type, so the runtime keeps compiling whatever the definition declares
const definition: IntegrationDefinitionProps = props

export const integrationName: string = definition.name

const tagNames = (section?: { tags?: Record<string, unknown> }) => Object.keys(section?.tags ?? {})

/** The tags the integration declares: the Botpress API refuses any other */
export const declaredTags: DeclaredTags = {
  user: tagNames(definition.user),
  channels: Object.fromEntries(
    Object.entries(definition.channels ?? {}).map(([name, channel]) => [
      name,
      { conversation: tagNames(channel.conversation), message: tagNames(channel.message) },
    ])
  ),
}

/** Validates a configuration as Botpress does when it is saved; returns the problems */
export const configurationIssues = (configuration: Record<string, unknown>): string[] => {
  const result = definition.configuration?.schema?.safeParse(configuration)
  return result && !result.success
    ? result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    : []
}

/**
 * The tags Botpress requires before it asks the integration to create a conversation or a user; undefined when the
 * definition does not enable that creation
 */
export const creationRequiredTags = {
  user: definition.user?.creation?.enabled ? definition.user.creation.requiredTags : undefined,
  conversation: (channel: string) => {
    const creation = definition.channels?.[channel]?.conversation?.creation
    return creation?.enabled ? creation.requiredTags : undefined
  },
}
