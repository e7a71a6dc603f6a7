import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http'
import type { OperationResult } from './operations'

export type WebhookRequest = {
  method: string
  path: string
  query: string
  headers: Record<string, string>
  body?: string
}

// Hop-by-hop headers belong to each connection, not to the relayed response
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date'])

const readRequest = async (req: IncomingMessage, subPath: string, search: string): Promise<WebhookRequest> => {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks).toString('utf8')
  const headers: Record<string, string> = {}
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers[req.rawHeaders[i]!.toLowerCase()] = req.rawHeaders[i + 1]!
  }
  return {
    method: req.method ?? 'GET',
    path: subPath || '/',
    query: search.replace(/^\?/, ''),
    headers,
    body: body || undefined,
  }
}

/**
 * Botpress Cloud's webhook front door: `/webhooks/<webhookId>[/sub/path]`, any method, forwarded to the integration
 * as `webhook_received`, and the integration's answer relayed verbatim. Other paths go to `other()` when it gives a
 * handler (npm start's chat page), else 404.
 */
export const createWebhookServer = (
  webhookId: string,
  forward: (req: WebhookRequest) => Promise<OperationResult>,
  other: () => RequestListener | undefined = () => undefined
) =>
  createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const prefix = `/webhooks/${webhookId}`
    if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) {
      const handler = other()
      if (handler) return handler(req, res)
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Unknown webhook' }))
      return
    }
    try {
      const result = await forward(await readRequest(req, url.pathname.slice(prefix.length), url.search))
      const headers = Object.entries(result.headers).filter(([name]) => !HOP_BY_HOP.has(name))
      res
        .writeHead(result.status, { ...Object.fromEntries(headers), 'content-length': Buffer.byteLength(result.body) })
        .end(result.body)
    } catch (thrown) {
      const message = `The integration could not be reached: ${thrown instanceof Error ? thrown.message : thrown}`
      res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ message }))
    }
  })

export const listen = (server: Server, port: number) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    })
  })

/** The webhook server listening on 127.0.0.1 (0 = a free port); a taken port is said plainly */
export const startWebhookServer = async (
  webhookId: string,
  forward: (req: WebhookRequest) => Promise<OperationResult>,
  port = 0
) => {
  let other: RequestListener | undefined
  const server = createWebhookServer(webhookId, forward, () => other)
  const bound = await listen(server, port).catch((thrown: NodeJS.ErrnoException) => {
    if (thrown.code !== 'EADDRINUSE') throw thrown
    // The code stays, for npm start to add how to choose another port
    const message = `Port ${port} is already in use on 127.0.0.1: stop what uses it or choose another port`
    throw Object.assign(new Error(message), { code: 'EADDRINUSE' })
  })
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  /** serves the paths outside /webhooks/<id> (undefined: 404 again) */
  const serve = (handler?: RequestListener) => void (other = handler)
  return { port: bound, url: `http://127.0.0.1:${bound}`, close, serve }
}
