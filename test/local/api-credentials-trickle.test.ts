import { randomUUID } from 'node:crypto'
import { request } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { startApiServer, type ApiServer } from '../../local/api/server'

// Two runtime features the integration's tests lean on: which credential each API call carried, and a body that
// trickles in one byte at a time after a prompt status line.
const BOT = randomUUID()
const INTEGRATION_TOKEN = 'bp_int_token'
const PAT = 'bp_pat_token'

let api: ApiServer
beforeAll(async () => {
  api = await startApiServer({
    integrationName: 'messaging-api',
    declaredTags: { user: ['id'], channels: { channel: { conversation: ['id'], message: ['id', 'conversationId'] } } },
    tokens: { [INTEGRATION_TOKEN]: BOT, [PAT]: BOT },
    integrationTokens: [INTEGRATION_TOKEN],
  })
})
afterAll(() => api.close())
beforeEach(() => {
  api.setFault(undefined)
  api.calls.splice(0)
})

const getOrCreateUser = (authorization?: string) =>
  fetch(`${api.url}/v1/chat/users/get-or-create`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-bot-id': BOT,
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: JSON.stringify({ tags: { id: 'u-credential' } }),
  })

describe('credential', () => {
  it('records integration token, Personal Access Token, none or unknown, and never the token', async () => {
    api.addToken('bp_pat_added', BOT)
    const cases = [
      [`Bearer ${INTEGRATION_TOKEN}`, 'integration', 200],
      [`bearer ${PAT}`, 'personal-access-token', 200],
      ['Bearer bp_pat_added', 'personal-access-token', 200],
      [undefined, 'none', 401],
      ['Bearer not-a-token', 'unknown', 401],
      [`Basic ${INTEGRATION_TOKEN}`, 'unknown', 401],
    ] as const
    for (const [authorization, credential, status] of cases) {
      const response = await getOrCreateUser(authorization)
      expect(response.status, String(authorization)).toBe(status)
      await response.text()
      expect(api.calls.at(-1)!.credential, String(authorization)).toBe(credential)
    }
    const recorded = JSON.stringify(api.calls)
    for (const token of [INTEGRATION_TOKEN, PAT, 'bp_pat_added']) expect(recorded).not.toContain(token)
  })
})

describe('trickleMs', () => {
  it('sends status and headers at once, then the real body one byte per interval', async () => {
    api.setFault(() => ({ trickleMs: 20 }))
    const startedAt = Date.now()
    const response = await getOrCreateUser(`Bearer ${INTEGRATION_TOKEN}`)
    const headersAfterMs = Date.now() - startedAt
    expect(response.status).toBe(200)
    const text = await response.text()
    const bodyAfterMs = Date.now() - startedAt
    expect(JSON.parse(text).user.tags).toEqual({ id: 'u-credential' })
    // The body's bytes are 20 ms apart (a lower bound that holds however loaded the machine); the headers came at
    // once, long before the body could have ended
    const trickledMs = (Buffer.byteLength(text) - 1) * 20
    expect(bodyAfterMs).toBeGreaterThanOrEqual(trickledMs - 50)
    expect(headersAfterMs).toBeLessThan(trickledMs / 2)
    // The call is recorded when the server side closes, a moment after the client read the last byte
    await vi.waitFor(() =>
      expect(api.calls.at(-1)).toMatchObject({ route: 'getOrCreateUser', status: 200, faulted: true })
    )
  })

  it('trickles a fault body too, and stops writing when the client goes away', async () => {
    api.setFault(() => ({ status: 503, body: 'unavailable', trickleMs: 200 }))
    const chunks: string[] = []
    await new Promise<void>((resolve, reject) => {
      const req = request(`${api.url}/v1/chat/users/x`, { headers: { 'x-bot-id': BOT } }, (res) => {
        expect(res.statusCode).toBe(503)
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk.toString())
          if (chunks.length === 2) req.destroy()
        })
        res.on('close', resolve)
      })
      req.on('error', reject)
      req.end()
    })
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(chunks.join('')).toBe('un')
    // Recorded when the server side sees the client gone, which a loaded machine may delay
    await vi.waitFor(() => expect(api.calls.at(-1)).toMatchObject({ status: 503, faulted: true }), { timeout: 5_000 })
  })
})
