import { describe, expect, it, vi } from 'vitest'
import { backoffMs, deliver, deliveryPolicy, type AttemptPlan } from './delivery'
import type { AxiosError } from './endpoint-http'
import type { OutboundRequest } from './outbound-request'
import { buildOutboundRequest } from './outbound-request'
import { refusedUrl, startEndpoint, type Outcome } from '../../test/helpers/endpoint'

// These tests assert what deliver decided (each attempt's wait and timeout), never gaps between arrivals: on a
// loaded machine a stamp taken on arrival lags. Elapsed times are only bounded with a wide margin, to show that
// nothing hangs or waits when it should not.
const marginMs = 3_000
// Node may fire a timer a millisecond before Date.now() says it is due
const timerSlackMs = 5

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

/** Delivers to the endpoint: the result, what was decided for each attempt, and how long it took. */
const timedDeliver = async (url: string, policy = deliveryPolicy) => {
  const startedAt = Date.now()
  const plans: AttemptPlan[] = []
  const result = await deliver(requestTo(url), policy, (plan) => plans.push(plan))
  const elapsedMs = Date.now() - startedAt
  return { result, elapsedMs, plans, delays: plans.slice(1).map((plan) => plan.delayMs) }
}

/**
 * A small policy for the cases whose real timing would be slow. An attempt that must succeed gets 3 s: a loaded
 * machine once took over 1 s to answer on loopback, and the attempt timed out.
 */
