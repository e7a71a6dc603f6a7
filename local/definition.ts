import type { IntegrationDefinitionProps } from '@botpress/sdk'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { props } from '../integration.definition'
import type { DeclaredTags } from './api/store'
import { toJsonSchema } from './integration-body'

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

// Botpress checks a saved configuration against the JSON Schema `bp deploy` uploaded, not against the zod schema
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }))
const validateConfiguration = definition.configuration ? ajv.compile(toJsonSchema(definition.configuration)) : undefined

/** Validates a configuration as Botpress does when it is saved; returns the problems */
export const configurationIssues = (configuration: Record<string, unknown>): string[] => {
  if (!validateConfiguration || validateConfiguration(configuration)) return []
  return (validateConfiguration.errors ?? []).map((error) => {
    const path = error.instancePath.split('/').slice(1).join('.')
    const extra = error.keyword === 'additionalProperties' ? ` (${error.params.additionalProperty})` : ''
    return `${path || '(root)'}: ${error.message ?? error.keyword}${extra}`
  })
}

/**
 * Checks a bot reply against the channel's schema of its type (the SDK's `messages.defaults` and `markdown`), as
 * Botpress does when a bot creates a message; returns the problems in the SDK's words
 */
export const replyIssues = (channel: string, type: string, payload: unknown): string[] => {
  const declared = definition.channels?.[channel]?.messages ?? {}
  const message = declared[type]
  if (!message) {
    return [`the channel "${channel}" has no message type "${type}" (it has: ${Object.keys(declared).join(', ')})`]
  }
  return schemaIssues(message.schema, payload)
}

const schemaIssues = (schema: { safeParse: (value: unknown) => SafeParse }, payload: unknown): string[] => {
  const result = schema.safeParse(payload)
  return result.success
    ? []
    : result.error.issues.map((issue) => `payload${issue.path.map((key) => `.${key}`).join('')}: ${issue.message}`)
}
type SafeParse =
  { success: true } | { success: false; error: { issues: { path: (string | number)[]; message: string }[] } }

/**
 * Checks an event an integration creates against its declared event types, as Botpress does: an undeclared type or
 * a payload its schema rejects is refused; returns the problems in the SDK's words
 */
export const eventIssues = (type: string, payload: unknown): string[] => {
  const declared = definition.events ?? {}
  const event = declared[type]
  if (!event) {
    return [`the integration declares no event type "${type}" (it declares: ${Object.keys(declared).join(', ')})`]
  }
  return schemaIssues(event.schema, payload)
}
