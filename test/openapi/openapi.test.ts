import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { createChecker, type WebhookExchange } from '../helpers/openapi-check'
import { documentPath, generatedSchemas } from '../helpers/openapi-generated'

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'))
const { webhookViolations, deliveryViolations } = createChecker()

const message = { userId: 'user-7', conversationId: 'conv-42', messageId: 'msg-1001', type: 'text', text: 'Hello!' }
const exchange = (status: number, body: unknown, more: Partial<WebhookExchange> = {}): WebhookExchange => ({
  method: 'POST',
  path: '',
  requestBody: JSON.stringify(message),
  status,
  body: JSON.stringify(body),
  ...more,
  headers: { 'content-type': 'application/json', ...(more.headers as Record<string, string>) },
})
const error = (code: string) => ({ code, message: 'A sentence' })

describe('openapi.yaml', () => {
  it('holds the schemas generated from the SDK and Botpress API packages (npm run openapi rewrites them)', () => {
    const { schemas } = parse(readFileSync(documentPath, 'utf8')).components
    for (const [name, schema] of Object.entries(generatedSchemas())) {
      expect(schemas[name], `${name} differs: run npm run openapi`).toEqual(schema)
    }
  })
})

describe('the OpenAPI check of a webhook answer', () => {
  const answer = fixture('send-message-answer.json')

  it('passes the fixture answer, and fails it with a deliberately wrong field', () => {
    expect(webhookViolations(exchange(200, answer))).toEqual([])
    expect(webhookViolations(exchange(200, { ...answer, cursor: 42 }))).toEqual([
      expect.stringMatching(/^POST \/ -> 200 body\/cursor must be string$/),
    ])
  })

  it('fails an undocumented field, a missing object and a reply whose payload is not of its type', () => {
    expect(webhookViolations(exchange(200, { ...answer, botpressId: 'x' }))).toEqual([
      expect.stringContaining('must NOT have additional properties'),
    ])
    const { user: _, ...withoutUser } = answer
    expect(webhookViolations(exchange(200, withoutUser))).toEqual([
      expect.stringContaining("must have required property 'user'"),
    ])
    const replies = [{ ...answer.replies[0], type: 'image' }]
    expect(webhookViolations(exchange(200, { ...answer, replies })).join()).toMatch(/replies\/0\/payload/)
  })

  it('fails an error without its header, with a code of another status, or with an undocumented status', () => {
    expect(webhookViolations(exchange(401, error('unauthorized')))).toEqual([
      expect.stringContaining('header WWW-Authenticate is missing'),
    ])
    expect(
      webhookViolations(exchange(401, error('unauthorized'), { headers: { 'www-authenticate': 'Bearer' } }))
    ).toEqual([])
    expect(webhookViolations(exchange(429, error('rate_limited'), { headers: { 'retry-after': 'soon' } }))).toEqual([
      expect.stringContaining('header Retry-After must be integer'),
    ])
    expect(webhookViolations(exchange(403, error('unauthorized'))).join()).toMatch(/code must be equal to constant/)
    expect(webhookViolations(exchange(500, error('upstream_error')))).toEqual([
      'POST / -> 500: status 500 is not documented',
    ])
    expect(webhookViolations(exchange(400, { ...error('invalid_body'), issues: [{ path: 'userId' }] })).join()).toMatch(
      /issues\/0 must have required property 'message'/
    )
  })

  it('holds other paths to 404 and other methods to 405 with the Allow header of the path', () => {
    expect(webhookViolations(exchange(404, error('not_found'), { path: '/other' }))).toEqual([])
    expect(webhookViolations(exchange(200, answer, { path: '/other' }))).toEqual([
      'POST /other -> 200: an undocumented path must answer 404',
    ])
    const allow = (value: string) => ({ method: 'GET', headers: { allow: value } })
    expect(webhookViolations(exchange(405, error('method_not_allowed'), allow('POST')))).toEqual([])
    expect(webhookViolations(exchange(405, error('method_not_allowed'), allow('GET')))).toEqual([
      'GET / -> 405: Allow is GET, not POST',
    ])
    const path = '/conversations/conv-42/messages'
    expect(webhookViolations(exchange(405, error('method_not_allowed'), { path, headers: { allow: 'GET' } }))).toEqual(
      []
    )
  })

  it('fails a request the server accepted though the document refuses it', () => {
    const accepted = (body: unknown, path = '') =>
      webhookViolations(exchange(200, answer, { requestBody: JSON.stringify(body), path })).join()
    expect(accepted(message)).toBe('')
    expect(
      accepted({ ...message, type: 'choice', payload: { text: null, options: [{ label: 'A', value: 'a' }] } })
    ).toBe('')
    expect(accepted({ ...message, payload: { text: 'Hi', extra: 1 }, extra: true })).toBe('')
    expect(accepted({ ...message, userId: undefined })).toMatch(/accepted a request the document refuses.*userId/)
    // 128 emoji are 256 UTF-16 code units, as the integration counts them: one too many.
    expect(accepted({ ...message, userId: '😀'.repeat(128) })).toMatch(/userId must NOT have more than 255/)
    expect(accepted({ ...message, type: 'image', payload: { title: 'no url' } })).toMatch(/imageUrl/)
    expect(accepted(message, '?wait=9')).toMatch(/parameter wait must be <= 8/)
  })

  it('checks the pull answer and its parameters', () => {
    const page = fixture('message-page.json')
    const get = (path: string, body: unknown) => webhookViolations(exchange(200, body, { method: 'GET', path }))
    expect(get('/conversations/conv%2042/messages?limit=2', page)).toEqual([])
    expect(get('/conversations/conv-42/messages', { ...page, hasMore: 'no' }).join()).toMatch(/hasMore must be boolean/)
    expect(get('/conversations/conv-42/messages?limit=0', page).join()).toMatch(/parameter limit must be >= 1/)
    const outgoing = { ...page.messages[1], direction: 'sideways' }
    expect(get('/conversations/conv-42/messages', { ...page, messages: [outgoing] }).join()).toMatch(/direction/)
  })
})

