import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalRuntime, type Fault, type FaultCall, type LocalRuntime } from '../../local'
import { send } from '../helpers/caller'
import { startEndpoint, type Endpoint } from '../helpers/endpoint'

// Faults on every Botpress API route the integration calls while handling a caller's message. The caller gets a
// retryable JSON error within 10 s; once the fault is gone, a retry with the same messageId succeeds exactly once.

const routes = ['getOrCreateUser', 'getOrCreateConversation', 'getOrCreateMessage'] as const
// `calls`: how often the faulted route may be called for one request: a fast 5xx or a dropped connection is tried
// once more, a timed-out call is not repeated (README.md, "Decisions where the contract is silent": Botpress calls
// during a webhook)
const faults: Record<string, { fault: Fault; status: number; code: string; calls?: number }> = {
  '500': { fault: { status: 500 }, status: 502, code: 'upstream_error', calls: 2 },
  '503': { fault: { status: 503 }, status: 502, code: 'upstream_error', calls: 2 },
  '429': { fault: { status: 429, headers: { 'retry-after': '7' } }, status: 429, code: 'rate_limited' },
  // Longer than the integration's 4 s per call; the API then handles the call anyway, as a slow Botpress would
  timeout: { fault: { delayMs: 5_000 }, status: 502, code: 'upstream_error', calls: 1 },
  dropped: { fault: { destroySocket: true }, status: 502, code: 'upstream_error', calls: 2 },
  // What a proxy in front of Botpress may answer: not Botpress's JSON at all
  'html-502': {
    fault: { status: 502, body: '<html><body>Bad Gateway</body></html>', headers: { 'content-type': 'text/html' } },
    status: 502,
    code: 'upstream_error',
    calls: 2,
  },
  'garbled-200': { fault: { status: 200, body: '{"user":' }, status: 502, code: 'upstream_error' },
  'empty-200': { fault: { status: 200, body: '{}' }, status: 502, code: 'upstream_error' },
}

let runtime: LocalRuntime
let endpoint: Endpoint
// Faults are keyed by a marker found in the call's body (the external ids carry it), so cases run side by side
const active = new Map<string, { route: string; fault: Fault }>()
// Calls of the faulted route per marker, counted while its fault is active (that is, for its one failing request)
const faultedCalls = new Map<string, number>()
const faultHook = (call: FaultCall): Fault | undefined => {
  for (const [marker, { route, fault }] of active) {
    if (call.route === route && call.body.includes(marker)) {
      faultedCalls.set(marker, (faultedCalls.get(marker) ?? 0) + 1)
      return fault
    }
  }
  return undefined
}

beforeAll(async () => {
  endpoint = await startEndpoint()
  runtime = await startLocalRuntime({
    quiet: true,
    fault: faultHook,
    configuration: { responseEndpointURL: endpoint.url },
    bot: ({ message }) => [{ type: 'text', payload: { text: `re: ${(message.payload as { text: string }).text}` } }],
  })
})
afterAll(async () => {
  await runtime?.stop()
  await endpoint?.close()
})

const messageFor = (marker: string, messageId = `m-${marker}`) => ({
  userId: `u-${marker}`,
  conversationId: `c-${marker}`,
  messageId,
  type: 'text',
  text: `hello ${marker}`,
})

const post = async (body: ReturnType<typeof messageFor>) => {
  const startedAt = performance.now()
  const response = await send(runtime, { body, token: runtime.personalAccessToken })
  return { ...response, durationMs: performance.now() - startedAt }
}

const storedIn = (conversationId: string, direction: 'incoming' | 'outgoing') => {
  const conversation = runtime.store.conversations().find((c) => c.tags.id === conversationId)
  return runtime.store.messages().filter((m) => m.conversationId === conversation?.id && m.direction === direction)
}

const expectFailure = (response: Awaited<ReturnType<typeof post>>, status: number, code: string, label: string) => {
  expect(response.status, `${label}: ${response.text}`).toBe(status)
  expect(response.body, label).toEqual({ code, message: expect.any(String) })
  expect(response.durationMs, label).toBeLessThan(10_000)
  expect(response.text, label).not.toContain(runtime.personalAccessToken)
  if (code === 'rate_limited') expect(response.headers.get('retry-after'), label).toBe('7')
}

