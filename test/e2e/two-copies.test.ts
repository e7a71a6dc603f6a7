import { afterAll, beforeAll, expect, it } from 'vitest'
import { startLocalRuntime, type LocalRuntime } from '../../local'
import { send, textMessage } from '../helpers/caller'
import { lastCopy as lastCopyOf, nextOn as nextOnCopy } from '../helpers/copies'
import { pull } from '../helpers/pull'

// Two copies of the integration take the operations in turn, as Botpress Cloud may: what one copy cached, the other
// never saw. Which copy served each request is checked, so that the case is the one described.
let runtime: LocalRuntime
beforeAll(async () => {
  runtime = await startLocalRuntime({ quiet: true, bot: false, integrationCopies: 2 })
})
afterAll(() => runtime?.stop())

const post = (body: Record<string, unknown>) => send(runtime, { token: runtime.personalAccessToken, body })
const lastCopy = () => lastCopyOf(runtime)
const nextOn = (copy: number) => nextOnCopy(runtime, copy)

it('a cursor of a conversation created again under the same id works on the copy that cached the old one', async () => {
  const first = textMessage()
  await nextOn(0)
  expect((await post(first)).status).toBe(200)
  expect(lastCopy()).toBe(0)
  const old = runtime.store.conversations().find((c) => c.tags.id === first.conversationId)!
  runtime.store.deleteConversation(old.id)

  // Copy 1 never saw the old conversation: it creates the new one, and gives a cursor bound to it
  const second = { ...first, messageId: `${first.messageId}-again` }
  const posted = await post(second)
  expect([posted.status, lastCopy()]).toEqual([200, 1])
  expect(posted.body.conversation.id).not.toBe(old.id)

  // Copy 0 still holds the old conversation: the cursor fails there, so it looks the conversation up again
  const pulled = await pull(runtime, first.conversationId, { after: posted.body.cursor })
  expect(lastCopy()).toBe(0)
  expect(pulled.status, pulled.text).toBe(200)
  expect(pulled.body).toMatchObject({ messages: [], cursor: posted.body.cursor, hasMore: false })
})
