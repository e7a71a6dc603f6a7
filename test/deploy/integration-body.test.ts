import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { IntegrationDefinition, messages, z } from '@botpress/sdk'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { beforeAll, describe, expect, it } from 'vitest'
import definition, { props } from '../../integration.definition'
import { configuration } from '../../definitions/configuration'
import { adminOpenApi } from '../../local/api/openapi'
import { findHubInterface } from '../../local/hub-interfaces'
import {
  deprecatedFields,
  prepareCreateIntegrationBody,
  toJsonSchema,
  withoutInterfaceNames,
} from '../../local/integration-body'
import cliBody from './fixtures/cli-5.5.6-body.json'

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
        interfaceId: (name, version) => findHubInterface(name, version)?.id,
      })
    )
  )

/** Valid once the interfaces' `name`/`version` the CLI adds (and the API takes) are set aside */
const expectValidBody = (body: { interfaces?: Record<string, object> }) => {
  for (const name of ['createIntegrationBody', 'validateIntegrationCreationBody']) {
    const validate = ajv().compile(requestBodySchema(name))
    expect(validate(withoutInterfaceNames(body)), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true)
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
    const validate = ajv().compile(requestBodySchema('createIntegrationBody'))
    expect(validate({ ...withoutInterfaceNames(body), unknownField: 1 })).toBe(false)
    // ... and so is an interface entry without its Hub id
    const { interfaces } = withoutInterfaceNames(body)
    const typing = { ...interfaces['typing-indicator'], id: undefined }
    expect(validate({ ...body, interfaces: { ...interfaces, 'typing-indicator': typing } })).toBe(false)
  })

  it('binds the three interfaces by their Hub ids, with their entities and actions, as CLI 5.5.6 uploaded them', () => {
    const body = bodyOf(definition)
    const hubId = (name: string, version: string) => findHubInterface(name, version)!.id
    expect(body.interfaces).toEqual({
      'proactive-conversation<conversation>': {
        id: hubId('proactive-conversation', '0.0.4'),
        name: 'proactive-conversation',
        version: '0.0.4',
        entities: { conversation: { name: 'conversation' } },
        actions: { getOrCreateConversation: { name: 'getOrCreateConversation' } },
        events: {},
        channels: {},
      },
      'proactive-user<user>': {
        id: hubId('proactive-user', '0.0.3'),
        name: 'proactive-user',
        version: '0.0.3',
        entities: { user: { name: 'user' } },
        actions: { getOrCreateUser: { name: 'getOrCreateUser' } },
        events: {},
        channels: {},
      },
      'typing-indicator': {
        id: hubId('typing-indicator', '0.0.4'),
        name: 'typing-indicator',
        version: '0.0.4',
        entities: {},
        actions: {
          startTypingIndicator: { name: 'startTypingIndicator' },
          stopTypingIndicator: { name: 'stopTypingIndicator' },
        },
        events: {},
        channels: {},
      },
    })
    // The entities the interfaces map to: the caller's own ids, as on the webhook
    expect(body.entities.conversation.schema.properties.conversationId).toMatchObject({ minLength: 1, maxLength: 255 })
    expect(body.entities.user.schema.properties.userId).toMatchObject({ minLength: 1, maxLength: 255 })
    expect(Object.keys(body.actions).sort()).toEqual([
      'getOrCreateConversation',
      'getOrCreateUser',
      'sendEvent',
      'startTypingIndicator',
      'stopTypingIndicator',
    ])
    // Byte for byte what `bp deploy --dryRun` of CLI 5.5.6 sent for them (the fixture says how to regenerate it)
    const sent = { interfaces: body.interfaces, actions: body.actions, entities: body.entities, events: body.events }
    expect(sent).toEqual({
      interfaces: cliBody.interfaces,
      actions: cliBody.actions,
      entities: cliBody.entities,
      events: cliBody.events,
    })
  })

  it('carries the back end’s event, the sendEvent card and metadata on every message type, as CLI 5.5.6 did', () => {
    const body = bodyOf(definition)
    expect(body.events.backEndEvent).toMatchObject({ title: 'Event from your back end' })
    expect(Object.keys(body.events.backEndEvent.schema.properties).sort()).toEqual(
      ['conversationId', 'eventId', 'name', 'payload', 'userId'].sort()
    )
    expect(body.actions.sendEvent).toMatchObject({ title: 'Send Event to Your Back End' })
    for (const [type, { schema }] of Object.entries<any>(body.channels.channel.messages)) {
      expect(schema.properties.metadata, type).toMatchObject({ type: 'object' })
      expect(schema.required ?? [], type).not.toContain('metadata')
    }
  })

  it('stops, as the CLI does, on an interface Hub does not know at that version', () => {
    const build = () =>
      prepareCreateIntegrationBody(definition, {
        projectDir: root,
        interfaceId: (name, version) =>
          name === 'typing-indicator' && version === '0.0.4' ? undefined : findHubInterface(name, version)?.id,
      })
    expect(build).toThrow('Interface "typing-indicator@0.0.4" not found')
    expect(findHubInterface('typing-indicator', '0.0.3')).toBeUndefined()
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

  it('also carries states and secrets, as the CLI does', () => {
    const extended = new IntegrationDefinition({
      ...props,
      states: { seen: { type: 'conversation', schema: z.object({ at: z.string().datetime() }) } },
      secrets: { EXTRA: { optional: true } },
    })
    const body = bodyOf(extended)
    expectValidBody(body)
    expect(body.states.seen.type).toBe('conversation')
    expect(body.secrets).toEqual({ EXTRA: '<secret>' })
  })
})

