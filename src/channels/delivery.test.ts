import { describe, expect, it, vi } from 'vitest'
import { backoffMs, deliver, deliveryPolicy } from './delivery'
import type { AxiosError } from './endpoint-http'
import type { OutboundRequest } from './outbound-request'
import { buildOutboundRequest } from './outbound-request'
import { refusedUrl, startEndpoint, type Outcome } from '../../test/helpers/endpoint'

// Timers and sockets on a loaded machine: this much lateness is tolerated on top of a computed delay.
const slackMs = 400

const requestTo = (url: string): OutboundRequest =>
  buildOutboundRequest(
    { responseEndpointURL: url, signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
    {
      type: 'text',
      payload: { text: 'hello' },
      conversationId: 'ext-1',
      botpressUserId: 'user_1',
      botpressMessageId: 'msg_delivery_1',
      botpressConversationId: 'conv_1',
    }
  )

/** Delivers to the endpoint and measures how long it took. */
const timedDeliver = async (url: string, policy = deliveryPolicy) => {
  const startedAt = Date.now()
  const result = await deliver(requestTo(url), policy)
  return { result, elapsedMs: Date.now() - startedAt }
}

const gaps = (times: number[]) => times.slice(1).map((time, index) => time - (times[index] as number))

/** A small policy for the cases whose real timing would be slow. */
const quickPolicy = {
  maxAttempts: 3,
  attemptTimeoutMs: 1_000,
  totalBudgetMs: 5_000,
  baseDelayMs: 100,
  maxRetryAfterMs: 1_500,
  minAttemptMs: 200,
}

describe('deliveryPolicy', () => {
  it('has the contract numbers: 3 attempts, 10 s each, 20 s in all, Retry-After capped within the budget', () => {
    expect(deliveryPolicy.maxAttempts).toBe(3)
    expect(deliveryPolicy.attemptTimeoutMs).toBe(10_000)
    expect(deliveryPolicy.totalBudgetMs).toBe(20_000)
    expect(deliveryPolicy.maxRetryAfterMs).toBeLessThan(deliveryPolicy.totalBudgetMs)
    expect(deliveryPolicy.baseDelayMs).toBe(500)
  })
})

describe('backoffMs', () => {
  const unavailable = { response: { status: 503, headers: {} } } as AxiosError
  const withRandom = (draw: number, retryNumber: number) => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(draw)
    try {
      return backoffMs(retryNumber, unavailable, deliveryPolicy)
    } finally {
      random.mockRestore()
    }
  }

  it('has jitter: two different random draws give different delays, within the exponential window', () => {
    for (const retryNumber of [1, 2]) {
      const window = deliveryPolicy.baseDelayMs * 2 ** (retryNumber - 1)
      const low = withRandom(0.1, retryNumber)
      const high = withRandom(0.9, retryNumber)
      expect(low).not.toBe(high)
      for (const delay of [low, high]) {
        expect(delay).toBeGreaterThanOrEqual(window / 2)
        expect(delay).toBeLessThanOrEqual(window)
      }
    }
  })
})

