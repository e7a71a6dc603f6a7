import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { startLocalRuntime, type LocalRuntime } from '../../local'
import { send, textMessage } from '../helpers/caller'
import { startEndpoint, type Endpoint } from '../helpers/endpoint'

// Logs carry ids, statuses, counts and reasons, never what users wrote. Every user-supplied field of every kind of
// traffic carries a marker; the integration's log (every line it prints: its logger has no level that hides any) must
// never hold it, also where Botpress or the endpoint echo it back. Adding a kind of traffic is one line below.
const marker = 'Zq7mark3r'
const M = (suffix = '') => `${marker}${suffix}`

let runtime: LocalRuntime
let endpoint: Endpoint
beforeAll(async () => {
  // The endpoint fails every delivery with a body echoing the marker
  endpoint = await startEndpoint([{ status: 500, body: JSON.stringify({ error: M(' echoed') }) }])
  runtime = await startLocalRuntime({ quiet: true, configuration: { responseEndpointURL: endpoint.url } })
})
afterAll(async () => {
  await runtime?.stop()
  await endpoint?.close()
})

const token = () => runtime.personalAccessToken
const post = (fields: Record<string, unknown>) => send(runtime, { token: token(), body: textMessage(fields) })
const postEvent = () =>
  send(runtime, {
    token: token(),
    path: '/events',
    body: { userId: 'log-e', conversationId: 'log-e', eventId: M(), name: M(), payload: { note: M() }, userName: M() },
  })
// A bot's event whose delivery fails (the endpoint fails every request): the action's error is logged
const botEvent = async () => {
  const { body } = await post({ text: 'hi' })
  await runtime.botApi
    .callAction('sendEvent', { conversationId: body.conversation.id, name: M(), payload: { note: M() } })
    .catch(() => {})
}
// Botpress answering with an error whose message quotes the marker, on the route named
const botpressEchoes = (route: string, status: number) =>
  runtime.setFault((call) =>
    call.route === route
      ? { status, body: { id: 'err_1', code: status, type: 'InvalidPayload', message: `Invalid: ${M()}` } }
      : undefined
  )

const traffic: Array<[kind: string, send: () => Promise<unknown>]> = [
  ['message text', () => post({ text: M(' text') })],
  ['payload', () => post({ type: 'choice', payload: { text: M(), options: [{ label: M(), value: M() }] } })],
  ['metadata', () => post({ text: 'hi', metadata: { note: M(' metadata') } })],
  ['userName and userPictureUrl', () => post({ userName: M(), userPictureUrl: `https://example.com/${M()}.png` })],
  [
    'a profile change',
    () => post({ userId: 'log-u', userName: M('-a') }).then(() => post({ userId: 'log-u', userName: M('-b') })),
  ],
  ['a malformed body', () => send(runtime, { token: token(), raw: `{"text": "${M()}", ` })],
  ['an invalid field', () => post({ type: M(), text: M(), userPictureUrl: M() })],
  ['a field too long', () => post({ text: M().repeat(20_000) })],
  ['a wrong token', () => send(runtime, { token: M(), body: textMessage() })],
  [
    'Botpress refusing the message, quoting it',
    async () => (botpressEchoes('getOrCreateMessage', 400), post({ text: M() })),
  ],
  ['Botpress failing, quoting it', async () => (botpressEchoes('getOrCreateUser', 500), post({ text: M() }))],
  [
    'a pull with a marked cursor',
    () => send(runtime, { method: 'GET', path: `/conversations/${M()}/messages?after=${M()}`, token: token() }),
  ],
  ['an event: name, payload, userName', postEvent],
  ['Botpress refusing an event, quoting it', async () => (botpressEchoes('createEvent', 400), postEvent())],
  ['a bot event with a payload, not delivered', botEvent],
  ['an erasure of unknown ids', () => send(runtime, { method: 'DELETE', path: `/users/${M()}`, token: token() })],
  [
    'a bot action with a name',
    () => runtime.botApi.callAction('getOrCreateUser', { user: { userId: 'log-a' }, name: M() }).catch(() => {}),
  ],
  [
    'a bot action refused, quoting it',
    async () => (
      botpressEchoes('getOrCreateUser', 400),
      runtime.botApi.callAction('getOrCreateUser', { user: { userId: 'log-b' }, name: M() }).catch(() => {})
    ),
  ],
]

it('no line of the integration’s log holds what users sent, whatever the traffic', async () => {
  for (const [, run] of traffic) {
    runtime.setFault(undefined)
    await run()
    await runtime.idle()
  }
  runtime.setFault(undefined)
  // The failing deliveries (the bot echoes the text) and Botpress's refusals are logged: wait for those lines
  await vi.waitFor(
    () => {
      expect(runtime.integrationLogs.some((line) => line.includes('could not deliver'))).toBe(true)
      expect(runtime.integrationLogs.some((line) => line.includes('rejected an incoming message'))).toBe(true)
    },
    { timeout: 10_000 }
  )
  expect(endpoint.received.some((request) => request.rawBody.includes(marker))).toBe(true)
  expect(runtime.integrationLogs.filter((line) => line.toLowerCase().includes(marker.toLowerCase()))).toEqual([])
}, 60_000)
