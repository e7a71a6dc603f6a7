import type { IncomingMessage } from 'node:http'
import { ApiError } from './errors'
import { matchRoute } from './routes'
import { requestBodyValidator } from './schemas'
import type { Store } from './store'

export const bearer = (header: string | undefined) => /^bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1]

/**
 * Everything from the request line to the handler's answer: route, then token, then bot, then body, so that the
 * first refusal wins. Returns [status, body]; a refusal is thrown as an ApiError.
 */
export const createDispatcher =
  (store: Store, tokens: Map<string, string>) =>
  (req: IncomingMessage, url: URL, raw: string, botId: string | undefined): [number, unknown] => {
    const match = matchRoute(req.method ?? 'GET', url.pathname)
    if (match === undefined) throw new ApiError('ResourceNotFound', `No route ${req.method} ${url.pathname}`)
    if (match === null) throw new ApiError('MethodNotFound', `Method ${req.method} not allowed on ${url.pathname}`)

    const tokenBot = tokens.get(bearer(req.headers.authorization) ?? '')
    if (!tokenBot) throw new ApiError('Unauthorized', 'Invalid or missing bearer token')
    if (!botId) throw new ApiError('InvalidPayload', 'Missing required header "x-bot-id"')
    if (tokenBot !== botId) throw new ApiError('Forbidden', `This token has no access to bot "${botId}"`)

    const validator = requestBodyValidator(match.route.name)
    let body: unknown
    if (validator) {
      try {
        body = raw ? JSON.parse(raw) : {}
      } catch {
        throw new ApiError('InvalidPayload', 'The request body is not valid JSON')
      }
      if (!validator.validate(body)) throw new ApiError('InvalidPayload', validator.errors())
    }
    const result = match.route.handle(store, { botId, params: match.params, query: url.searchParams, body })
    return [200, result]
  }