// Most cases wait on timers: run concurrently, each with its own endpoint, the file takes as long as its slowest case.
describe.concurrent('deliver', () => {
  describe('timeouts', () => {
    it('times out a slow attempt and retries it', async ({ expect, onTestFinished }) => {
      const endpoint = await startEndpoint(
        [
          { status: 200, body: 'late', delayMs: 2_000 },
          { status: 200, body: 'prompt' },
        ],
        { onTestFinished }
      )
      const { result, elapsedMs } = await timedDeliver(endpoint.url, quickPolicy)
      expect(result).toEqual({ ok: true, status: 200, responseBody: 'prompt', attempts: 2 })
      const [gap] = gaps(endpoint.received.map((received) => received.receivedAt))
      // The attempt's clock starts before its request has fully arrived (when receivedAt is taken): allow for that.
      expect(gap).toBeGreaterThanOrEqual(quickPolicy.attemptTimeoutMs + quickPolicy.baseDelayMs / 2 - 50)
      expect(elapsedMs).toBeLessThan(2_000)
    })

    it('stays within the total budget when every attempt times out', async ({ expect, onTestFinished }) => {
      const policy = { ...quickPolicy, totalBudgetMs: 2_500 }
      const endpoint = await startEndpoint(['hang'], { onTestFinished })
      const { result, elapsedMs } = await timedDeliver(endpoint.url, policy)
      expect(result).toMatchObject({ ok: false, status: undefined, reason: 'ETIMEDOUT' })
      expect(result.attempts).toBe(endpoint.received.length)
      expect(result.attempts).toBeGreaterThanOrEqual(2)
      expect(elapsedMs).toBeLessThanOrEqual(policy.totalBudgetMs + 250)
    })

    it('takes a 200 whose body trickles in slower than the attempt timeout as delivered, without its body', async ({
      expect,
      onTestFinished,
    }) => {
      const trickle: Outcome = (response) => {
        response.writeHead(200, { 'content-type': 'text/plain' })
        const timer = setInterval(() => response.write('.'), 100)
        response.on('close', () => clearInterval(timer))
        setTimeout(() => response.end(), 10_000).unref()
      }
      const policy = { ...quickPolicy, totalBudgetMs: 2_500 }
      const endpoint = await startEndpoint([trickle], { onTestFinished })
      const { result, elapsedMs } = await timedDeliver(endpoint.url, policy)
      // Any 2xx is success: the status came, the unreadable body only means there is no id
      expect(result).toEqual({ ok: true, status: 200, responseBody: '', attempts: 1 })
      expect(endpoint.received).toHaveLength(1)
      expect(elapsedMs).toBeLessThanOrEqual(policy.attemptTimeoutMs + 250)
    })

    it('with the real policy, an endpoint that never answers costs 2 attempts of 10 s and no more than 20 s', async ({
      expect,
      onTestFinished,
    }) => {
      const endpoint = await startEndpoint(['hang'], { onTestFinished })
      const { result, elapsedMs } = await timedDeliver(endpoint.url)
      expect(result).toEqual({ ok: false, status: undefined, reason: 'ETIMEDOUT', attempts: 2 })
      expect(endpoint.received).toHaveLength(2)
      const [gap] = gaps(endpoint.received.map((received) => received.receivedAt))
      // Arrivals are stamped by a server sharing this process's event loop: under load a stamp can lag by a few
      // hundred ms, so only the full attempt is asserted here (the backoff has its own tests above).
      expect(gap).toBeGreaterThanOrEqual(deliveryPolicy.attemptTimeoutMs - 250)
      expect(elapsedMs).toBeGreaterThanOrEqual(deliveryPolicy.totalBudgetMs - deliveryPolicy.minAttemptMs)
      expect(elapsedMs).toBeLessThanOrEqual(deliveryPolicy.totalBudgetMs + 250)
    }, 30_000)
  })

  describe('success', () => {
    it.for([200, 201, 202, 204])(
      'takes %i on the first attempt as delivered: 1 request',
      async (status, { expect, onTestFinished }) => {
        const endpoint = await startEndpoint([{ status, body: status === 204 ? '' : '{"ok":true}' }], {
          onTestFinished,
        })
        const { result } = await timedDeliver(endpoint.url)
        expect(result).toEqual({
          ok: true,
          status,
          responseBody: status === 204 ? '' : '{"ok":true}',
          attempts: 1,
        })
        expect(endpoint.received).toHaveLength(1)
      }
    )
  })

  describe('retries', () => {
    it('retries a 503 once it succeeds: 2 requests, same id, headers and body, 250-500 ms apart', async ({
      expect,
      onTestFinished,
    }) => {
      const endpoint = await startEndpoint([{ status: 503 }, { status: 200, body: 'done' }], { onTestFinished })
      const { result } = await timedDeliver(endpoint.url)
      expect(result).toEqual({ ok: true, status: 200, responseBody: 'done', attempts: 2 })
      const [first, second] = endpoint.received
      expect(endpoint.received).toHaveLength(2)
      expect(second?.rawBody).toBe(first?.rawBody)
      expect(second?.headers['webhook-id']).toBe('msg_delivery_1')
      for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type', 'user-agent']) {
        expect(second?.headers[name]).toBe(first?.headers[name])
      }
      // First retry: full jitter on baseDelayMs, between baseDelayMs / 2 and baseDelayMs.
      const [gap] = gaps(endpoint.received.map((received) => received.receivedAt))
      expect(gap).toBeGreaterThanOrEqual(deliveryPolicy.baseDelayMs / 2 - 5)
      expect(gap).toBeLessThanOrEqual(deliveryPolicy.baseDelayMs + slackMs)
    })

    it('gives up on a 500 after exactly 3 attempts, backing off exponentially', async ({ expect, onTestFinished }) => {
      const endpoint = await startEndpoint([{ status: 500, body: 'boom' }], { onTestFinished })
      const { result } = await timedDeliver(endpoint.url)
      expect(result).toEqual({ ok: false, status: 500, reason: 'HTTP 500', attempts: 3 })
      expect(endpoint.received).toHaveLength(3)
      const [firstGap, secondGap] = gaps(endpoint.received.map((received) => received.receivedAt))
      expect(firstGap).toBeGreaterThanOrEqual(250 - 5)
      expect(firstGap).toBeLessThanOrEqual(500 + slackMs)
      expect(secondGap).toBeGreaterThanOrEqual(500 - 5)
      expect(secondGap).toBeLessThanOrEqual(1_000 + slackMs)
    })

    it.for([408, 502, 504])('retries a %i', async (status, { expect, onTestFinished }) => {
      const endpoint = await startEndpoint([{ status }, { status: 200 }], { onTestFinished })
      const { result } = await timedDeliver(endpoint.url)
      expect(result).toMatchObject({ ok: true, status: 200, attempts: 2 })
      expect(endpoint.received).toHaveLength(2)
    })

    it('retries a 429 without Retry-After after the usual backoff', async ({ expect, onTestFinished }) => {
      const endpoint = await startEndpoint([{ status: 429 }, { status: 200 }], { onTestFinished })
      const { result } = await timedDeliver(endpoint.url)
      expect(result).toMatchObject({ ok: true, attempts: 2 })
      const [gap] = gaps(endpoint.received.map((received) => received.receivedAt))
      expect(gap).toBeLessThanOrEqual(500 + slackMs)
    })

    it('honours a 429 Retry-After: 1, waiting about a second', async ({ expect, onTestFinished }) => {
      const endpoint = await startEndpoint([{ status: 429, headers: { 'retry-after': '1' } }, { status: 200 }], {
        onTestFinished,
      })
      const { result } = await timedDeliver(endpoint.url)
      expect(result).toMatchObject({ ok: true, status: 200, attempts: 2 })
      const [gap] = gaps(endpoint.received.map((received) => received.receivedAt))
      expect(gap).toBeGreaterThanOrEqual(1_000 - 5)
      expect(gap).toBeLessThanOrEqual(1_000 + slackMs)
    })

    it('honours a 429 Retry-After given as an HTTP date', async ({ expect, onTestFinished }) => {
      const endpoint = await startEndpoint(
        (_, attempt) =>
          attempt === 1
            ? { status: 429, headers: { 'retry-after': new Date(Date.now() + 2_000).toUTCString() } }
            : { status: 200 },
        { onTestFinished }
      )
      const { result } = await timedDeliver(endpoint.url)
      expect(result).toMatchObject({ ok: true, attempts: 2 })
      // The date has whole seconds: 1 to 2 s from now, rounded up to whole seconds.
      const [gap] = gaps(endpoint.received.map((received) => received.receivedAt))
      expect(gap).toBeGreaterThanOrEqual(1_000 - 5)
      expect(gap).toBeLessThanOrEqual(2_000 + slackMs)
    })

    it('caps a Retry-After beyond maxRetryAfterMs and retries at the cap', async ({ expect, onTestFinished }) => {
      const endpoint = await startEndpoint([{ status: 429, headers: { 'retry-after': '60' } }, { status: 200 }], {
        onTestFinished,
      })
      const { result } = await timedDeliver(endpoint.url, quickPolicy)
      expect(result).toMatchObject({ ok: true, attempts: 2 })
      const [gap] = gaps(endpoint.received.map((received) => received.receivedAt))
      expect(gap).toBeGreaterThanOrEqual(quickPolicy.maxRetryAfterMs - 5)
      expect(gap).toBeLessThanOrEqual(quickPolicy.maxRetryAfterMs + slackMs)
    })

    it('does not retry when the (capped) Retry-After leaves no time for another attempt in the budget', async ({
      expect,
      onTestFinished,
    }) => {
      const endpoint = await startEndpoint([{ status: 429, headers: { 'retry-after': '60' } }], { onTestFinished })
      // The real cap (10 s) with a 5 s budget: waiting would overrun it, so the 429 is final at once.
      const { result, elapsedMs } = await timedDeliver(endpoint.url, { ...deliveryPolicy, totalBudgetMs: 5_000 })
      expect(result).toEqual({ ok: false, status: 429, reason: 'HTTP 429', attempts: 1 })
      expect(endpoint.received).toHaveLength(1)
      expect(elapsedMs).toBeLessThan(slackMs)
    })
  })

  describe('no retry', () => {
    it.for([400, 401, 403, 404, 409, 413, 422])(
      'takes a %i as final: exactly 1 request',
      async (status, { expect, onTestFinished }) => {
        const endpoint = await startEndpoint([{ status, body: '{"error":"no"}' }], { onTestFinished })
        const { result, elapsedMs } = await timedDeliver(endpoint.url)
        expect(result).toEqual({ ok: false, status, reason: `HTTP ${status}`, attempts: 1 })
        expect(endpoint.received).toHaveLength(1)
        expect(elapsedMs).toBeLessThan(slackMs)
      }
    )

    it.for([301, 302, 307, 308])(
      'does not follow a %i redirect: 1 request, a failure',
      async (status, { expect, onTestFinished }) => {
        const target = await startEndpoint([{ status: 200 }], { onTestFinished })
        const endpoint = await startEndpoint([{ status, headers: { location: target.url } }], { onTestFinished })
        const { result } = await timedDeliver(endpoint.url)
        expect(result).toEqual({ ok: false, status, reason: `HTTP ${status}`, attempts: 1 })
        expect(endpoint.received).toHaveLength(1)
        expect(target.received).toHaveLength(0)
      }
    )
  })

  describe('network failures', () => {
    it('retries a refused connection: 3 attempts, then ECONNREFUSED', async ({ expect }) => {
      const { result, elapsedMs } = await timedDeliver(await refusedUrl())
      expect(result).toEqual({ ok: false, status: undefined, reason: 'ECONNREFUSED', attempts: 3 })
      // Two backoffs: at least 250 + 500 ms.
      expect(elapsedMs).toBeGreaterThanOrEqual(750 - 5)
      expect(elapsedMs).toBeLessThanOrEqual(1_500 + slackMs)
    })

    it('retries a connection closed before any answer', async ({ expect, onTestFinished }) => {
      const endpoint = await startEndpoint(['reset', { status: 200 }], { onTestFinished })
      const { result } = await timedDeliver(endpoint.url)
      expect(result).toMatchObject({ ok: true, attempts: 2 })
      expect(endpoint.received).toHaveLength(2)
    })

    const cutOff =
      (status: number): Outcome =>
      (response) => {
        response.writeHead(status, { 'content-type': 'application/json', 'content-length': '100' })
        response.write('{"id":')
        setTimeout(() => response.socket?.destroy(), 20)
      }

    it('retries a connection reset in the middle of a 503 answer', async ({ expect, onTestFinished }) => {
      const endpoint = await startEndpoint([cutOff(503), { status: 200, body: 'whole' }], { onTestFinished })
      const { result } = await timedDeliver(endpoint.url)
      expect(result).toEqual({ ok: true, status: 200, responseBody: 'whole', attempts: 2 })
      expect(endpoint.received).toHaveLength(2)
    })

    it('takes a 2xx answer cut off mid-body as delivered: 1 attempt, no body', async ({ expect, onTestFinished }) => {
      const endpoint = await startEndpoint([cutOff(200), { status: 200, body: 'whole' }], { onTestFinished })
      const { result } = await timedDeliver(endpoint.url)
      expect(result).toEqual({ ok: true, status: 200, responseBody: '', attempts: 1 })
      expect(endpoint.received).toHaveLength(1)
    })
  })
})
