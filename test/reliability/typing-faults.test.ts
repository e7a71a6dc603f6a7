import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalRuntime, type LocalRuntime } from '../../local'
import { typingBudgetMs } from '../../src/channels/typing'
import { send, textMessage } from '../helpers/caller'
import { refusedUrl, startEndpoint, type Endpoint, type Outcome, type ReceivedRequest } from '../helpers/endpoint'

// Rule 17 under faults: a typing indicator is one attempt of at most 2 s, never retried; any failure is a warning for
// the bot owner and the action succeeds all the same: the bot's replies still go out, after it.

const signingSecret = `whsec_${Buffer.from('typing-faults-signing-key-012345').toString('base64')}`
const endpointKey = 'typing-endpoint-key-5a4b3c2d1e'

// A 200 at once, then a body one byte every 300 ms: the answer never completes within the budget
const trickle: Outcome = (res) => {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.flushHeaders()
  const timer = setInterval(() => res.write(' '), 300)
  res.on('close', () => clearInterval(timer))
}

/** How the endpoint answers a typing request, by the caller's conversationId; bot messages always get a 200 */
const typingOutcome: Record<string, Outcome> = {
  't-500': { status: 500 },
  't-503': { status: 503 },
  't-429': { status: 429, headers: { 'retry-after': '1' } },
  't-408': { status: 408 },
  't-400': { status: 400 },
  't-reset': 'reset',
  't-hang': 'hang',
  't-trickle': trickle,
}
const isTyping = (request: ReceivedRequest) => (request.body as { type?: string }).type === 'typing'
const conversationOf = (request: ReceivedRequest) => (request.body as { conversationId: string }).conversationId

let runtime: LocalRuntime
let endpoint: Endpoint
/** The file's configuration, which a test that changes it puts back */
const configuration = () => ({
  responseEndpointURL: endpoint.url,
  signingSecret,
  responseEndpointHeaders: { 'x-api-key': endpointKey },
  typingIndicator: true,
})
beforeAll(async () => {
  endpoint = await startEndpoint((request) =>
    isTyping(request) ? (typingOutcome[conversationOf(request)] ?? { status: 200 }) : { status: 200, body: '{}' }
  )
  runtime = await startLocalRuntime({
    quiet: true,
    bot: () => [{ type: 'text', payload: { text: 'the reply' } }],
    configuration: configuration(),
  })
})
afterAll(async () => {
  await runtime?.stop()
  await endpoint?.close()
})

/** A caller's message in that conversation, and what followed once the bot's turn was over */
const turn = async (conversationId: string) => {
  const logsBefore = runtime.integrationLogs.length
  const eventsBefore = runtime.typingEvents.length
  const answer = await send(runtime, { token: runtime.personalAccessToken, body: textMessage({ conversationId }) })
  expect(answer.status).toBe(200)
  await runtime.idle()
  const received = endpoint.received.filter((request) => conversationOf(request) === conversationId)
  return {
    typingRequests: received.filter(isTyping),
    replies: received.filter((request) => !isTyping(request)),
    events: runtime.typingEvents.slice(eventsBefore),
    warnings: runtime.integrationLogs.slice(logsBefore).filter((line) => line.includes('typing indicator')),
  }
}

const expectOwnerWarned = (warnings: string[], reason: RegExp) => {
  expect(warnings).toHaveLength(2)
  expect(warnings[0]).toMatch(/could not send the typing indicator \(start\) for message msg_/)
  expect(warnings[1]).toMatch(/could not send the typing indicator \(stop\) for message msg_/)
  for (const line of warnings) {
    expect(line).toMatch(reason)
    expect(line).not.toContain(endpointKey)
    expect(line).not.toContain(signingSecret.slice('whsec_'.length))
  }
}

describe('a typing request that fails', () => {
  it.each([
    ['t-500', /HTTP 500, not retried/],
    ['t-503', /HTTP 503, not retried/],
    ['t-429', /HTTP 429, not retried/],
    ['t-408', /HTTP 408, not retried/],
    ['t-400', /HTTP 400, not retried/],
    ['t-reset', /ECONNRESET, not retried/],
  ])('(%s) is one attempt, a warning, and the action succeeds: the reply still goes out', async (id, reason) => {
    const { typingRequests, replies, events, warnings } = await turn(id)
    expect(typingRequests.map((request) => (request.body as { payload: unknown }).payload)).toEqual([
      { typing: true },
      { typing: false },
    ])
    expect(replies).toHaveLength(1)
    expect(events.map((event) => event.status)).toEqual([200, 200])
    expectOwnerWarned(warnings, new RegExp(`${endpoint.host}.*${reason.source}`))
  })
})

