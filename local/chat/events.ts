import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Delivery, StoredMessage, ViewerRequest } from '../index'
import { summaryOfStored } from './conversations'

/** What the built-in endpoint received, as the page's inspector shows it */
export type EndpointEvent = {
  headers: Record<string, string>
  body: unknown
  /** undefined: no signing secret, so nothing to verify */
  signatureValid?: boolean
  receivedAt: number
}

const headersOf = (headers: ViewerRequest['headers']) =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, Array.isArray(value) ? value.join(', ') : value]]
    )
  )

/**
 * Server-sent events to every open page: each request the built-in endpoint received (`endpoint`), the outcome of
 * each message delivery (`delivery`: attempts, status) and each message Botpress stored (`conversation`: the summary
 * it makes of its conversation, in every mode). Nothing is kept: a page sees what happens while it is open.
 */
export const createEventStream = () => {
  const clients = new Set<ServerResponse>()

  const send = (name: string, data: unknown) => {
    const chunk = `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`
    for (const client of clients) client.write(chunk)
  }

  const subscribe = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
    // The comment makes the browser fire `open` at once; retry: reconnect quickly after a restart
    res.write('retry: 1000\n: open\n\n')
    clients.add(res)
    // Keeps idle proxies and the browser from dropping a quiet stream
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000)
    req.once('close', () => {
      clearInterval(ping)
      clients.delete(res)
    })
  }

  return {
    subscribe,
    endpointRequest: (request: ViewerRequest) =>
      send('endpoint', {
        headers: headersOf(request.headers),
        body: request.body,
        signatureValid: request.signatureValid,
        receivedAt: request.receivedAt,
      } satisfies EndpointEvent),
    delivery: (delivery: Delivery) => send('delivery', delivery),
    messageStored: (stored: StoredMessage) => {
      const summary = summaryOfStored(stored)
      if (summary) send('conversation', summary)
    },
  }
}

export type EventStream = ReturnType<typeof createEventStream>