const expectOnceAfterRetry = async (body: ReturnType<typeof messageFor>, label: string) => {
  const retried = await post(body)
  expect(retried.status, `${label}: ${retried.text}`).toBe(200)
  expect(retried.body.message.tags.id).toBe(body.messageId)
  return retried
}

describe('Botpress API faults during inbound handling', () => {
  it('turns each fault on each route into 502 or 429, then accepts the retry exactly once', async () => {
    const cases = routes.flatMap((route) =>
      Object.keys(faults).map((kind) => ({ route, kind, marker: `${route}-${kind}` }))
    )
    for (const { route, kind, marker } of cases) active.set(marker, { route, fault: faults[kind]!.fault })

    await Promise.all(
      cases.map(async ({ route, kind, marker }) => {
        const label = `${kind} on ${route}`
        const { status, code, calls } = faults[kind]!
        expectFailure(await post(messageFor(marker)), status, code, label)
        const faulted = runtime.apiCalls.filter((call) => call.route === route && call.faulted)
        expect(faulted.length, label).toBeGreaterThan(0)
        if (calls !== undefined) expect(faultedCalls.get(marker), `${label}: calls of the route`).toBe(calls)
        active.delete(marker)
        await expectOnceAfterRetry(messageFor(marker), label)
      })
    )
    // A timed-out call the API finished later must not have made a second message or reply
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    await runtime.idle()
    for (const { route, kind, marker } of cases) {
      const label = `${kind} on ${route}`
      expect(storedIn(`c-${marker}`, 'incoming').length, label).toBe(1)
      expect(storedIn(`c-${marker}`, 'outgoing').length, label).toBe(1)
      const replies = endpoint.received.filter(
        (r) => (r.body as { conversationId: string }).conversationId === `c-${marker}`
      )
      expect(replies.length, label).toBe(1)
    }
    expect(runtime.store.users().filter((u) => u.tags.id?.startsWith('u-')).length).toBe(cases.length)
    console.info(
      `api faults: ${cases.length} faulted requests, each retried once; ${runtime.apiCalls.filter((c) => c.faulted).length} API calls faulted`
    )
  }, 60_000)

  it('fails fast on the message route when user and conversation come from the id cache, then succeeds once', async () => {
    const marker = 'cached'
    expect((await post(messageFor(marker, 'm-cached-1'))).status).toBe(200)
    // The bot's turn on it (recorded by the typing actions) is over before the calls are counted
    await runtime.idle()
    runtime.clearApiCalls()
    active.set('m-cached-2', { route: 'getOrCreateMessage', fault: { status: 503 } })
    expectFailure(await post(messageFor(marker, 'm-cached-2')), 502, 'upstream_error', 'cached ids')
    // Only the message route was called: user and conversation came from the cache
    expect(new Set(runtime.apiCalls.map((call) => call.route))).toEqual(new Set(['getOrCreateMessage']))
    active.delete('m-cached-2')
    await expectOnceAfterRetry(messageFor(marker, 'm-cached-2'), 'cached ids')
    await runtime.idle()

    // A stale cache entry (Botpress no longer knows the conversation) falls back to the full get-or-create path
    let staleAnswers = 1
    active.set('m-cached-3', {
      route: 'getOrCreateMessage',
      get fault(): Fault | undefined {
        return staleAnswers-- > 0
          ? {
              status: 404,
              body: { id: 'err_1', code: 404, type: 'ResourceNotFound', message: 'Conversation not found' },
            }
          : undefined
      },
    } as { route: string; fault: Fault })
    runtime.clearApiCalls()
    await expectOnceAfterRetry(messageFor(marker, 'm-cached-3'), 'stale cache')
    // Handling the message, not the bot's turn on it (updateMessage by the typing actions) that may already have begun
    const handling = runtime.apiCalls.filter((call) => call.route !== 'updateMessage')
    expect(handling.map((call) => call.route).sort()).toEqual(
      ['getOrCreateConversation', 'getOrCreateMessage', 'getOrCreateMessage', 'getOrCreateUser'].sort()
    )
    active.delete('m-cached-3')

    await runtime.idle()
    expect(
      storedIn('c-cached', 'incoming')
        .map((m) => m.tags.id)
        .sort()
    ).toEqual(['m-cached-1', 'm-cached-2', 'm-cached-3'])
    expect(storedIn('c-cached', 'outgoing').length).toBe(3)
  }, 30_000)
})
