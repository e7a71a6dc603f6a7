import { describe, expect, it } from 'vitest'
import { send, textMessage } from '../helpers/caller'
import { storeSnapshot, useRuntime } from '../helpers/harness'
import { pull } from '../helpers/pull'

// What the pull route refuses, and how Botpress failures reach its caller.
const harness = useRuntime()

const post = (body: unknown, path = '') =>
  send(harness.runtime, { body, path, token: harness.runtime.personalAccessToken })

const snapshot = () => storeSnapshot(harness.runtime)

describe('invalid queries', () => {
  it('answers 400 invalid_query naming the parameter', async () => {
    const body = textMessage()
    const posted = await post(body)
    const other = await post(textMessage())
    const cursor: string = posted.body.cursor
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ limit: '0' }, ['limit']],
      [{ limit: '101' }, ['limit']],
      [{ limit: '2.5' }, ['limit']],
      [{ limit: 'ten' }, ['limit']],
      [{ wait: '9' }, ['wait']],
      [{ wait: '-1' }, ['wait']],
      [{ wait: 'soon' }, ['wait']],
      [{ after: '' }, ['after']],
      [{ after: 'forged' }, ['after']],
      [{ after: cursor.slice(0, -3) }, ['after']],
      [{ after: `${cursor.slice(0, 4)}${cursor[4] === 'x' ? 'y' : 'x'}${cursor.slice(5)}` }, ['after']],
      [{ after: other.body.cursor }, ['after']],
      [{ limit: '0', wait: '10' }, ['wait', 'limit']],
    ]
    for (const [query, paths] of cases) {
      const response = await pull(harness.runtime, body.conversationId, query)
      expect(response.status, JSON.stringify(query)).toBe(400)
      expect(response.body.code).toBe('invalid_query')
      expect(response.body.issues.map((issue: { path: string }) => issue.path)).toEqual(paths)
    }
  })

  it('refuses an invalid wait on POST, before storing anything', async () => {
    const before = snapshot()
    for (const wait of ['9', 'x', '-2', '']) {
      const response = await post(textMessage(), `?wait=${wait}`)
      expect(response.status).toBe(400)
      expect(response.body).toMatchObject({ code: 'invalid_query', issues: [{ path: 'wait' }] })
    }
    expect(snapshot()).toEqual(before)
  })
})

describe('routes and authentication', () => {
  it('answers 405 with Allow: GET on the pull path, 404 beside it, and keeps POST only on the root', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await send(harness.runtime, { method, path: '/conversations/c/messages', body: {} })
      expect(response.status).toBe(405)
      expect(response.headers.get('allow')).toBe('GET')
    }
    for (const path of ['/conversations/c/', '/conversations/c/messages/x', '/conversations//messages', '/messages']) {
      expect((await send(harness.runtime, { method: 'GET', path })).status).toBe(404)
    }
    const root = await send(harness.runtime, { method: 'GET' })
    expect(root.status).toBe(405)
    expect(root.headers.get('allow')).toBe('POST')
  })

  it('refuses a missing or wrong token as POST does, before any Botpress call', async () => {
    const body = textMessage()
    await post(body)
    await harness.runtime.idle()
    harness.runtime.clearApiCalls()
    const missing = await pull(harness.runtime, body.conversationId, {}, null)
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toBe('Bearer')
    expect(harness.runtime.apiCalls).toEqual([])
    const malformed = await send(harness.runtime, {
      method: 'GET',
      path: `/conversations/${body.conversationId}/messages`,
      headers: { authorization: 'Basic abc' },
    })
    expect(malformed.status).toBe(401)
    expect(harness.runtime.apiCalls).toEqual([])
    const refused = await pull(harness.runtime, body.conversationId, {}, 'bp_pat_not-a-real-token')
    expect(refused.status).toBe(401)
    expect(refused.body.code).toBe('unauthorized')
    expect(refused.text).not.toContain('bp_pat_not-a-real-token')
  })

  it('takes the webhook secret when one is configured', async () => {
    const body = textMessage()
    await post(body)
    await harness.runtime.idle()
    await harness.runtime.configure({ responseEndpointURL: harness.endpoint.url, webhookSecret: 'pull-secret-1' })
    try {
      harness.runtime.clearApiCalls()
      expect((await pull(harness.runtime, body.conversationId, {}, 'wrong-secret')).status).toBe(401)
      expect(harness.runtime.apiCalls).toEqual([])
      const allowed = await pull(harness.runtime, body.conversationId, {}, 'pull-secret-1')
      expect(allowed.status).toBe(200)
      expect(harness.runtime.apiCalls.every((call) => call.credential === 'integration')).toBe(true)
    } finally {
      await harness.runtime.configure({ responseEndpointURL: harness.endpoint.url })
    }
  })
})

describe('Botpress failing a pull', () => {
  it('is a 502 upstream_error, a Botpress 400 included (the query was checked before), told to the bot owner', async () => {
    const body = textMessage()
    await post(body)
    await harness.runtime.idle()
    for (const status of [400, 500, 503]) {
      harness.runtime.setFault((call) => (call.route === 'listMessages' ? { status } : undefined))
      const logStart = harness.runtime.integrationLogs.length
      const response = await pull(harness.runtime, body.conversationId)
      expect(response.status).toBe(502)
      expect(response.body.code).toBe('upstream_error')
      await expect
        .poll(() => harness.runtime.integrationLogs.slice(logStart).join('\n'))
        .toContain('failed on a pull of messages')
    }
  })
})
