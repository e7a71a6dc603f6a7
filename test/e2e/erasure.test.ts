import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { startLocalRuntime, type LocalRuntime } from '../../local'
import { send, textMessage } from '../helpers/caller'
import { copyTurns } from '../helpers/copies'
import { storeSnapshot } from '../helpers/harness'
import { pull, pullAll } from '../helpers/pull'

// Erasure on request (DELETE /conversations/<id>, DELETE /users/<id>), with two copies of the integration taking the
// operations in turn: what one copy erased, the other may still hold in its id cache.
let runtime: LocalRuntime
beforeAll(async () => {
  runtime = await startLocalRuntime({ quiet: true, integrationCopies: 2 })
})
afterAll(() => runtime?.stop())
beforeEach(async () => {
  await runtime.idle()
  runtime.setBot(undefined)
  runtime.setFault(undefined)
  // Operations are recorded as they end: after a long-poll that ended last, one alone puts the record in turn again
  await send(runtime, { token: null, body: {} })
  runtime.clearApiCalls()
})

const { lastCopy, nextOn } = copyTurns(() => runtime)
const post = async (body: Record<string, unknown>) => {
  const answer = await send(runtime, { token: runtime.personalAccessToken, body })
  expect(answer.status, answer.text).toBe(200)
  await runtime.idle()
  return answer
}
const erase = (kind: 'conversations' | 'users', id: string, token: string | null = runtime.personalAccessToken) =>
  send(runtime, { method: 'DELETE', path: `/${kind}/${encodeURIComponent(id)}`, token })
const routes = () => runtime.apiCalls.map((call) => call.route)
const conversationTagged = (id: string) => runtime.store.conversations().find((c) => c.tags.id === id)
const userTagged = (id: string) => runtime.store.users().find((u) => u.tags.id === id)
const messagesIn = (conversationId: string) =>
  runtime.store.messages().filter((m) => m.conversationId === conversationId)

it('erases a conversation with all its messages in 2 calls: 204, then a pull and a repeat are 404', async () => {
  const message = textMessage()
  const posted = await post(message)
  const conversation = posted.body.conversation.id
  expect(messagesIn(conversation).map((m) => m.direction)).toEqual(expect.arrayContaining(['incoming', 'outgoing']))
  runtime.clearApiCalls()

  const erased = await erase('conversations', message.conversationId)
  expect([erased.status, erased.text]).toEqual([204, ''])
  expect(routes()).toEqual(['listConversations', 'deleteConversation'])
  expect(conversationTagged(message.conversationId)).toBeUndefined()
  expect(messagesIn(conversation)).toEqual([])
  expect(userTagged(message.userId)).toBeDefined()

  expect((await pull(runtime, message.conversationId)).status).toBe(404)
  expect((await pull(runtime, message.conversationId, { after: posted.body.cursor })).status).toBe(404)
  const repeat = await erase('conversations', message.conversationId)
  expect([repeat.status, repeat.body.code]).toEqual([404, 'not_found'])
})

it('erases a user in 2 calls; their messages stay in the conversation; a repeat is 404', async () => {
  const message = textMessage()
  const posted = await post(message)
  runtime.clearApiCalls()

  const erased = await erase('users', message.userId)
  expect(erased.status).toBe(204)
  expect(routes()).toEqual(['listUsers', 'deleteUser'])
  expect(userTagged(message.userId)).toBeUndefined()
  expect(runtime.store.messages().some((m) => m.id === posted.body.message.id)).toBe(true)
  expect(conversationTagged(message.conversationId)).toBeDefined()
  const repeat = await erase('users', message.userId)
  expect([repeat.status, repeat.body.code]).toEqual([404, 'not_found'])
})

it('takes any id as one percent-encoded segment', async () => {
  const message = textMessage({ conversationId: 'a/b é%?#&', userId: 'ü/ser %2F' })
  await post(message)
  expect((await erase('conversations', message.conversationId)).status).toBe(204)
  expect((await erase('users', message.userId)).status).toBe(204)
})

it('needs the same Authorization as every route: none is 401 without a Botpress call, a refused one erases nothing', async () => {
  const message = textMessage()
  await post(message)
  const before = storeSnapshot(runtime)

  for (const kind of ['conversations', 'users'] as const) {
    runtime.clearApiCalls()
    const id = kind === 'users' ? message.userId : message.conversationId
    const missing = await erase(kind, id, null)
    expect([missing.status, missing.body.code]).toEqual([401, 'unauthorized'])
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect(runtime.apiCalls).toEqual([])
    expect((await erase(kind, id, 'bp_pat_refused')).status).toBe(401)
  }
  expect(storeSnapshot(runtime)).toEqual(before)
})

it('answers 405 with Allow for another method, and 404 for an id that does not decode or is too long', async () => {
  for (const path of ['/conversations/c', '/users/u']) {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH']) {
      const answer = await send(runtime, { method, path, token: runtime.personalAccessToken, body: {} })
      expect([answer.status, answer.headers.get('allow'), answer.body.code]).toEqual([
        405,
        'DELETE',
        'method_not_allowed',
      ])
    }
  }
  const messagesPath = await send(runtime, { method: 'DELETE', path: '/conversations/c/messages', token: 'x' })
  expect([messagesPath.status, messagesPath.headers.get('allow')]).toEqual([405, 'GET'])

  runtime.clearApiCalls()
  const paths = [
    '/conversations/%E0%A4%A',
    '/users/%FF',
    `/users/${'x'.repeat(256)}`,
    `/conversations/${'é'.repeat(256)}`,
  ]
  for (const path of paths) {
    const answer = await send(runtime, { method: 'DELETE', path, token: runtime.personalAccessToken })
    expect([answer.status, answer.body.code], path).toEqual([404, 'not_found'])
  }
  expect(runtime.apiCalls).toEqual([])
})

