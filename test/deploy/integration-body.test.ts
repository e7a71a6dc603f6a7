import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { IntegrationDefinition, messages, z } from '@botpress/sdk'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { beforeAll, describe, expect, it } from 'vitest'
import definition, { props } from '../../integration.definition'
import { configuration } from '../../definitions/configuration'
import { adminOpenApi } from '../../local/api/openapi'
import { deprecatedFields, prepareCreateIntegrationBody, toJsonSchema } from '../../local/integration-body'

// What `bp deploy` of Botpress CLI 5.5.6 uploads, rebuilt from the real definition and checked against the admin
// API's own OpenAPI document: a schema the CLI cannot convert, or a body the API would refuse, fails here, not at
// release time. The configuration's JSON Schema is what Botpress checks when a user saves the configuration.

const root = join(__dirname, '..', '..')
const bundle = join(root, '.botpress', 'dist', 'index.js')
const ajv = () => addFormats(new Ajv({ allErrors: true, strict: false }))

const requestBodySchema = (name: string) => {
  const bodies = adminOpenApi().components.requestBodies as Record<string, any>
  return bodies[name].content['application/json'].schema
}

/** The body as it travels: JSON, so fields left undefined are not sent */
const bodyOf = (integration: IntegrationDefinition) =>
  JSON.parse(
    JSON.stringify(
      prepareCreateIntegrationBody(integration, {
        projectDir: root,
        workspaceHandle: 'my-workspace',
        code: existsSync(bundle) ? readFileSync(bundle, 'utf8') : undefined,
      })
    )
  )

const expectValidBody = (body: unknown) => {
  for (const name of ['createIntegrationBody', 'validateIntegrationCreationBody']) {
    const validate = ajv().compile(requestBodySchema(name))
    expect(validate(body), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true)
  }
}

describe('the creation body of bp deploy', () => {
  it('converts every schema with the default converter, which keeps the rules', () => {
    expect(definition.__advanced?.useLegacyZuiTransformer).toBeFalsy()
    expect(() => bodyOf(definition)).not.toThrow()
  })

  it('is valid for createIntegrationBody of the admin OpenAPI document', () => {
    const body = bodyOf(definition)
    expectValidBody(body)
    // The document's schema does bite: a field it does not know is refused
    expect(ajv().compile(requestBodySchema('createIntegrationBody'))({ ...body, unknownField: 1 })).toBe(false)
  })

  it('carries the name with the workspace handle, readme, icon, configuration, messages and tags', () => {
    const body = bodyOf(definition)
    expect(body).toMatchObject({ name: 'my-workspace/messaging-api', version: props.version, title: props.title })
    expect(Buffer.from(body.readme, 'base64').toString()).toBe(readFileSync(join(root, 'hub.md'), 'utf8'))
    expect(Buffer.from(body.icon, 'base64').toString()).toBe(readFileSync(join(root, 'icon.svg'), 'utf8'))
    expect(body.sdkVersion).toBe('5.4.3')

    const schema = body.configuration.schema
    expect(ajv().validateSchema(schema)).toBe(true)
    expect(schema.required ?? []).not.toContain('responseEndpointURL')
    expect(schema.properties.webhookSecret['x-zui'].secret).toBe(true)
    expect(schema.properties.signingSecret['x-zui'].secret).toBe(true)

    const channel = body.channels.channel
    const channelTypes = Object.keys({ ...messages.defaults, markdown: messages.markdown }).sort()
    expect(Object.keys(channel.messages).sort()).toEqual(channelTypes)
    expect(Object.keys(channel.conversation.tags)).toEqual(Object.keys(props.channels.channel.conversation.tags))
    expect(Object.keys(channel.message.tags)).toEqual(Object.keys(props.channels.channel.message.tags))
    expect(Object.keys(body.user.tags)).toEqual(Object.keys(props.user.tags))
  })

  it('also carries actions, states, secrets and conversation and user creation, as the CLI does', () => {
    const [channelName, channel] = Object.entries(definition.channels ?? {})[0]!
    const extended = new IntegrationDefinition({
      ...props,
      actions: {
        startConversation: {
          title: 'Start conversation',
          input: { schema: z.object({ conversation: z.object({ conversationId: z.string().min(1).max(255) }) }) },
          output: { schema: z.object({ conversationId: z.string() }) },
        },
      },
      states: { seen: { type: 'conversation', schema: z.object({ at: z.string().datetime() }) } },
      secrets: { EXTRA: { optional: true } },
      user: { ...props.user, creation: { enabled: true, requiredTags: ['id'] } },
      channels: {
        [channelName]: {
          ...channel,
          conversation: { ...channel.conversation, creation: { enabled: true, requiredTags: ['id'] } },
        },
      },
    })
    const body = bodyOf(extended)
    expectValidBody(body)
    const { input, output } = body.actions.startConversation
    expect(input.schema.properties.conversation.properties.conversationId).toMatchObject({
      minLength: 1,
      maxLength: 255,
    })
    expect(output.schema.required).toEqual(['conversationId'])
    expect(body.user.creation).toEqual({ enabled: true, requiredTags: ['id'] })
    expect(body.channels[channelName].conversation.creation).toEqual({ enabled: true, requiredTags: ['id'] })
    expect(body.states.seen.type).toBe('conversation')
  })
})