describe('the OpenAPI check of a delivery', () => {
  const { headers, body } = fixture('delivery.json')
  const delivery = (changes: { headers?: Record<string, string | undefined>; body?: unknown } = {}) =>
    deliveryViolations({
      method: 'POST',
      headers: { ...headers, ...changes.headers },
      rawBody: JSON.stringify(changes.body ?? body),
    })

  it('passes the fixture delivery, and fails it with a deliberately wrong field', () => {
    expect(delivery()).toEqual([])
    expect(delivery({ body: { ...body, conversationId: 42 } }).join()).toMatch(/conversationId must be string,null/)
  })

  it('fails an undocumented field, a missing or malformed Standard Webhooks header, and another content-type', () => {
    expect(delivery({ body: { ...body, botId: 'b' } }).join()).toMatch(/must NOT have unevaluated properties/)
    expect(delivery({ headers: { 'webhook-id': undefined } })).toEqual(['delivery POST: header webhook-id is missing'])
    expect(delivery({ headers: { 'webhook-signature': 'sha256=abc' } }).join()).toMatch(/webhook-signature must match/)
    expect(delivery({ headers: { 'content-type': 'text/plain' } })).toEqual([
      'delivery POST body: content-type text/plain is not application/json',
    ])
    expect(delivery({ body: { ...body, type: 'markdown' } }).join()).toMatch(
      /payload must have required property 'markdown'/
    )
  })
})

describe('the OpenAPI check of a typing delivery', () => {
  const { headers } = fixture('delivery.json')
  const body = {
    type: 'typing',
    payload: { typing: true, timeoutMs: 30_000 },
    conversationId: 'conv-42',
    messageId: 'msg-1001',
    botpressConversationId: 'conv_01JHQ8ZBZ5N7P9Q2R4S6T8V0W1',
    botpressMessageId: 'msg_01JHQ8ZC4K6M8N0P2Q4R6S8T0V',
  }
  const typing = (changes: { headers?: Record<string, string | undefined>; body?: unknown } = {}) =>
    deliveryViolations({
      method: 'POST',
      headers: { ...headers, 'webhook-id': 'typing_0c9d', ...changes.headers },
      rawBody: JSON.stringify(changes.body ?? body),
    })

  it('passes a start, a stop and null ids, against the typing webhook', () => {
    expect(typing()).toEqual([])
    expect(typing({ body: { ...body, payload: { typing: false } } })).toEqual([])
    expect(typing({ body: { ...body, conversationId: null, messageId: null } })).toEqual([])
  })

  it('fails a stop with a timeout, an undocumented field, a missing id field or header', () => {
    expect(typing({ body: { ...body, payload: { typing: false, timeoutMs: 5 } } }).join()).toMatch(/^typing delivery/)
    expect(typing({ body: { ...body, botpressUserId: 'user_1' } }).join()).toMatch(/must NOT have additional/)
    const { messageId: _, ...withoutMessageId } = body
    expect(typing({ body: withoutMessageId }).join()).toMatch(/required property 'messageId'/)
    expect(typing({ headers: { 'webhook-timestamp': undefined } })).toEqual([
      'typing delivery POST: header webhook-timestamp is missing',
    ])
  })
})

