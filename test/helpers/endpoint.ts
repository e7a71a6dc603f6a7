// Test support, not part of the bundle: a real local HTTP server standing in for the user's Response Endpoint.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { deliveryViolations } from './openapi-check'

export type ReceivedRequest = {
  method: string
  path: string
  headers: IncomingHttpHeaders
  rawBody: string
  /** The body parsed as JSON, undefined when it is not JSON. */
  body: unknown
  /** When the request arrived, before its body was read: gaps between attempts then measure the sender alone. */
  receivedAt: number
}

export type Answer = { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }

/**
 * How one request is answered: an Answer; 'hang' never answers (the sender times out or the endpoint is closed);
 * 'reset' drops the connection before any answer; a function writes the raw response itself, for what an Answer
 * cannot say, such as a body that trickles in or is cut off by a reset.
 */
export type Outcome = Answer | 'hang' | 'reset' | ((response: ServerResponse) => void)

/** Answers a request; `attempt` counts from 1 per webhook-id, so one endpoint can serve several messages' retries. */
export type Responder = (request: ReceivedRequest, attempt: number) => Outcome

export type Endpoint = {
  url: string
  host: string
  received: ReceivedRequest[]
  setResponder: (next: Responder | Outcome[]) => void
  /** Throws when a request received departs from openapi.yaml's `botMessage` webhook, naming how (once). */
  assertDeliveriesConform: () => void
  /** Forgets the requests received and the attempts counted, for tests that share one endpoint; then as above. */
  reset: () => void
  /** Closes the endpoint; then as assertDeliveriesConform. */
  close: () => Promise<void>
}

export type EndpointOptions = {
  /** The path of `url`; the default is /hook. */
  path?: string
  /** A concurrent test passes its context's `onTestFinished` to close the endpoint; others use `closeEndpoints`. */
  onTestFinished?: (close: () => Promise<void>) => void
  /** Unit tests that post made-up bodies turn off the check of every request against openapi.yaml. */
  openapi?: boolean
}

const open = new Set<Endpoint>()

/**
 * Starts an endpoint on 127.0.0.1 with a free port; it records every request, body included. It answers with the
 * responder, or from a list where attempt n gets outcome n and the last one repeats; the default is `200 {}`.
 */
export const startEndpoint = async (
  responder: Responder | Outcome[] = [{ status: 200, body: '{}' }],
  { path = '/hook', onTestFinished, openapi = true }: EndpointOptions = {}
): Promise<Endpoint> => {
  const received: ReceivedRequest[] = []
  const violations: string[] = []
  const attemptsById = new Map<string, number>()
  let respond = toResponder(responder)

  const server = createServer((req, res) => {
    const receivedAt = Date.now()
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8')
      const { method = '', url = '', headers } = req
      const request = { method, path: url, headers, rawBody, body: parseJson(rawBody), receivedAt }
      received.push(request)
      if (openapi) {
        violations.push(...deliveryViolations(request))
      }
      const id = String(req.headers['webhook-id'] ?? '')
      const attempt = (attemptsById.get(id) ?? 0) + 1
      attemptsById.set(id, attempt)
      answer(res, respond(request, attempt))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  const endpoint: Endpoint = {
    url: `http://127.0.0.1:${port}${path}`,
    host: `127.0.0.1:${port}`,
    received,
    setResponder: (next) => {
      respond = toResponder(next)
    },
    assertDeliveriesConform: () => {
      const found = violations.splice(0)
      if (found.length > 0) {
        throw new Error(`The Response Endpoint received what openapi.yaml does not describe:\n${found.join('\n')}`)
      }
    },
    reset: () => {
      received.length = 0
      attemptsById.clear()
      endpoint.assertDeliveriesConform()
    },
    close: async () => {
      open.delete(endpoint)
      // A hanging answer would otherwise keep close() waiting for the sender to give up.
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      endpoint.assertDeliveriesConform()
    },
  }
  if (onTestFinished) {
    onTestFinished(endpoint.close)
  } else {
    open.add(endpoint)
  }
  return endpoint
}

/** Closes every endpoint still open (for afterEach). */
export const closeEndpoints = async () => {
  await Promise.all([...open].map((endpoint) => endpoint.close()))
}

/** A URL on a port where nothing listens (it was free a moment ago). */
export const refusedUrl = async (): Promise<string> => {
  const endpoint = await startEndpoint()
  await endpoint.close()
  return endpoint.url
}

const toResponder = (responder: Responder | Outcome[]): Responder =>
  Array.isArray(responder) ? (_, attempt) => responder[Math.min(attempt, responder.length) - 1]! : responder

const answer = (res: ServerResponse, outcome: Outcome) => {
  if (outcome === 'hang') {
    return
  }
  if (outcome === 'reset') {
    res.socket?.destroy()
    return
  }
  if (typeof outcome === 'function') {
    outcome(res)
    return
  }
  const send = () => res.writeHead(outcome.status, outcome.headers).end(outcome.body ?? '')
  if (outcome.delayMs) {
    setTimeout(send, outcome.delayMs)
  } else {
    send()
  }
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