it('a conversation erased on one copy is never used again by the other: a message there starts a new one', async () => {
  const first = textMessage()
  await nextOn(0)
  const posted = await post(first)
  // Both copies now hold the conversation in their id cache
  expect((await post({ ...first, messageId: `${first.messageId}-b` })).body.conversation.id).toBe(
    posted.body.conversation.id
  )

  await nextOn(0)
  expect((await erase('conversations', first.conversationId)).status).toBe(204)
  expect(lastCopy()).toBe(0)

  // Copy 1 pulls through its stale entry: 404, not a 502 nor an empty page
  expect((await pull(runtime, first.conversationId)).status).toBe(404)
  expect(lastCopy()).toBe(1)

  await nextOn(1)
  const after = await post({ ...first, messageId: `${first.messageId}-after` })
  expect(lastCopy()).toBe(1)
  expect(after.body.conversation.id).not.toBe(posted.body.conversation.id)
  const { items } = await pullAll(runtime, first.conversationId, 50)
  expect(items[0]).toMatchObject({ direction: 'incoming', messageId: `${first.messageId}-after` })
  expect(runtime.store.conversations().filter((c) => c.tags.id === first.conversationId)).toHaveLength(1)
})

it('a user erased on one copy is never used again by the other: a message there makes a new user', async () => {
  const first = textMessage({ userName: 'Ada' })
  await nextOn(0)
  const posted = await post(first)
  await post({ ...first, messageId: `${first.messageId}-b` })

  await nextOn(0)
  expect((await erase('users', first.userId)).status).toBe(204)

  // Copy 1 holds the erased user: a new message, and one with a new name (an updateUser on the cached id)
  await nextOn(1)
  const after = await post({ ...first, messageId: `${first.messageId}-after` })
  expect(lastCopy()).toBe(1)
  expect(after.body.user.id).not.toBe(posted.body.user.id)
  expect(after.body.message.userId).toBe(after.body.user.id)

  await nextOn(0)
  expect((await erase('users', first.userId)).status).toBe(204)
  await nextOn(1)
  const renamed = await post({ ...first, messageId: `${first.messageId}-renamed`, userName: 'Grace' })
  expect(renamed.body.user).toMatchObject({ name: 'Grace', tags: { id: first.userId } })
  expect(runtime.store.users().filter((u) => u.tags.id === first.userId)).toHaveLength(1)
})

it('a pull waiting on a conversation erased meanwhile ends as a wait with nothing new; the next pull is 404', async () => {
  runtime.setBot(false)
  const message = textMessage()
  const posted = await post(message)
  let erasedFirst = false
  const waiting = pull(runtime, message.conversationId, { after: posted.body.cursor, wait: 3 }).then((answer) => ({
    answer,
    erasedFirst,
  }))
  await new Promise((resolve) => setTimeout(resolve, 300))
  expect((await erase('conversations', message.conversationId)).status).toBe(204)
  erasedFirst = true

  const { answer, erasedFirst: endedAfterErasure } = await waiting
  expect(endedAfterErasure).toBe(true)
  expect(answer.status, answer.text).toBe(200)
  expect(answer.body).toEqual({ messages: [], cursor: posted.body.cursor, hasMore: false })
  expect((await pull(runtime, message.conversationId, { after: posted.body.cursor })).status).toBe(404)
})

it('a pull waiting on a conversation erased meanwhile, where Botpress answers its listing 404, ends in 404', async () => {
  runtime.setBot(false)
  const message = textMessage()
  const posted = await post(message)
  const waiting = pull(runtime, message.conversationId, { after: posted.body.cursor, wait: 3 })
  await new Promise((resolve) => setTimeout(resolve, 300))
  expect((await erase('conversations', message.conversationId)).status).toBe(204)
  const gone = { type: 'ResourceNotFound', code: 404, id: 'err_1', message: 'Conversation does not exist' }
  runtime.setFault(({ route }) => (route === 'listMessages' ? { status: 404, body: gone } : undefined))

  const answer = await waiting
  expect([answer.status, answer.body.code]).toEqual([404, 'not_found'])
})

it('what a bot action put in a copy’s cache is never used once erased on the other copy', async () => {
  const ids = textMessage()
  // The bot writes first on copy 0: its actions fill copy 0's id cache
  await nextOn(0)
  const { conversationId } = await runtime.botApi.callAction('getOrCreateConversation', {
    conversation: { conversationId: ids.conversationId },
  })
  expect(lastCopy()).toBe(0)
  await nextOn(0)
  const { userId } = await runtime.botApi.callAction('getOrCreateUser', { user: { userId: ids.userId } })
  expect(lastCopy()).toBe(0)

  await nextOn(1)
  expect((await erase('conversations', ids.conversationId)).status).toBe(204)
  await nextOn(1)
  expect((await erase('users', ids.userId)).status).toBe(204)

  await nextOn(0)
  const after = await post(ids)
  expect(lastCopy()).toBe(0)
  expect(after.body.conversation.id).not.toBe(conversationId)
  expect(after.body.user.id).not.toBe(userId)
})
