import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type ReceivedRequest = {
  method: string
  path: string
  headers: IncomingHttpHeaders
  rawBody: string
  body: unknown
  receivedAt: number
}

/** How the endpoint answers one request; the default is `200 {}`. Returning 'hang' never answers. */
export type Responder = (request: ReceivedRequest, attempt: number) => Answer | 'hang' | 'reset'
export type Answer = { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }

/** The user's Response Endpoint: a real HTTP server on 127.0.0.1 that records every request it receives. */
export const startEndpoint = async (responder: Responder = () => ({ status: 200, body: '{}' })) => {
  const received: ReceivedRequest[] = []
  let respond = responder
  const attemptsById = new Map<string, number>()

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8')
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody,
        body: parseJson(rawBody),
        receivedAt: Date.now(),
      }
      received.push(request)
      const id = String(req.headers['webhook-id'] ?? '')
      const attempt = (attemptsById.get(id) ?? 0) + 1
      attemptsById.set(id, attempt)
      answer(res, respond(request, attempt))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/replies`,
    host: `127.0.0.1:${port}`,
    received,
    setResponder: (next: Responder) => {
      respond = next
    },
    reset: () => {
      received.length = 0
      attemptsById.clear()
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export type Endpoint = Awaited<ReturnType<typeof startEndpoint>>

const answer = (res: ServerResponse, outcome: Answer | 'hang' | 'reset') => {
  if (outcome === 'hang') {
    return
  }
  if (outcome === 'reset') {
    res.socket?.destroy()
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