describe('an endpoint that never answers, or never finishes its answer', () => {
  it.each(['t-hang', 't-trickle'])(
    '(%s) holds each action for the 2 s budget at most, one attempt each',
    async (id) => {
      expect(typingBudgetMs).toBe(2_000)
      const { typingRequests, replies, events, warnings } = await turn(id)
      // Long after the budget, still one request per indicator: a timed-out attempt is not repeated
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(endpoint.received.filter((request) => conversationOf(request) === id && isTyping(request))).toHaveLength(2)
      expect(typingRequests).toHaveLength(2)
      expect(replies).toHaveLength(1)
      expect(events.map((event) => event.status)).toEqual([200, 200])
      for (const event of events) {
        // The action's own time, as the runtime measured it: the budget plus a large margin for a loaded machine
        expect(event.durationMs).toBeLessThan(typingBudgetMs + 1_500)
      }
      if (id === 't-hang') expectOwnerWarned(warnings, /ETIMEDOUT/)
    },
    20_000
  )
})

describe('no endpoint to reach', () => {
  it('a refused connection is a warning; the action succeeds', async () => {
    await runtime.configure({ responseEndpointURL: await refusedUrl(), typingIndicator: true })
    try {
      const { events, warnings } = await turn('t-absent')
      expect(events.map((event) => event.status)).toEqual([200, 200])
      expectOwnerWarned(warnings, /ECONNREFUSED, not retried/)
    } finally {
      await runtime.configure(configuration())
    }
  })
})

describe('an unusable configuration (raw JSON Botpress could still hold)', () => {
  it('is a warning in our words, nothing is sent, and the action succeeds', async () => {
    const unusable = {
      responseEndpointURL: endpoint.url,
      typingIndicator: true,
      responseEndpointHeaders: { 'a b': 'x' },
    }
    await runtime.configure(unusable, { skipValidation: true })
    try {
      const { typingRequests, events, warnings } = await turn('t-bad-header')
      expect(typingRequests).toEqual([])
      expect(events.map((event) => event.status)).toEqual([200, 200])
      expectOwnerWarned(warnings, /the Response Endpoint header "a b" is not a valid header/)
    } finally {
      await runtime.configure(configuration())
    }
  })
})

describe('a Botpress API that fails the look-ups', () => {
  it('is a warning, nothing is sent for that indicator, and the action succeeds', async () => {
    runtime.setFault((call) =>
      // The message is gone (deleted meanwhile)
      call.route === 'getMessage'
        ? { status: 404, body: { id: 'e', code: 404, type: 'ResourceNotFound', message: 'no such message' } }
        : undefined
    )
    try {
      const { typingRequests, replies, events, warnings } = await turn('t-api-down')
      expect(typingRequests).toEqual([])
      expect(replies).toHaveLength(1)
      expect(events.map((event) => event.status)).toEqual([200, 200])
      expectOwnerWarned(warnings, /the Botpress API answered 404 ResourceNotFound/)
    } finally {
      runtime.setFault(undefined)
    }
  })

  it('when stalled, still costs at most the 2 s budget', async () => {
    runtime.setFault((call) => (call.route === 'getConversation' ? { delayMs: 3_500 } : undefined))
    try {
      const { typingRequests, events, warnings } = await turn('t-api-slow')
      expect(typingRequests).toEqual([])
      for (const event of events) expect(event.durationMs).toBeLessThan(typingBudgetMs + 1_500)
      expectOwnerWarned(warnings, /did not answer in time/)
    } finally {
      runtime.setFault(undefined)
    }
  }, 20_000)
})

describe('a Botpress API that stalls the record of the bot’s turn', () => {
  it('is a warning; the indicator is still sent and each action still costs at most the 2 s budget', async () => {
    runtime.setFault((call) => (call.route === 'updateMessage' ? { delayMs: 3_500 } : undefined))
    const logsBefore = runtime.integrationLogs.length
    try {
      const { typingRequests, replies, events } = await turn('t-record-slow')
      expect(typingRequests).toHaveLength(2)
      expect(replies).toHaveLength(1)
      for (const event of events) expect(event.durationMs).toBeLessThan(typingBudgetMs + 1_500)
      const warnings = runtime.integrationLogs.slice(logsBefore).filter((line) => line.includes("bot's turn"))
      expect(warnings).toHaveLength(2)
      for (const line of warnings)
        expect(line).toMatch(/could not record the (start|end) of the bot's turn.*did not answer in time/)
    } finally {
      runtime.setFault(undefined)
    }
  }, 20_000)
})