const quickPolicy = {
  maxAttempts: 3,
  attemptTimeoutMs: 3_000,
  totalBudgetMs: 10_000,
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
      const endpoint = await startEndpoint(['hang', { status: 200, body: 'prompt' }], { onTestFinished })
      const { result, plans, elapsedMs } = await timedDeliver(endpoint.url, quickPolicy)
      expect(result).toEqual({ ok: true, status: 200, responseBody: 'prompt', attempts: 2 })
      expect(plans[0]).toEqual({ delayMs: 0, timeoutMs: quickPolicy.attemptTimeoutMs })
      expect(plans[1]!.timeoutMs).toBe(quickPolicy.attemptTimeoutMs)
      // The first attempt was cut at its timeout, then the second answered
      expect(elapsedMs).toBeGreaterThanOrEqual(quickPolicy.attemptTimeoutMs - timerSlackMs)
    })

    it('stays within the total budget when every attempt times out', async ({ expect, onTestFinished }) => {
      // Every attempt hangs: short attempts (nothing has to answer in time) show the budget ending them
      const policy = { ...quickPolicy, attemptTimeoutMs: 1_000, totalBudgetMs: 2_500 }
      const endpoint = await startEndpoint(['hang'], { onTestFinished })
      const { result, plans, elapsedMs } = await timedDeliver(endpoint.url, policy)
      expect(result).toMatchObject({ ok: false, status: undefined, reason: 'ETIMEDOUT' })
      expect(result.attempts).toBe(endpoint.received.length)
      expect(result.attempts).toBe(plans.length)
      expect(result.attempts).toBeGreaterThanOrEqual(2)
      // What was planned fits in the budget (a timer may fire a millisecond before Date.now() says it is due)
      const planned = plans.reduce((sum, plan) => sum + plan.delayMs + plan.timeoutMs, 0)
      expect(planned).toBeLessThanOrEqual(policy.totalBudgetMs + timerSlackMs)
      expect(elapsedMs).toBeLessThan(policy.totalBudgetMs + marginMs)
    })

    it('takes a 200 whose body trickles in slower than the attempt timeout as delivered, without its body', async ({
      expect,
      onTestFinished,
    }) => {
      const trickle: Outcome = (response) => {
        response.writeHead(200, { 'content-type': 'text/plain' })
        response.flushHeaders()
        const timer = setInterval(() => response.write('.'), 100)
        response.on('close', () => clearInterval(timer))
        setTimeout(() => response.end(), 10_000).unref()
      }
      const policy = { ...quickPolicy, totalBudgetMs: 5_000 }
      const endpoint = await startEndpoint([trickle], { onTestFinished })
      const { result, elapsedMs } = await timedDeliver(endpoint.url, policy)
      // Any 2xx is success: the status came, the unreadable body only means there is no id
      expect(result).toEqual({ ok: true, status: 200, responseBody: '', attempts: 1 })
      expect(endpoint.received).toHaveLength(1)
      // Cut at the attempt's clock (3 s), long before the body's 10 s
      expect(elapsedMs).toBeLessThan(policy.attemptTimeoutMs + marginMs)
    })

    it('with the real policy, an endpoint that never answers costs 2 attempts of 10 s and no more than 20 s', async ({
      expect,
      onTestFinished,
    }) => {
      const endpoint = await startEndpoint(['hang'], { onTestFinished })
      const { result, plans, elapsedMs } = await timedDeliver(endpoint.url)
      expect(result).toEqual({ ok: false, status: undefined, reason: 'ETIMEDOUT', attempts: 2 })
      expect(endpoint.received).toHaveLength(2)
      // The first attempt gets the full 10 s; the second what the budget leaves after it and the backoff (under
      // 10 s), which is more than a third attempt could have had
      expect(plans[0]).toEqual({ delayMs: 0, timeoutMs: deliveryPolicy.attemptTimeoutMs })
      const second = plans[1]!
      expect(second.delayMs).toBeGreaterThanOrEqual(deliveryPolicy.baseDelayMs / 2)
      expect(second.delayMs).toBeLessThanOrEqual(deliveryPolicy.baseDelayMs)
      expect(second.delayMs + second.timeoutMs).toBeLessThanOrEqual(
        deliveryPolicy.totalBudgetMs - deliveryPolicy.attemptTimeoutMs + timerSlackMs
      )
      expect(second.timeoutMs).toBeGreaterThanOrEqual(deliveryPolicy.minAttemptMs)
      expect(elapsedMs).toBeGreaterThanOrEqual(deliveryPolicy.totalBudgetMs - deliveryPolicy.minAttemptMs)
      expect(elapsedMs).toBeLessThan(deliveryPolicy.totalBudgetMs + marginMs)
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
      const { result, delays } = await timedDeliver(endpoint.url)
      expect(result).toEqual({ ok: true, status: 200, responseBody: 'done', attempts: 2 })
      const [first, second] = endpoint.received
      expect(endpoint.received).toHaveLength(2)
      expect(second?.rawBody).toBe(first?.rawBody)
      expect(second?.headers['webhook-id']).toBe('msg_delivery_1')
      for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type', 'user-agent']) {
        expect(second?.headers[name]).toBe(first?.headers[name])
      }
      // First retry: full jitter on baseDelayMs, between baseDelayMs / 2 and baseDelayMs.
      expect(delays).toHaveLength(1)
      expect(delays[0]).toBeGreaterThanOrEqual(deliveryPolicy.baseDelayMs / 2)
      expect(delays[0]).toBeLessThanOrEqual(deliveryPolicy.baseDelayMs)
    })

    it('gives up on a 500 after exactly 3 attempts, backing off exponentially', async ({ expect, onTestFinished }) => {
      const endpoint = await startEndpoint([{ status: 500, body: 'boom' }], { onTestFinished })
      const { result, delays, elapsedMs } = await timedDeliver(endpoint.url)
      expect(result).toEqual({ ok: false, status: 500, reason: 'HTTP 500', attempts: 3 })
      expect(endpoint.received).toHaveLength(3)
      const [firstDelay, secondDelay] = delays
      expect(firstDelay).toBeGreaterThanOrEqual(250)
      expect(firstDelay).toBeLessThanOrEqual(500)
      expect(secondDelay).toBeGreaterThanOrEqual(500)
      expect(secondDelay).toBeLessThanOrEqual(1_000)
      // The waits were really made
      expect(elapsedMs).toBeGreaterThanOrEqual(firstDelay! + secondDelay! - timerSlackMs)
    })

    it.for([408, 502, 504])('retries a %i', async (status, { expect, onTestFinished }) => {
      const endpoint = await startEndpoint([{ status }, { status: 200 }], { onTestFinished })
      const { result } = await timedDeliver(endpoint.url)
      expect(result).toMatchObject({ ok: true, status: 200, attempts: 2 })
      expect(endpoint.received).toHaveLength(2)
    })

    it('retries a 429 without Retry-After after the usual backoff', async ({ expect, onTestFinished }) => {
      const endpoint = await startEndpoint([{ status: 429 }, { status: 200 }], { onTestFinished })
      const { result, delays } = await timedDeliver(endpoint.url)
      expect(result).toMatchObject({ ok: true, attempts: 2 })
      expect(delays[0]).toBeGreaterThanOrEqual(250)
      expect(delays[0]).toBeLessThanOrEqual(500)
    })

    it('honours a 429 Retry-After: 1, waiting about a second', async ({ expect, onTestFinished }) => {
      const endpoint = await startEndpoint([{ status: 429, headers: { 'retry-after': '1' } }, { status: 200 }], {
        onTestFinished,
      })
      const { result, delays, elapsedMs } = await timedDeliver(endpoint.url)
      expect(result).toMatchObject({ ok: true, status: 200, attempts: 2 })
      expect(delays).toEqual([1_000])
      expect(elapsedMs).toBeGreaterThanOrEqual(1_000 - timerSlackMs)
    })

    it('honours a 429 Retry-After given as an HTTP date', async ({ expect, onTestFinished }) => {
      const endpoint = await startEndpoint(
        (_, attempt) =>
          attempt === 1
            ? { status: 429, headers: { 'retry-after': new Date(Date.now() + 2_000).toUTCString() } }
            : { status: 200 },
        { onTestFinished }
      )
      const { result, delays } = await timedDeliver(endpoint.url)
      expect(result).toMatchObject({ ok: true, attempts: 2 })
      // The date has whole seconds: 1 to 2 s from now, rounded up to whole seconds.
      expect(delays[0]).toBeGreaterThanOrEqual(1_000)
      expect(delays[0]).toBeLessThanOrEqual(2_000)
    })

    it('caps a Retry-After beyond maxRetryAfterMs and retries at the cap', async ({ expect, onTestFinished }) => {
      const endpoint = await startEndpoint([{ status: 429, headers: { 'retry-after': '60' } }, { status: 200 }], {
        onTestFinished,
      })
      const { result, delays } = await timedDeliver(endpoint.url, quickPolicy)
      expect(result).toMatchObject({ ok: true, attempts: 2 })
      expect(delays).toEqual([quickPolicy.maxRetryAfterMs])
    })

    it('does not retry when the (capped) Retry-After leaves no time for another attempt in the budget', async ({
      expect,
      onTestFinished,
    }) => {
      const endpoint = await startEndpoint([{ status: 429, headers: { 'retry-after': '60' } }], { onTestFinished })
      // The real cap (10 s) with a 5 s budget: waiting would overrun it, so the 429 is final at once.
      const { result, plans } = await timedDeliver(endpoint.url, { ...deliveryPolicy, totalBudgetMs: 5_000 })
      expect(result).toEqual({ ok: false, status: 429, reason: 'HTTP 429', attempts: 1 })
      expect(endpoint.received).toHaveLength(1)
      expect(plans).toHaveLength(1)
    })
  })

  describe('no retry', () => {
    it.for([400, 401, 403, 404, 409, 413, 422])(
      'takes a %i as final: exactly 1 request',
      async (status, { expect, onTestFinished }) => {
        const endpoint = await startEndpoint([{ status, body: '{"error":"no"}' }], { onTestFinished })
        const { result, plans } = await timedDeliver(endpoint.url)
        expect(result).toEqual({ ok: false, status, reason: `HTTP ${status}`, attempts: 1 })
        expect(endpoint.received).toHaveLength(1)
        expect(plans).toHaveLength(1)
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
      const { result, delays, elapsedMs } = await timedDeliver(await refusedUrl())
      expect(result).toEqual({ ok: false, status: undefined, reason: 'ECONNREFUSED', attempts: 3 })
      // Two backoffs: 250-500 then 500-1,000 ms, really waited.
      expect(delays).toHaveLength(2)
      expect(delays[0]! + delays[1]!).toBeGreaterThanOrEqual(750)
      expect(delays[0]! + delays[1]!).toBeLessThanOrEqual(1_500)
      expect(elapsedMs).toBeGreaterThanOrEqual(delays[0]! + delays[1]! - timerSlackMs)
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
