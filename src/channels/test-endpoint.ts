// Test support, not part of the bundle: a real local HTTP server standing in for the user's Response Endpoint.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Received = { at: number; method: string; path: string; headers: IncomingHttpHeaders; body: string }

/** How the endpoint answers one request; `attempt` counts from 1. */
export type Answer = (response: ServerResponse, request: IncomingMessage, attempt: number) => void

export type Endpoint = { url: string; host: string; received: Received[]; close: () => Promise<void> }

const open = new Set<Endpoint>()

/** Answers with this status, body and headers. */
export const reply =
  (status: number, body = '', headers: Record<string, string> = {}): Answer =>
  (response) => {
    response.writeHead(status, headers)
    response.end(body)
  }

/** Never answers: the connection stays open until the client gives up or the endpoint is closed. */
export const silence: Answer = () => {}

/**
 * Starts an endpoint on 127.0.0.1 with a free port. With a list of answers, request n gets answer n (the last one
 * repeats). Every request is recorded, body included, with the time it arrived. Concurrent tests pass their context's
 * `onTestFinished` to close it; others close it with `closeEndpoints` in `afterEach`.
 */
export const startEndpoint = async (
  answers: Answer | Answer[],
  onTestFinished?: (close: () => Promise<void>) => void
): Promise<Endpoint> => {
  const list = Array.isArray(answers) ? answers : [answers]
  const received: Received[] = []
  const server = createServer((request, response) => {
    const at = Date.now()
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({
        at,
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      })
      const answer = list[Math.min(received.length, list.length) - 1] ?? reply(200)
      answer(response, request, received.length)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const endpoint: Endpoint = {
    url: `http://127.0.0.1:${port}/hook`,
    host: `127.0.0.1:${port}`,
    received,
    close: async () => {
      open.delete(endpoint)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
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
  const endpoint = await startEndpoint(reply(200))
  await endpoint.close()
  return endpoint.url
}
