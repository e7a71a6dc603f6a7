import { afterAll, beforeAll, expect, it } from 'vitest'
import { startLocalRuntime, type LocalRuntime } from '../../local'
import { send } from '../helpers/caller'
import { copyTurns } from '../helpers/copies'

// POST /events on two copies of the integration, which take the operations in turn as Botpress Cloud's instances
// may: eventId dedupe and get-or-create must hold through Botpress, not through what one copy remembers. The bot's
// deliveries are operations too: which copy served a request is read from the webhook operations alone.
let runtime: LocalRuntime
beforeAll(async () => {
  runtime = await startLocalRuntime({ quiet: true, integrationCopies: 2 })
})
afterAll(() => runtime?.stop())
const { nextOn } = copyTurns(() => runtime)

const postEvent = (body: Record<string, unknown>) =>
  send(runtime, { path: '/events', body, token: runtime.personalAccessToken })
const eventsWith = (eventId: string) => runtime.store.events().filter((event) => event.payload.eventId === eventId)
const webhookCopies = (count: number) =>
  runtime.operations
    .filter((operation) => operation.operation === 'webhook_received')
    .slice(-count)
    .map((operation) => operation.copy)
const botAnswers = (conversationId: string) =>
  runtime.store
    .messages()
    .filter((message) => message.conversationId === conversationId && message.direction === 'outgoing')

const event = (id: string) => ({ userId: `u-${id}`, conversationId: `c-${id}`, eventId: `e-${id}`, name: 'order.paid' })

it('a repeat sent to the other copy after the first was answered creates nothing and gets the first event', async () => {
  const body = event('repeat')
  await nextOn(0)
  const first = await postEvent(body)
  expect(webhookCopies(1)).toEqual([0])
  await runtime.idle()
  await nextOn(1)
  const repeat = await postEvent(body)
  expect(webhookCopies(1)).toEqual([1])
  expect([first.status, repeat.status]).toEqual([200, 200])
  expect(repeat.body.event).toEqual(first.body.event)
  expect(eventsWith(body.eventId)).toHaveLength(1)
  await runtime.idle()
  expect(botAnswers(first.body.conversation.id)).toHaveLength(1)
})

it('two different events at once on new ids, one per copy: one user, one conversation, two events', async () => {
  const body = event('new-at-once')
  const [a, b] = await Promise.all([postEvent(body), postEvent({ ...body, eventId: `${body.eventId}-2` })])
  expect(webhookCopies(2).sort()).toEqual([0, 1])
  expect([a.body.conversation.id, a.body.user.id]).toEqual([b.body.conversation.id, b.body.user.id])
  expect(runtime.store.conversations().filter((c) => c.tags.id === body.conversationId)).toHaveLength(1)
  expect(runtime.store.users().filter((u) => u.tags.id === body.userId)).toHaveLength(1)
  expect(runtime.store.events().filter((e) => e.conversationId === a.body.conversation.id)).toHaveLength(2)
})

// What hub.md says of two repeats sent at the same instant: measured here, in the race's worst case (each copy looks
// for the eventId before the other's event exists, as when Botpress is slow to create it).
it('two repeats at the same instant on two copies: both may create an event; later repeats all get the first', async () => {
  const body = event('race')
  await postEvent({ ...body, eventId: 'warm-up' })
  await runtime.idle()
  runtime.setFault((call) => (call.route === 'createEvent' ? { delayMs: 1_000 } : undefined))
  const [a, b] = await Promise.all([postEvent(body), postEvent(body)])
  runtime.setFault(undefined)
  expect(webhookCopies(2).sort()).toEqual([0, 1])
  expect([a.status, b.status]).toEqual([200, 200])
  const created = eventsWith(body.eventId)
  expect(created).toHaveLength(2)
  expect(new Set([a.body.event.id, b.body.event.id])).toEqual(new Set(created.map((e) => e.id)))
  await runtime.idle()
  // The bot saw the event twice
  expect(botAnswers(a.body.conversation.id)).toHaveLength(3)

  // From then on every repeat, on either copy, answers with the older of the two
  const oldest = [...created].sort((x, y) => x.createdAt.localeCompare(y.createdAt))[0]!
  for (const copy of [0, 1]) {
    await nextOn(copy)
    const later = await postEvent(body)
    expect([webhookCopies(1)[0], later.body.event.id]).toEqual([copy, oldest.id])
  }
  expect(eventsWith(body.eventId)).toHaveLength(2)
})

it('two repeats at the same instant with Botpress answering at once: one or two events, never more', async () => {
  const body = event('race-fast')
  const answers = await Promise.all([postEvent(body), postEvent(body)])
  expect(answers.map((response) => response.status)).toEqual([200, 200])
  const created = eventsWith(body.eventId)
  expect(created.length).toBeGreaterThanOrEqual(1)
  expect(created.length).toBeLessThanOrEqual(2)
  expect(answers.every((response) => created.some((e) => e.id === response.body.event.id))).toBe(true)
})