describe('the OpenAPI check of POST /events', () => {
  const event = { userId: 'user-7', conversationId: 'conv-42', eventId: 'evt-1', name: 'order.shipped' }
  const answer = {
    event: { id: 'evt_01JHQ8ZC4K6M8N0P2Q4R6S8T0V', name: 'order.shipped', createdAt: '2026-01-01T00:00:00.000Z' },
    conversation: { id: 'conv_01JHQ8ZBZ5N7P9Q2R4S6T8V0W1' },
    user: { id: 'user_01JHQ8ZBZ5N7P9Q2R4S6T8V0W2' },
    cursor: 'AUJ6JFgTmFAAWGrM',
  }
  const post = (status: number, body: unknown, request: unknown = event, path = '/events') =>
    webhookViolations(exchange(status, body, { path, requestBody: JSON.stringify(request) }))

  it('passes an answer, with replies when waiting, and fails an undocumented or missing field', () => {
    expect(post(200, answer)).toEqual([])
    const reply = fixture('send-message-answer.json').replies[0]
    expect(post(200, { ...answer, replies: [reply] }, event, '/events?wait=2')).toEqual([])
    expect(post(200, { ...answer, message: {} }).join()).toMatch(/must NOT have additional properties/)
    const { cursor: _, ...withoutCursor } = answer
    expect(post(200, withoutCursor).join()).toMatch(/required property 'cursor'/)
  })

  it('fails a request the webhook accepted though the document refuses it, and documents 405 and 400', () => {
    expect(post(200, answer, { ...event, name: 'n'.repeat(101) }).join()).toMatch(/accepted a request/)
    expect(post(200, answer, { ...event, payload: [] }).join()).toMatch(/accepted a request/)
    expect(post(400, error('invalid_body'))).toEqual([])
    const get = webhookViolations(
      exchange(405, error('method_not_allowed'), { method: 'GET', path: '/events', headers: { allow: 'POST' } })
    )
    expect(get).toEqual([])
  })
})

describe('the OpenAPI check of an event delivery', () => {
  const { headers } = fixture('delivery.json')
  const body = {
    type: 'event',
    name: 'checkout.open',
    payload: { cart: 'c-1' },
    conversationId: 'conv-42',
    botpressConversationId: 'conv_01JHQ8ZBZ5N7P9Q2R4S6T8V0W1',
    eventId: 'evt_0c9d3a1e-1111-4222-8333-944445555666',
  }
  const delivered = (changes: { headers?: Record<string, string | undefined>; body?: unknown } = {}) =>
    deliveryViolations({
      method: 'POST',
      headers: { ...headers, 'webhook-id': body.eventId, ...changes.headers },
      rawBody: JSON.stringify(changes.body ?? body),
    })

  it('passes an event, with a null conversationId, against the event webhook', () => {
    expect(delivered()).toEqual([])
    expect(delivered({ body: { ...body, conversationId: null } })).toEqual([])
  })

  it('fails an undocumented field, a missing payload, a missing header', () => {
    expect(delivered({ body: { ...body, botpressUserId: 'user_1' } }).join()).toMatch(/^event delivery.*additional/)
    const { payload: _, ...withoutPayload } = body
    expect(delivered({ body: withoutPayload }).join()).toMatch(/required property 'payload'/)
    expect(delivered({ headers: { 'webhook-id': undefined } })).toEqual([
      'event delivery POST: header webhook-id is missing',
    ])
  })
})
