import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as sdk from '@botpress/sdk'

// The body `bp deploy` of Botpress CLI 5.5.6 (the CLI made for SDK 5.4.3) uploads for an integration, rebuilt from the
// definition as that CLI does (packages/cli/src/api/integration-body.ts, prepareCreateIntegrationBody, and
// project-command.ts). Every schema goes through the SDK's own `transforms.toJSONSchema`: what Botpress validates
// against, and what stops a deploy when a schema cannot be converted (a `.refine` or `.transform`).

type JsonSchema = Record<string, unknown>
type SchemaDefinition = { schema: Parameters<typeof sdk.transforms.toJSONSchema>[0]; ui?: Record<string, unknown> }
type UiOptions = { title?: string; examples?: unknown[] }

export type CreateIntegrationBodyOptions = {
  /** the directory `readme` and `icon` are read from (the project root) */
  projectDir: string
  /** the workspace handle the CLI prepends to an unqualified name when the user accepts its prompt */
  workspaceHandle?: string
  /** the built bundle, when there is one (the CLI uploads `.botpress/dist/index.cjs`) */
  code?: string
  /** Hub's id of an interface by name@version, as the CLI looks it up (undefined: Hub does not know it) */
  interfaceId?: (name: string, version: string) => string | undefined
}

/** A definition schema as JSON Schema, with the `ui` titles and examples merged in, as the CLI does */
export const toJsonSchema = (definition: SchemaDefinition): JsonSchema => {
  const schema = sdk.transforms.toJSONSchema(definition.schema) as JsonSchema
  // The CLI dereferences `$ref`s; none are expected here, so meeting one is a reason to look, not to guess.
  if (JSON.stringify(schema).includes('"$ref"')) {
    throw new Error('This schema has a $ref: dereference it as the CLI does (@apidevtools/json-schema-ref-parser)')
  }
  const properties = schema.properties as Record<string, JsonSchema> | undefined
  for (const [key, value] of Object.entries((definition.ui ?? {}) as Record<string, UiOptions | undefined>)) {
    const property = properties?.[key]
    if (property && value?.title) property.title = value.title
    if (property && value?.examples) property.examples = value.examples
  }
  return schema
}

const mapValues = <TIn, TOut>(record: Record<string, TIn> | undefined, map: (value: TIn) => TOut) =>
  record ? Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)])) : undefined

const readProjectFile = (projectDir: string, path: string | undefined, encoding: BufferEncoding = 'utf8') =>
  path === undefined ? undefined : readFileSync(join(projectDir, path)).toString(encoding)

const qualifiedName = (name: string, handle: string | undefined) =>
  handle === undefined || name.includes('/') ? name : `${handle}/${name}`

/** The body of `POST /v1/admin/integrations` (and `/validate`, for `--dryRun`), as `bp deploy` builds it */
export const prepareCreateIntegrationBody = (
  integration: sdk.IntegrationDefinition,
  options: CreateIntegrationBodyOptions
) => {
  if (integration.icon && !integration.icon.toLowerCase().endsWith('.svg')) throw new Error('Icon must be an SVG file')
  if (integration.readme && !integration.readme.toLowerCase().endsWith('.md')) {
    throw new Error('Readme must be a Markdown file')
  }
  // The CLI resolves each bound interface by name@version to its Hub id, and stops when Hub does not know it
  const interfaces = mapValues(integration.interfaces ?? {}, (bound) => {
    const id = bound.id ?? options.interfaceId?.(bound.name, bound.version)
    if (id === undefined) throw new Error(`Interface "${bound.name}@${bound.version}" not found`)
    return { ...bound, id }
  })

  const read = (path: string | undefined, encoding?: BufferEncoding) =>
    readProjectFile(options.projectDir, path, encoding)
  const { configuration, identifier } = integration
  return {
    name: qualifiedName(integration.name, options.workspaceHandle),
    version: integration.version,
    title: integration.title,
    description: integration.description,
    user: integration.user,
    events: mapValues(integration.events, (event) => ({ ...event, schema: toJsonSchema(event) })),
    actions: mapValues(integration.actions, (action) => ({
      ...action,
      input: { ...action.input, schema: toJsonSchema(action.input) },
      output: { ...action.output, schema: toJsonSchema(action.output) },
    })),
    channels: mapValues(integration.channels, (channel) => ({
      ...channel,
      messages: mapValues(channel.messages, (message) => ({ ...message, schema: toJsonSchema(message) })),
    })),
    states: mapValues(integration.states, (state) => ({ ...state, schema: toJsonSchema(state) })),
    entities: mapValues(integration.entities, (entity) => ({ ...entity, schema: toJsonSchema(entity) })),
    attributes: integration.attributes,
    extraOperations: integration.__advanced?.extraOperations,
    code: options.code,
    icon: read(integration.icon, 'base64'),
    readme: read(integration.readme, 'base64'),
    identifier: {
      extractScript: read(identifier?.extractScript),
      fallbackHandlerScript: read(identifier?.fallbackHandlerScript),
    },
    configuration: configuration
      ? {
          schema: toJsonSchema(configuration),
          identifier: {
            required: configuration.identifier?.required,
            linkTemplateScript: read(configuration.identifier?.linkTemplateScript),
          },
        }
      : undefined,
    configurations: mapValues(integration.configurations, (each) => ({
      title: each.title,
      description: each.description,
      schema: toJsonSchema(each),
      identifier: {
        required: each.identifier?.required,
        linkTemplateScript: read(each.identifier?.linkTemplateScript),
      },
    })),
    interfaces,
    visibility: 'private' as const,
    sdkVersion: integration.metadata?.sdkVersion,
    // `bp deploy` prompts for each declared secret; a placeholder stands in for the value
    secrets: mapValues(integration.secrets ?? {}, () => '<secret>'),
  }
}

/**
 * What `bp deploy` of CLI 5.5.6 calls deprecated and refuses unless given `--allowDeprecated`: conversation and user
 * `creation`. The integration declares none (it implements Botpress's proactive interfaces instead).
 */
export const deprecatedFields = (integration: sdk.IntegrationDefinition): string[] => [
  ...(integration.user?.creation?.enabled ? ['user.creation'] : []),
  ...Object.entries(integration.channels ?? {}).flatMap(([name, channel]) =>
    channel?.conversation?.creation?.enabled ? [`channels.${name}.creation`] : []
  ),
]

/**
 * The body as the admin OpenAPI document describes it: the CLI also sends each interface's `name` and `version`,
 * which Botpress's API takes but the document does not list (its interface entries allow no other field).
 */
export const withoutInterfaceNames = <TBody extends { interfaces?: Record<string, object> }>(body: TBody): TBody => ({
  ...body,
  interfaces: mapValues(body.interfaces, (entry) => {
    const { name: _name, version: _version, ...rest } = entry as Record<string, unknown>
    return rest
  }),
})
