import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ApiError, errorBody, errorBodyForStatus } from './errors'
import { bearer, createDispatcher } from './dispatch'
import { matchRoute, routes } from './routes'
import { warmUp } from './schemas'
import { Store, type StoreOptions } from './store'

export type ApiCall = {
  method: string
  path: string
  /** operationId of the route ('unknown' when none matched) */
  route: string
  /** 0 when the socket was destroyed by a fault */
  status: number
  startedAt: number
  endedAt: number
  botId?: string
  /** which credential the call carried (never the token itself) */
  credential: Credential
  faulted: boolean
}

/** integration token, a Personal Access Token, no Authorization header, or anything else (unknown or malformed) */
export type Credential = 'integration' | 'personal-access-token' | 'none' | 'unknown'

export type FaultCall = { method: string; path: string; route: string; botId?: string; body: string }
export type Fault = {
  status?: number // without a status, the call is only delayed and then handled normally
  body?: unknown
  headers?: Record<string, string>
  delayMs?: number
  destroySocket?: boolean
  /** status and headers at once, then the body (the fault's, or the real answer) one byte every trickleMs ms */
  trickleMs?: number
}
export type FaultHook = (call: FaultCall) => Fault | undefined

export type ApiServerOptions = StoreOptions & {
  /** Bearer tokens accepted, each mapped to the bot it may act for */
  tokens?: Record<string, string>
  /** the integration's own tokens among `tokens`; every other accepted token is a Personal Access Token */
  integrationTokens?: string[]
  latencyMs?: number
  fault?: FaultHook
}

export type ApiServer = {
  url: string
  store: Store
  calls: ApiCall[]
  addToken(token: string, botId: string): void
  setFault(hook?: FaultHook): void
  setLatency(ms: number): void
  close(): Promise<void>
}

const MAX_BODY_BYTES = 10 * 1024 * 1024

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })

/** An in-memory stand-in for the Botpress runtime API (chat routes), on 127.0.0.1 */
export const startApiServer = async (options: ApiServerOptions): Promise<ApiServer> => {
  warmUp(routes.map((route) => route.name))
  const store = new Store(options)
  const tokens = new Map(Object.entries(options.tokens ?? {}))
  const calls: ApiCall[] = []
  const timers = new Set<NodeJS.Timeout>()
  let fault = options.fault
  let latencyMs = options.latencyMs ?? 0

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })

  const credentialOf = (authorization: string | undefined): Credential => {
    if (authorization === undefined) return 'none'
    const token = bearer(authorization)
    if (token === undefined || !tokens.has(token)) return 'unknown'
    return options.integrationTokens?.includes(token) ? 'integration' : 'personal-access-token'
  }

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
    trickleMs = 0
  ) => {
    if (res.destroyed) return
    const text = typeof body === 'string' ? body : JSON.stringify(body)
    if (trickleMs <= 0) {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text)
      return
    }
    const bytes = Buffer.from(text)
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(bytes.length), ...headers })
    res.flushHeaders()
    let sent = 0
    const next = () => {
      if (res.destroyed) return
      if (sent >= bytes.length) return void res.end()
      res.write(bytes.subarray(sent, sent + 1))
      sent += 1
      void sleep(trickleMs).then(next)
    }
    next()
  }

  const dispatch = createDispatcher(store, tokens)

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const botId = req.headers['x-bot-id'] as string | undefined
    const call: ApiCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      route: 'unknown',
      status: 0,
      startedAt: Date.now(),
      endedAt: 0,
      botId,
      credential: credentialOf(req.headers.authorization),
      faulted: false,
    }
    calls.push(call)
    res.on('close', () => {
      call.status = res.headersSent ? res.statusCode : 0
      call.endedAt = Date.now()
    })
    try {
      call.route = matchRoute(call.method, call.path)?.route.name ?? 'unknown'
    } catch {}

    const raw = await readBody(req)
    const injected = fault?.({ method: call.method, path: call.path, route: call.route, botId, body: raw })
    const delayMs = latencyMs + (injected?.delayMs ?? 0)
    if (delayMs > 0) await sleep(delayMs)
    if (injected?.destroySocket) {
      call.faulted = true
      res.destroy()
      return
    }
    const trickleMs = injected?.trickleMs ?? 0
    if (injected?.status || trickleMs > 0) call.faulted = true
    if (injected?.status) {
      send(res, injected.status, injected.body ?? errorBodyForStatus(injected.status), injected.headers, trickleMs)
      return
    }
    if (Buffer.byteLength(raw) > MAX_BODY_BYTES) {
      send(res, 413, errorBody('PayloadTooLarge', 'The request payload is too large'), {}, trickleMs)
      return
    }
    try {
      const [status, body] = dispatch(req, url, raw, botId)
      send(res, status, body, {}, trickleMs)
    } catch (thrown) {
      const error = thrown instanceof ApiError ? thrown : new ApiError('Internal', String(thrown))
      send(res, error.status, errorBody(error.type, error.message), {}, trickleMs)
    }
  }

  const server = createServer((req, res) => void handle(req, res))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    store,
    calls,
    addToken: (token, botId) => void tokens.set(token, botId),
    setFault: (hook) => void (fault = hook),
    setLatency: (ms) => void (latencyMs = ms),
    close: async () => {
      timers.forEach(clearTimeout)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
