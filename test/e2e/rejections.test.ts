import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { send, textMessage, type CallerResponse } from '../helpers/caller'
import { useRuntime } from '../helpers/harness'

const harness = useRuntime()

const snapshot = () => ({
  users: harness.runtime.store.users().length,
  conversations: harness.runtime.store.conversations().length,
  messages: harness.runtime.store.messages().length,
})

/** Sends, then checks the documented error and that nothing was created (and, unless upstream, nothing asked). */
const expectRejected = async (
  request: () => Promise<CallerResponse>,
  expected: { status: number; code: string; apiCalls?: 'none' | 'some'; created?: 'nothing' | 'no message' }
) => {
  const before = snapshot()
  const response = await request()
  expect(response.status).toBe(expected.status)
  expect(response.headers.get('content-type')).toContain('application/json')
  expect(response.body).toMatchObject({ code: expected.code, message: expect.any(String) })
  if (expected.created === 'no message') {
    expect(snapshot().messages).toEqual(before.messages)
  } else {
    expect(snapshot()).toEqual(before)
  }
  if ((expected.apiCalls ?? 'none') === 'none') {
    expect(harness.runtime.apiCalls).toEqual([])
  }
  await harness.runtime.idle()
  expect(harness.endpoint.received).toEqual([])
  return response
}

describe('route', () => {
  it('answers 405 with Allow: POST for other methods', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const response = await expectRejected(() => send(harness.runtime, { method, body: textMessage() }), {
        status: 405,
        code: 'method_not_allowed',
      })
      expect(response.headers.get('allow')).toBe('POST')
    }
  })

  it('answers 404 for a sub-path', async () => {
    await expectRejected(
      () =>
        send(harness.runtime, { path: '/messages', body: textMessage(), token: harness.runtime.personalAccessToken }),
      { status: 404, code: 'not_found' }
    )
  })
})

describe('authentication with a Personal Access Token', () => {
  it('answers 401 with a Bearer challenge when the header is missing, without calling Botpress', async () => {
    const response = await expectRejected(() => send(harness.runtime, { body: textMessage(), token: null }), {
      status: 401,
      code: 'unauthorized',
    })
    expect(response.headers.get('www-authenticate')).toBe('Bearer')
  })

  it('answers 401 for a malformed header, before parsing the body', async () => {
    for (const authorization of [
      'Basic dXNlcjpwYXNz',
      'Bearer',
      'Token abc',
      `Bearer ${harness.runtime.personalAccessToken} x`,
    ]) {
      await expectRejected(() => send(harness.runtime, { raw: '{not json', headers: { authorization } }), {
        status: 401,
        code: 'unauthorized',
      })
    }
  })

  it('answers 401 when Botpress refuses the token, and does not echo it', async () => {
    const token = 'bp_pat_not-a-real-token-0123456789'
    const response = await expectRejected(() => send(harness.runtime, { body: textMessage(), token }), {
      status: 401,
      code: 'unauthorized',
      apiCalls: 'some',
    })
    expect(response.text).not.toContain(token)
  })

  it('answers 403 when Botpress forbids the token', async () => {
    harness.runtime.setFault(() => ({ status: 403 }))
    await expectRejected(
      () => send(harness.runtime, { body: textMessage(), token: harness.runtime.personalAccessToken }),
      {
        status: 403,
        code: 'forbidden',
        apiCalls: 'some',
      }
    )
  })

  it('accepts any case of the scheme word and any valid token of the bot', async () => {
    const other = harness.runtime.createPersonalAccessToken()
    const response = await send(harness.runtime, { body: textMessage(), headers: { authorization: `bEaReR ${other}` } })
    expect(response.status).toBe(200)
  })
})

describe('authentication with a webhook secret', () => {
  const webhookSecret = 'whk-secret-7f3a9c21d4e8'

  beforeAll(async () => {
    await harness.runtime.configure({ responseEndpointURL: harness.endpoint.url, webhookSecret })
  })

  afterAll(async () => {
    await harness.runtime.configure({ responseEndpointURL: harness.endpoint.url })
  })

  it("accepts the secret and uses the integration's own access", async () => {
    const response = await send(harness.runtime, { body: textMessage(), token: webhookSecret })
    expect(response.status).toBe(200)
  })

  it('refuses a wrong secret and a Personal Access Token without calling Botpress', async () => {
    for (const token of [`${webhookSecret}x`, webhookSecret.slice(0, -1), harness.runtime.personalAccessToken]) {
      const response = await expectRejected(() => send(harness.runtime, { body: textMessage(), token }), {
        status: 401,
        code: 'unauthorized',
      })
      expect(response.text).not.toContain(webhookSecret)
    }
  })

  it.each([401, 403])(
    "answers 502, not %i, when Botpress refuses the integration's own token: the caller cannot fix that",
    async (status) => {
      harness.runtime.setFault(() => ({ status }))
      await expectRejected(() => send(harness.runtime, { body: textMessage(), token: webhookSecret }), {
        status: 502,
        code: 'upstream_error',
        apiCalls: 'some',
      })
    }
  )
})

