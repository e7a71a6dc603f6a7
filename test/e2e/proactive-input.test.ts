import { describe, expect, it } from 'vitest'
import { BotApiError } from '../../local'
import { useRuntime } from '../helpers/harness'

// Rule 16: invalid input is a RuntimeError naming the field, and nothing is created. Each case goes through the bot
// API of the local runtime (action_triggered) to the integration bundle.
const harness = useRuntime({ bot: false })

const long = 'x'.repeat(256)
const counts = () => ({
  users: harness.runtime.store.users().length,
  conversations: harness.runtime.store.conversations().length,
})

/** The refusal the bot gets, after checking that nothing reached the Botpress API */
const refusal = async (call: () => Promise<unknown>) => {
  const before = counts()
  harness.runtime.clearApiCalls()
  const thrown = await call().then(
    () => undefined,
    (error: unknown) => error
  )
  expect(thrown).toBeInstanceOf(BotApiError)
  expect(harness.runtime.apiCalls).toEqual([])
  expect(counts()).toEqual(before)
  return (thrown as BotApiError).message
}

const getOrCreateConversation = (input: Record<string, unknown>) =>
  harness.runtime.botApi.callAction('getOrCreateConversation', input)
const getOrCreateUser = (input: Record<string, unknown>) => harness.runtime.botApi.callAction('getOrCreateUser', input)

describe('getOrCreateConversation', () => {
  it.each([
    ['empty', { conversation: { conversationId: '' } }, 'at least 1'],
    ['too long', { conversation: { conversationId: long } }, 'at most 255'],
    ['missing', { conversation: {} }, 'Required'],
    ['not a string', { conversation: { conversationId: 42 } }, 'Expected string'],
  ])('refuses a conversationId that is %s, naming the field', async (_, input, reason) => {
    const message = await refusal(() => getOrCreateConversation(input))
    expect(message).toContain('conversation.conversationId')
    expect(message).toContain(reason)
  })

  it('refuses a missing conversation object', async () => {
    expect(await refusal(() => getOrCreateConversation({}))).toContain('conversation: Required')
  })

  it('accepts 255 characters, and a repeat returns the same Botpress id', async () => {
    const input = { conversation: { conversationId: 'c'.repeat(255) } }
    const first = await getOrCreateConversation(input)
    expect(await getOrCreateConversation(input)).toEqual(first)
    expect(harness.runtime.store.conversations().filter((each) => each.tags.id === 'c'.repeat(255))).toHaveLength(1)
  })
})

describe('getOrCreateUser', () => {
  it.each([
    ['empty', { user: { userId: '' } }, 'user.userId', 'at least 1'],
    ['too long', { user: { userId: long } }, 'user.userId', 'at most 255'],
    ['missing', { user: {} }, 'user.userId', 'Required'],
    ['without its user object', {}, 'user', 'Required'],
    ['with an empty name', { user: { userId: 'u' }, name: '' }, 'name', 'at least 1'],
    ['with a name too long', { user: { userId: 'u' }, name: 'n'.repeat(201) }, 'name', 'at most 200'],
    [
      'with a picture URL not http(s)',
      { user: { userId: 'u' }, pictureUrl: 'ftp://a.example/p' },
      'pictureUrl',
      'http',
    ],
    [
      'with a picture URL over 2,048',
      { user: { userId: 'u' }, pictureUrl: `https://a.example/${long.repeat(8)}` },
      'pictureUrl',
      'at most 2048',
    ],
  ])('refuses input %s, naming the field', async (_, input, field, reason) => {
    const message = await refusal(() => getOrCreateUser(input))
    expect(message).toContain(`${field}: `)
    expect(message).toContain(reason)
  })

  it('a repeat returns the same Botpress id and creates nothing more', async () => {
    const first = await getOrCreateUser({ user: { userId: 'repeat-user' } })
    const before = counts()
    expect(await getOrCreateUser({ user: { userId: 'repeat-user' } })).toEqual(first)
    expect(counts()).toEqual(before)
  })
})

describe('the typing indicator actions', () => {
  it.each([
    ['startTypingIndicator', { messageId: 'msg_1' }, 'conversationId: Required'],
    ['startTypingIndicator', { conversationId: 'conv_1', messageId: '' }, 'messageId: '],
    ['startTypingIndicator', { conversationId: 'conv_1', messageId: 'msg_1', timeout: 'soon' }, 'timeout: '],
    ['startTypingIndicator', { conversationId: 'conv_1', messageId: 'msg_1', timeout: -1 }, 'timeout: '],
    ['stopTypingIndicator', { conversationId: 42, messageId: 'msg_1' }, 'conversationId: Expected string'],
    ['stopTypingIndicator', { conversationId: 'conv_1' }, 'messageId: Required'],
  ])('%s refuses %j, naming the field', async (action, input, reason) => {
    const message = await refusal(() => harness.runtime.botApi.callAction(action, input))
    expect(message).toContain(reason)
    expect(harness.endpoint.received).toEqual([])
  })
})

describe('a failing Botpress API', () => {
  it.each([
    ['an API error', { status: 503, body: { id: 'e', code: 503, type: 'Unavailable', message: 'down for a moment' } }],
    ['an answer without its object', { status: 200, body: {} }],
  ])('is a RuntimeError in the integration’s words on %s', async (_, fault) => {
    harness.runtime.setFault((call) => (call.route === 'getOrCreateConversation' ? fault : undefined))
    const thrown = await getOrCreateConversation({ conversation: { conversationId: 'while-down' } }).catch((e) => e)
    expect(thrown).toBeInstanceOf(BotApiError)
    expect((thrown as BotApiError).message).toMatch(/^Get or Create a Conversation failed: /)
    expect(JSON.parse((thrown as BotApiError).body)).toMatchObject({ type: 'Runtime' })
    harness.runtime.setFault(undefined)
    expect(await getOrCreateConversation({ conversation: { conversationId: 'while-down' } })).toHaveProperty(
      'conversationId'
    )
  })
})
