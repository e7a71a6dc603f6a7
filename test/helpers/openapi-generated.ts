// The parts of openapi.yaml that come from the Botpress packages, so that they cannot drift from them: the payload
// schema of every message type (from the SDK, through its own JSON Schema converter) and Botpress's user,
// conversation and message objects (from Botpress's runtime OpenAPI document). `npm run openapi` writes them into the
// document; test/openapi/document.test.ts fails when the committed document differs.
import { messages, transforms } from '@botpress/sdk'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { format } from 'prettier'
import { parseDocument } from 'yaml'
import { channel } from '../../definitions/channels'
import { runtimeOpenApi } from '../../local/api/openapi'

type Schema = Record<string, unknown>

export const documentPath = join(__dirname, '..', '..', 'openapi.yaml')

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const payloadName = (type: string) => `${type[0]!.toUpperCase()}${type.slice(1)}Payload`
const isType = (type: string) => ({ required: ['type'], properties: { type: { const: type } } })

// Inbound, unknown payload fields are ignored (dropped), so no payload schema closes its objects.
const open = (value: unknown): unknown => {
  if (Array.isArray(value)) {
    return value.map(open)
  }
  if (typeof value !== 'object' || value === null) {
    return value
  }
  const entries = Object.entries(value).filter(([key, inner]) => !(key === 'additionalProperties' && inner === false))
  return Object.fromEntries(entries.map(([key, inner]) => [key, open(inner)]))
}

// Botpress's own descriptions link into Botpress's documentation; a plain one says where the schema comes from.
const botpressObject = (name: string, version: string): Schema => {
  const { description: _, properties, ...rest } = runtimeOpenApi().components.schemas?.[name] as Schema
  const bare = Object.entries(properties as Record<string, Schema>).map(([key, { description: __, ...schema }]) => [
    key,
    schema,
  ])
  return {
    description: `Botpress's ${name} object (@botpress/api ${version}).`,
    ...rest,
    properties: Object.fromEntries(bare),
  }
}

// Types whose payload.text a missing one is filled in from the top-level `text` (src/webhook/inbound-message.ts).
const textBearing = new Set(['text', 'choice', 'dropdown'])

/** The request's rule for one type: its payload, or (text-bearing types) a top-level text standing in for payload.text. */
const inboundRule = (type: string, schema: Schema): Schema => {
  const payload = ref(payloadName(type))
  if (!textBearing.has(type)) {
    return { if: isType(type), then: { required: ['payload'], properties: { payload } } }
  }
  const others = Object.keys(schema.properties as Schema).filter((key) => key !== 'text')
  const filledIn = {
    type: type === 'text' ? ['object', 'null'] : 'object',
    properties: {
      text: { type: 'null' },
      ...Object.fromEntries(
        others.map((key) => [key, { $ref: `#/components/schemas/${payloadName(type)}/properties/${key}` }])
      ),
    },
    ...(others.length > 0 && { required: (schema.required as string[]).filter((key) => key !== 'text') }),
  }
  return {
    if: isType(type),
    then: {
      anyOf: [
        { required: ['payload'], properties: { payload } },
        {
          required: ['text', ...(type === 'text' ? [] : ['payload'])],
          properties: { text: { type: 'string', minLength: 1 }, payload: filledIn },
        },
      ],
    },
  }
}

/** Every generated schema, by its name in components.schemas. */
export const generatedSchemas = (): Record<string, Schema> => {
  const { version } = require('@botpress/api/package.json') as { version: string }
  const outbound = Object.entries(channel.messages).map(
    ([type, { schema }]) => [type, open(transforms.toJSONSchema(schema as never)) as Schema] as const
  )
  const inboundTypes = Object.keys(messages.defaults)
  const inbound = outbound.filter(([type]) => inboundTypes.includes(type))
  return {
    InboundType: { type: 'string', enum: inboundTypes, description: 'The message types a caller may send.' },
    MessageType: { type: 'string', enum: outbound.map(([type]) => type), description: 'Every message type.' },
    ...Object.fromEntries(outbound.map(([type, schema]) => [payloadName(type), schema])),
    PayloadByType: {
      description: 'The payload of each message type.',
      allOf: outbound.map(([type]) => ({
        if: isType(type),
        then: { properties: { payload: ref(payloadName(type)) } },
      })),
    },
    InboundPayloadByType: {
      description: 'The payload of each type a caller sends; `text` may stand in for a missing `payload.text`.',
      allOf: inbound.map(([type, schema]) => inboundRule(type, schema)),
    },
    BotpressUser: botpressObject('User', version),
    BotpressConversation: botpressObject('Conversation', version),
    BotpressMessage: botpressObject('Message', version),
  }
}

/** Writes the generated schemas into openapi.yaml, leaving the hand-written parts and their comments as they are. */
export const writeDocument = async () => {
  const document = parseDocument(readFileSync(documentPath, 'utf8'))
  for (const [name, schema] of Object.entries(generatedSchemas())) {
    document.setIn(['components', 'schemas', name], document.createNode(schema))
  }
  writeFileSync(documentPath, await format(document.toString(), { parser: 'yaml', ...prettierOptions() }))
}

const prettierOptions = () => JSON.parse(readFileSync(join(__dirname, '..', '..', '.prettierrc.json'), 'utf8'))

if (require.main === module) {
  writeDocument().then(
    () => console.info(`wrote ${documentPath}`),
    (error: unknown) => {
      console.error(error)
      process.exitCode = 1
    }
  )
}