describe('what bp deploy calls deprecated', () => {
  it('is conversation and user creation (rule 15) only, and the README deploys with --allowDeprecated', () => {
    expect(deprecatedFields(definition)).toEqual(['user.creation', 'channels.channel.creation'])
    // The README's deploy commands pass the flag that turns the CLI's refusal into a warning
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const deploying = readme.slice(readme.indexOf('## Deploying'))
    const block = /```sh\n([\s\S]*?)```/.exec(deploying)?.[1] ?? ''
    expect(block).toMatch(/^bp deploy --allowDeprecated/m)
    expect(deploying).toContain('`npx @botpress/cli@5.5.6 deploy --allowDeprecated`')
  })
})

describe('the configuration as Botpress checks it when saved', () => {
  // Compiled in a hook: a schema that cannot be converted fails every case below with the converter's message
  let validate: ReturnType<Ajv['compile']>
  beforeAll(() => {
    validate = ajv().compile(toJsonSchema(configuration))
  })
  const secret = `whsec_${Buffer.from('k'.repeat(32)).toString('base64')}`
  const url = (responseEndpointURL: unknown) => ({ responseEndpointURL })

  const refused: [string, Record<string, unknown>][] = [
    ['an ftp URL', url('ftp://example.com/hook')],
    ['a mailto URL', url('mailto:ops@example.com')],
    ['a non-URL', url('not a url')],
    ['a URL without scheme', url('example.com/hook')],
    ['an http URL without host', url('http://')],
    ['an empty URL', url('')],
    ['a URL that is not a string', url(42)],
    ['a webhook secret with a space', { webhookSecret: 'two words' }],
    ['an empty webhook secret', { webhookSecret: '' }],
    ['a signing secret without whsec_', { signingSecret: 'not-a-secret' }],
    ['a signing secret with nothing after whsec_', { signingSecret: 'whsec_' }],
    ['a header value that is not a string', { responseEndpointHeaders: { 'x-api-key': 1 } }],
  ]
  const accepted: [string, Record<string, unknown>][] = [
    ['no URL at all (pull-only)', {}],
    ['an https URL', url('https://example.com/hook')],
    ['an http URL with port and query', url('http://127.0.0.1:8080/replies?tenant=a&b=1')],
    ['an upper-case scheme', url('HTTPS://Example.com/Hook')],
    ['a webhook secret', { ...url('https://example.com'), webhookSecret: 'hook-secret-1' }],
    ['a signing secret', { ...url('https://example.com'), signingSecret: secret }],
    ['headers', { ...url('https://example.com'), responseEndpointHeaders: { 'x-api-key': 'k' } }],
    [
      'every field',
      { ...url('https://example.com'), webhookSecret: 's', signingSecret: secret, responseEndpointHeaders: {} },
    ],
  ]

  it.each(refused)('refuses %s, as register does', (_case, sample) => {
    expect(validate(sample)).toBe(false)
    expect(configuration.schema.safeParse(sample).success).toBe(false)
  })

  it.each(accepted)('accepts %s, as register does', (_case, sample) => {
    expect(validate(sample), JSON.stringify(validate.errors)).toBe(true)
    expect(configuration.schema.safeParse(sample).success).toBe(true)
  })

  it('refuses an unknown key (a misspelt one would otherwise be ignored)', () => {
    expect(validate({ responseEndpointUrl: 'https://example.com' })).toBe(false)
  })
})