describe('what bp deploy calls deprecated', () => {
  it('is nothing the integration declares (rule 15), and the README deploys without --allowDeprecated', () => {
    expect(deprecatedFields(definition)).toEqual([])
    expect(JSON.stringify(bodyOf(definition))).not.toContain('"creation"')
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const deploying = readme.slice(readme.indexOf('## Deploying'))
    const block = /```sh\n([\s\S]*?)```/.exec(deploying)?.[1] ?? ''
    expect(block).toMatch(/^bp deploy$/m)
    // No deploy command anywhere in it carries the flag (the prose may name it, to say it is not needed)
    expect(readme).not.toMatch(/deploy[^\n`]*--allowDeprecated/)
    expect(deploying).toContain('`npx @botpress/cli@5.5.6 deploy`')
  })

  it('would catch conversation or user creation if it came back', () => {
    const [channelName, channel] = Object.entries(props.channels)[0]!
    const withCreation = new IntegrationDefinition({
      ...props,
      user: { ...props.user, creation: { enabled: true, requiredTags: ['id'] } },
      channels: {
        [channelName]: {
          ...channel,
          conversation: { ...channel.conversation, creation: { enabled: true, requiredTags: ['id'] } },
        },
      },
    })
    expect(deprecatedFields(withCreation)).toEqual(['user.creation', 'channels.channel.creation'])
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
    ['a typing indicator that is not a boolean', { typingIndicator: 'yes' }],
  ]
  const accepted: [string, Record<string, unknown>][] = [
    ['no URL at all (pull-only)', {}],
    ['an https URL', url('https://example.com/hook')],
    ['an http URL with port and query', url('http://127.0.0.1:8080/replies?tenant=a&b=1')],
    ['an upper-case scheme', url('HTTPS://Example.com/Hook')],
    ['a webhook secret', { ...url('https://example.com'), webhookSecret: 'hook-secret-1' }],
    ['a signing secret', { ...url('https://example.com'), signingSecret: secret }],
    ['headers', { ...url('https://example.com'), responseEndpointHeaders: { 'x-api-key': 'k' } }],
    ['the typing indicator on', { ...url('https://example.com'), typingIndicator: true }],
    ['the typing indicator on without an endpoint (it then sends nothing)', { typingIndicator: true }],
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
