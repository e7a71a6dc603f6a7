import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { BotApiError, type LocalRuntime } from '../index'
import { greet } from '../greet'
import type { PageAssets } from './bundle'
import { listConversations } from './conversations'
import type { EventStream } from './events'
import { createWebhookCaller } from './webhook-caller'

/** How bot messages reach the page: pushed to the built-in endpoint, or pulled (no endpoint, or the user's own) */
export type ChatMode = 'push' | 'pull' | 'own-endpoint'

export type ChatPageOptions = {
  runtime: LocalRuntime
  /** the caller's bearer token: the webhook secret or a Personal Access Token; never sent to the browser */
  token: string
  mode: ChatMode
  signed: boolean
  assets: PageAssets
  events: EventStream
}

const maxBodyBytes = 1024 * 1024

// Everything from this origin: no CDN, no inline script; media and links a bot sends may point anywhere
const securityHeaders = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: http: https:; " +
    "media-src 'self' data: http: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
}

const answer = (res: ServerResponse, status: number, type: string, body: string) =>
  void res.writeHead(status, { ...securityHeaders, 'content-type': type }).end(body)

const json = (res: ServerResponse, status: number, body: unknown) =>
  answer(res, status, 'application/json; charset=utf-8', JSON.stringify(body))

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > maxBodyBytes) return undefined
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * The chat page on npm start's port: the page, its bundle, and the few routes its script calls. Another site open in
 * the same browser must not drive the bot with the token held here: a request whose Host or Origin is not this
 * server is refused, and the POSTs take JSON only (a cross-site JSON POST needs a preflight this server never grants).
 */
export const createChatPage = (options: ChatPageOptions): RequestListener => {
  const { runtime, token, mode, signed, assets, events } = options
  const webhook = createWebhookCaller(runtime.webhookUrl, token)
  const port = new URL(runtime.url).port
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const origins = new Set([...hosts].map((host) => `http://${host}`))

  const post = async (req: IncomingMessage, res: ServerResponse, route: (body: string) => Promise<void>) => {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return json(res, 415, { message: 'The page sends JSON only' })
    }
    const body = await readBody(req)
    if (body === undefined) return json(res, 413, { message: `The page server takes at most ${maxBodyBytes} bytes` })
    await route(body)
  }

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<unknown> | void> = {
    'GET /': (_req, res) => answer(res, 200, 'text/html; charset=utf-8', assets.html),
    'GET /app.js': (_req, res) => answer(res, 200, 'text/javascript; charset=utf-8', assets.js),
    'GET /app.css': (_req, res) => answer(res, 200, 'text/css; charset=utf-8', assets.css),
    'GET /api/config': (_req, res) => json(res, 200, { mode, signed, webhookUrl: runtime.webhookUrl }),
    'GET /api/events': (req, res) => events.subscribe(req, res),
    'GET /api/conversations': (_req, res) => json(res, 200, listConversations(runtime.store)),
    'POST /api/messages': (req, res) => post(req, res, async (body) => json(res, 200, await webhook.post(body))),
    'POST /api/events': (req, res) => post(req, res, async (body) => json(res, 200, await webhook.postEvent(body))),
    'GET /api/pull': async (req, res, url) => {
      const conversationId = url.searchParams.get('conversationId') ?? ''
      // A page that goes away (reload, new conversation) ends its long poll here too
      const abort = new AbortController()
      res.once('close', () => abort.abort())
      json(res, 200, await webhook.pull(conversationId, url.searchParams, abort.signal))
    },
    'POST /api/forget': (req, res) =>
      post(req, res, async (body) => {
        const { conversationId } = JSON.parse(body) as { conversationId?: unknown }
        json(res, 200, await webhook.forget(String(conversationId)))
      }),
    'POST /api/greet': (req, res) =>
      post(req, res, async (body) => {
        const { conversationId } = JSON.parse(body) as { conversationId?: unknown }
        await greet(runtime, String(conversationId), token)
        json(res, 200, { greeted: conversationId })
      }),
  }

  return (req, res) => {
    const origin = req.headers.origin
    if (!hosts.has(req.headers.host ?? '') || (origin !== undefined && !origins.has(origin))) {
      return json(res, 403, { message: 'The chat page answers its own origin only' })
    }
    const url = new URL(req.url ?? '/', 'http://localhost')
    const route = routes[`${req.method} ${url.pathname}`]
    if (!route) return json(res, 404, { message: `No ${req.method} ${url.pathname} here: the chat page is at /` })
    Promise.resolve(route(req, res, url)).catch((thrown: unknown) => {
      if (res.headersSent) return void res.end()
      // A refusal by the integration is said in its words; anything else as a plain sentence, never a stack trace
      const status = thrown instanceof BotApiError ? 400 : 502
      const message = thrown instanceof Error ? thrown.message : String(thrown)
      json(res, status, { message: thrown instanceof SyntaxError ? 'The page sent invalid JSON' : message })
    })
  }
}
