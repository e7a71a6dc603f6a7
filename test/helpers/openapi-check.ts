// Checks what the tests send and receive against openapi.yaml, so that the wire format cannot drift from it: the
// caller (caller.ts, raw-request.ts) checks each answer of the webhook, the endpoint (endpoint.ts) each delivery.
import {
  loadDocument,
  type Content,
  type HeaderBag,
  type Operation,
  type Response,
  type Schema,
} from './openapi-document'

/** One request to the webhook and its answer; `path` is relative to the webhook URL, query included. */
export type WebhookExchange = {
  method: string
  path: string
  requestBody?: string | Buffer
  status: number
  headers: HeaderBag
  body: string
}

/** One request as the Response Endpoint received it. */
export type DeliveryReceived = { method: string; headers: HeaderBag; rawBody: string }

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

export type Checker = ReturnType<typeof createChecker>

export const createChecker = (file?: string) => {
  const { document, validate, resolve } = loadDocument(file)
  const header = (headers: HeaderBag, name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined
    const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase())
    const value = key === undefined ? undefined : headers[key]
    return Array.isArray(value) ? value.join(', ') : value
  }

  // Header and query values are strings; a numeric schema reads them as numbers, as a client would.
  const coerce = (schema: Schema, value: string) => {
    const type = (resolve(schema) as Schema).type
    return (type === 'integer' || type === 'number') && value.trim() !== '' && !isNaN(Number(value))
      ? Number(value)
      : value
  }

  const jsonBody = (content: Content, contentType: string | undefined, raw: string, what: string): string[] => {
    const schema = content['application/json']?.schema
    if (!schema) return []
    if (!contentType?.toLowerCase().startsWith('application/json')) {
      return [`${what}: content-type ${contentType} is not application/json`]
    }
    try {
      return validate(schema, JSON.parse(raw), what)
    } catch {
      return [`${what}: not JSON: ${raw.slice(0, 200)}`]
    }
  }

  const answerViolations = (response: Response, exchange: WebhookExchange, what: string): string[] => {
    const found = Object.entries(response.headers ?? {}).flatMap(([name, { required, schema }]) => {
      const value = header(exchange.headers, name)
      if (value === undefined) return required ? [`${what}: header ${name} is missing`] : []
      return validate(schema, coerce(schema, value), `${what} header ${name}`)
    })
    const content = exchange.method.toUpperCase() === 'HEAD' || !response.content ? {} : response.content
    return [...found, ...jsonBody(content, header(exchange.headers, 'content-type'), exchange.body, `${what} body`)]
  }

  const decodes = (segment: string) => {
    try {
      decodeURIComponent(segment)
      return true
    } catch {
      return false
    }
  }

  const route = (path: string) => {
    for (const [template, item] of Object.entries(document.paths)) {
      const names: string[] = []
      const pattern = template.replace(/\{([^}]+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))
      const match = new RegExp(`^${pattern}$`).exec(path === '' ? '/' : path)
      // A segment that is not valid percent-encoding names nothing: the webhook answers 404 whatever the method
      if (match && match.slice(1).every(decodes)) {
        return { template, item, params: Object.fromEntries(names.map((name, i) => [name, match[i + 1]!])) }
      }
    }
    return undefined
  }

  /** What the document says is wrong with the request: only matters when the server accepted it. */
  const requestViolations = (
    operation: Operation,
    exchange: WebhookExchange,
    query: URLSearchParams,
    params: Record<string, string>
  ) => {
    const parameters = (operation.parameters ?? []).map(resolve).flatMap(({ name, in: where, required, schema }) => {
      const raw = where === 'query' ? (query.get(name) ?? undefined) : where === 'path' ? params[name] : undefined
      if (raw === undefined) return required ? [`parameter ${name} is missing`] : []
      let value: string
      try {
        value = where === 'path' ? decodeURIComponent(raw) : raw
      } catch {
        return [`parameter ${name} is not percent-encoded`]
      }
      return validate(schema, coerce(schema, value), `parameter ${name}`)
    })
    const body = operation.requestBody
      ? jsonBody(operation.requestBody.content, 'application/json', String(exchange.requestBody ?? ''), 'request body')
      : []
    return [...parameters, ...body]
  }

  /** Every way the exchange departs from the document; empty when it fits. */
  const webhookViolations = (exchange: WebhookExchange): string[] => {
    const method = exchange.method.toLowerCase()
    const queryAt = exchange.path.indexOf('?')
    const path = queryAt < 0 ? exchange.path : exchange.path.slice(0, queryAt)
    const search = queryAt < 0 ? '' : exchange.path.slice(queryAt + 1)
    const where = `${method.toUpperCase()} ${exchange.path || '/'} -> ${exchange.status}`
    const found = route(path)
    const responses = document.components as { responses: Record<string, Response> }
    if (!found) {
      return exchange.status === 404
        ? answerViolations(responses.responses.NotFound!, exchange, where)
        : [`${where}: an undocumented path must answer 404`]
    }
    const operation = found.item[method]
    if (!operation) {
      const allow = Object.keys(found.item)
        .filter((key) => httpMethods.includes(key))
        .map((key) => key.toUpperCase())
      const allowed = header(exchange.headers, 'allow')
      return exchange.status !== 405
        ? [`${where}: an undocumented method must answer 405`]
        : [
            ...answerViolations(responses.responses.MethodNotAllowed!, exchange, where),
            ...(allowed === allow.join(', ') ? [] : [`${where}: Allow is ${allowed}, not ${allow.join(', ')}`]),
          ]
    }
    const status = String(exchange.status)
    const response = operation.responses[status] ?? operation.responses[`${status[0]}XX`] ?? operation.responses.default
    if (!response) return [`${where}: status ${status} is not documented`]
    const violations = answerViolations(resolve(response), exchange, where)
    if (exchange.status >= 200 && exchange.status < 300) {
      const invalid = requestViolations(operation, exchange, new URLSearchParams(search), found.params)
      violations.push(...invalid.map((problem) => `${where}: accepted a request the document refuses: ${problem}`))
    }
    return violations
  }

  /** A typing indicator is checked against the `typing` webhook, a bot's event against `event`, anything else
   * against `botMessage`. */
  const webhookOf = (rawBody: string) => {
    try {
      const type = (JSON.parse(rawBody) as { type?: unknown } | null)?.type
      return type === 'typing' || type === 'event' ? type : 'botMessage'
    } catch {
      return 'botMessage'
    }
  }

  /** Every way a delivery departs from the document's `botMessage` (or `typing`, or `event`) webhook. */
  const deliveryViolations = (delivery: DeliveryReceived): string[] => {
    const name = webhookOf(delivery.rawBody)
    const operation = document.webhooks[name]!.post!
    const where = `${name === 'botMessage' ? 'delivery' : `${name} delivery`} ${delivery.method}`
    if (delivery.method.toUpperCase() !== 'POST') return [`${where}: not a POST`]
    const headers = (operation.parameters ?? []).map(resolve).flatMap(({ name, required, schema }) => {
      const value = header(delivery.headers, name)
      if (value === undefined) return required ? [`${where}: header ${name} is missing`] : []
      return validate(schema, value, `${where} header ${name}`)
    })
    const contentType = header(delivery.headers, 'content-type')
    return [...headers, ...jsonBody(operation.requestBody!.content, contentType, delivery.rawBody, `${where} body`)]
  }

  return { webhookViolations, deliveryViolations }
}

let shared: Checker | undefined
const checker = () => (shared ??= createChecker())

const fail = (violations: string[]) => {
  if (violations.length > 0) {
    throw new Error(`Not as openapi.yaml says:\n${violations.join('\n')}`)
  }
}

/** Throws when the webhook's answer (or a request it accepted) is not as openapi.yaml says. */
export const assertWebhookExchange = (exchange: WebhookExchange) => fail(checker().webhookViolations(exchange))

/** The delivery's departures from openapi.yaml (endpoint.ts collects them and fails the test). */
export const deliveryViolations = (delivery: DeliveryReceived) => checker().deliveryViolations(delivery)

/** The path after the local runtime's webhook URL (`/webhooks/<id>`), or undefined for another URL. */
export const webhookPath = (url: string): string | undefined =>
  /^https?:\/\/[^/]+\/webhooks\/[^/?]+(.*)$/.exec(url)?.[1]
