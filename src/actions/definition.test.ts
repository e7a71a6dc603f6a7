import * as sdk from '@botpress/sdk'
import { describe, expect, it } from 'vitest'
import { actions } from '../../definitions/actions'
import { channel } from '../../definitions/channels'
import { user } from '../../definitions/user'

// `bp deploy` converts every action schema with the SDK's own converter: a refine or transform would stop it.
const toJSONSchema = (schema: sdk.z.ZodTypeAny) => sdk.transforms.toJSONSchema(schema) as Record<string, any>

describe('action definitions', () => {
  it.each(Object.entries(actions))('%s converts to JSON Schema', (_, action) => {
    expect(() => toJSONSchema(action.input.schema)).not.toThrow()
    expect(() => toJSONSchema(action.output.schema)).not.toThrow()
  })

  it('keeps the id, name and picture rules in the JSON Schema Botpress checks', () => {
    const start = toJSONSchema(actions.startConversation.input.schema)
    expect(start.properties.conversation.properties.conversationId).toMatchObject({ minLength: 1, maxLength: 255 })
    expect(start.properties.conversation.required).toEqual(['conversationId'])
    const user = toJSONSchema(actions.getOrCreateUser.input.schema)
    expect(user.properties.user.properties.userId).toMatchObject({ minLength: 1, maxLength: 255 })
    expect(user.properties.name).toMatchObject({ minLength: 1, maxLength: 200 })
    expect(user.properties.pictureUrl).toMatchObject({ maxLength: 2048 })
    expect(user.required).toEqual(['user'])
    // The converter drops regex flags: the pattern alone must accept any casing of the scheme
    const pattern = new RegExp(user.properties.pictureUrl.pattern)
    expect(['https://a.example/p.png', 'HTTP://a.example/p'].every((url) => pattern.test(url))).toBe(true)
    expect(['ftp://a.example/p', 'https://', 'https://a b', 'a.example/p'].some((url) => pattern.test(url))).toBe(false)
  })

  it('answers with the Botpress ids, in the proactive interfaces’ shapes', () => {
    expect(Object.keys(toJSONSchema(actions.startConversation.output.schema).properties)).toEqual(['conversationId'])
    expect(Object.keys(toJSONSchema(actions.getOrCreateUser.output.schema).properties)).toEqual(['userId'])
  })

  it('declares conversation and user creation by the tag id', () => {
    expect(channel.conversation.creation).toEqual({ enabled: true, requiredTags: ['id'] })
    expect(user.creation).toEqual({ enabled: true, requiredTags: ['id'] })
    expect(Object.keys(channel.conversation.tags)).toContain('id')
    expect(Object.keys(user.tags)).toContain('id')
  })
})
