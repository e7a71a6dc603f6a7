import * as sdk from '@botpress/sdk'
import { describe, expect, it } from 'vitest'
import definition from '../../integration.definition'
import { allActions, interfaceActions } from '../../definitions/actions'

// `bp deploy` converts every action schema with the SDK's own converter: a refine or transform would stop it.
const toJSONSchema = (schema: sdk.z.ZodTypeAny) => sdk.transforms.toJSONSchema(schema) as Record<string, any>
const deployed: Record<string, sdk.ActionDefinition> = definition.actions ?? {}

describe('the actions, as the bound interfaces give them', () => {
  it('are exactly the three interfaces’ actions, with Hub’s titles, and sendEvent', () => {
    expect(Object.keys(deployed).sort()).toEqual(Object.keys(allActions).sort())
    expect(deployed.sendEvent?.title).toBe('Send Event to Your Back End')
    expect(deployed.getOrCreateConversation?.title).toBe('Get or Create a Conversation')
    expect(deployed.getOrCreateUser?.title).toBe('Get or Create a User')
    for (const name of ['startTypingIndicator', 'stopTypingIndicator']) {
      expect(deployed[name]?.attributes).toEqual({ bpActionHiddenInStudio: 'true' })
    }
  })

  it.each(Object.entries(deployed))('%s converts to JSON Schema', (_, action) => {
    expect(() => toJSONSchema(action.input.schema)).not.toThrow()
    expect(() => toJSONSchema(action.output.schema)).not.toThrow()
  })

  it('takes the caller’s ids through the entities, with the webhook’s length rules', () => {
    const conversation = toJSONSchema(deployed.getOrCreateConversation!.input.schema)
    expect(conversation.properties.conversation.properties.conversationId).toMatchObject({
      minLength: 1,
      maxLength: 255,
    })
    expect(conversation.properties.conversation.required).toEqual(['conversationId'])
    const user = toJSONSchema(deployed.getOrCreateUser!.input.schema)
    expect(user.properties.user.properties.userId).toMatchObject({ minLength: 1, maxLength: 255 })
    expect(Object.keys(user.properties).sort()).toEqual(['email', 'name', 'pictureUrl', 'user'])
    expect(user.required).toEqual(['user'])
    const start = toJSONSchema(deployed.startTypingIndicator!.input.schema)
    expect(Object.keys(start.properties).sort()).toEqual(['conversationId', 'messageId', 'timeout'])
    expect(start.required).toEqual(['conversationId', 'messageId'])
  })

  it('answers with the Botpress ids', () => {
    expect(Object.keys(toJSONSchema(deployed.getOrCreateConversation!.output.schema).properties)).toEqual([
      'conversationId',
    ])
    expect(Object.keys(toJSONSchema(deployed.getOrCreateUser!.output.schema).properties)).toEqual(['userId'])
    expect(toJSONSchema(deployed.stopTypingIndicator!.output.schema).properties ?? {}).toEqual({})
  })

  it('are checked by the integration more strictly than the interfaces do: name and picture limits', () => {
    const user = toJSONSchema(interfaceActions.getOrCreateUser.input.schema)
    expect(user.properties.name).toMatchObject({ minLength: 1, maxLength: 200 })
    expect(user.properties.pictureUrl).toMatchObject({ maxLength: 2048 })
    // The converter drops regex flags: the pattern alone must accept any casing of the scheme
    const pattern = new RegExp(user.properties.pictureUrl.pattern)
    expect(['https://a.example/p.png', 'HTTP://a.example/p'].every((url) => pattern.test(url))).toBe(true)
    expect(['ftp://a.example/p', 'https://', 'https://a b', 'a.example/p'].some((url) => pattern.test(url))).toBe(false)
  })
})

describe('the definition', () => {
  it('declares no conversation or user creation (deprecated), and finds both by the tag id', () => {
    expect(definition.user).not.toHaveProperty('creation')
    expect(definition.channels?.channel?.conversation).not.toHaveProperty('creation')
    expect(Object.keys(definition.user?.tags ?? {})).toEqual(['id'])
    // Besides id, the time of the caller's latest event, which waits read (never used to find a conversation)
    expect(Object.keys(definition.channels?.channel?.conversation?.tags ?? {})).toEqual(['id', 'callerEventAt'])
  })

  it('binds the three interfaces at the versions Hub publishes, entities mapped to the integration’s', () => {
    const bound = Object.values(definition.interfaces ?? {}).map(({ name, version, entities, actions }) => ({
      name,
      version,
      entities: Object.keys(entities ?? {}).map((entity) => [entity, entities?.[entity]?.name]),
      actions: Object.keys(actions ?? {}),
    }))
    expect(bound).toEqual([
      {
        name: 'proactive-conversation',
        version: '0.0.4',
        entities: [['conversation', 'conversation']],
        actions: ['getOrCreateConversation'],
      },
      { name: 'proactive-user', version: '0.0.3', entities: [['user', 'user']], actions: ['getOrCreateUser'] },
      {
        name: 'typing-indicator',
        version: '0.0.4',
        entities: [],
        actions: ['startTypingIndicator', 'stopTypingIndicator'],
      },
    ])
  })

  it('offers the typing indicator as a boolean setting, off unless set', () => {
    const schema = toJSONSchema(definition.configuration!.schema)
    expect(schema.properties.typingIndicator).toMatchObject({ type: 'boolean' })
    expect(schema.required ?? []).not.toContain('typingIndicator')
  })
})