describe('body', () => {
  const post = (raw: string | Buffer) => send(harness.runtime, { raw, token: harness.runtime.personalAccessToken })

  it('answers 413 past 256 KiB, even when it is not JSON', async () => {
    await expectRejected(() => post(JSON.stringify(textMessage({ text: 'x'.repeat(256 * 1024) }))), {
      status: 413,
      code: 'payload_too_large',
    })
    await expectRejected(() => post('{'.repeat(256 * 1024 + 1)), { status: 413, code: 'payload_too_large' })
  })

  it('accepts a body of exactly 256 KiB', async () => {
    const body = textMessage({ text: '' })
    const padding = 256 * 1024 - Buffer.byteLength(JSON.stringify(body))
    const response = await post(JSON.stringify({ ...body, text: 'y'.repeat(padding) }))
    expect(response.status).toBe(200)
  })

  it('answers invalid_json for a body that is not JSON or empty', async () => {
    for (const raw of ['', '{"userId":', 'hello', Buffer.from([0xff, 0xfe, 0x00])]) {
      await expectRejected(() => post(raw), { status: 400, code: 'invalid_json' })
    }
  })

  it('answers invalid_body for JSON that is not one object', async () => {
    for (const raw of ['[]', '[{"userId":"u"}]', 'null', '"text"', '12']) {
      await expectRejected(() => post(raw), { status: 400, code: 'invalid_body' })
    }
  })
})

describe('fields', () => {
  const post = (body: unknown) => send(harness.runtime, { body, token: harness.runtime.personalAccessToken })

  it('names every offending field with a dotted path', async () => {
    const response = await expectRejected(
      () =>
        post({
          userId: 42,
          messageId: 'm'.repeat(256),
          type: 'choice',
          payload: { text: 'Pick', options: [{ label: 'A', value: 7 }] },
        }),
      { status: 400, code: 'invalid_body' }
    )
    expect(response.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(
      ['conversationId', 'messageId', 'payload.options.0.value', 'userId'].sort()
    )
    for (const issue of response.body.issues) {
      expect(issue.message).toEqual(expect.any(String))
    }
  })

  it('answers unsupported_type with the list of supported types', async () => {
    const response = await expectRejected(() => post(textMessage({ type: 'markdown' })), {
      status: 400,
      code: 'unsupported_type',
    })
    expect(response.body.message).toContain(
      'text, image, audio, video, file, location, carousel, card, dropdown, choice, bloc'
    )
  })

  it('rejects a payload that does not match its type', async () => {
    const response = await expectRejected(
      () => post(textMessage({ type: 'location', payload: { latitude: 'north' } })),
      {
        status: 400,
        code: 'invalid_body',
      }
    )
    expect(response.body.issues.map((issue: { path: string }) => issue.path)).toEqual(
      expect.arrayContaining(['payload.latitude', 'payload.longitude'])
    )
  })
})

describe('Botpress API failures', () => {
  it('answers 502 upstream_error when Botpress is down, creating nothing', async () => {
    harness.runtime.setFault(() => ({ status: 500 }))
    await expectRejected(
      () => send(harness.runtime, { body: textMessage(), token: harness.runtime.personalAccessToken }),
      {
        status: 502,
        code: 'upstream_error',
        apiCalls: 'some',
      }
    )
  })

  it('answers 502 when the message step fails, and a retry with the same messageId then lands once', async () => {
    const body = textMessage()
    harness.runtime.setFault((call) => (call.route === 'getOrCreateMessage' ? { status: 503 } : undefined))
    await expectRejected(() => send(harness.runtime, { body, token: harness.runtime.personalAccessToken }), {
      status: 502,
      code: 'upstream_error',
      apiCalls: 'some',
      created: 'no message',
    })

    harness.runtime.setFault(undefined)
    const retried = await send(harness.runtime, { body, token: harness.runtime.personalAccessToken })
    expect(retried.status).toBe(200)
    expect(harness.runtime.store.messages().filter((m) => m.tags.id === body.messageId)).toHaveLength(1)
  })

  it.each([
    [400, 'InvalidPayload', 'payload.text is too long'],
    [413, 'PayloadTooLarge', 'payload is too large'],
  ])(
    "answers 400 invalid_body (not 502) with Botpress's reason when Botpress answers %i to a message that passed our checks",
    async (status, type, reason) => {
      harness.runtime.setFault((call) =>
        call.route === 'getOrCreateMessage'
          ? { status, body: { id: 'err_1', code: status, type, message: reason } }
          : undefined
      )
      const response = await expectRejected(
        () => send(harness.runtime, { body: textMessage(), token: harness.runtime.personalAccessToken }),
        { status: 400, code: 'invalid_body', apiCalls: 'some', created: 'no message' }
      )
      expect(response.body.message).toContain(`Botpress rejected the message: ${reason}`)
    }
  )

  it('passes a Botpress 429 on as 429 rate_limited with its Retry-After, without waiting it out', async () => {
    harness.runtime.setFault(() => ({ status: 429, headers: { 'retry-after': '7' } }))
    const startedAt = Date.now()
    const response = await expectRejected(
      () => send(harness.runtime, { body: textMessage(), token: harness.runtime.personalAccessToken }),
      {
        status: 429,
        code: 'rate_limited',
        apiCalls: 'some',
      }
    )
    expect(response.headers.get('retry-after')).toBe('7')
    expect(Date.now() - startedAt).toBeLessThan(7_000)
  })
})
