import { describe, expect, it } from 'vitest'
import { webhookRequest } from './request.fixture'
import { headerValue, maxBodyBytes, parseJsonObject } from './request-gate'
import { WebhookError } from './responses'

const request = webhookRequest

const failure = (run: () => unknown) => {
  try {
    run()
  } catch (thrown) {
    if (thrown instanceof WebhookError) {
      return thrown.toResponse()
    }
    throw thrown
  }
  return undefined
}

describe('parseJsonObject', () => {
  const codeOf = (body: string | undefined) => JSON.parse(failure(() => parseJsonObject(body))?.body ?? '{}').code

  it('parses one JSON object', () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 })
  })

  it('answers invalid_json for an empty or broken body, without quoting it', () => {
    expect(codeOf(undefined)).toBe('invalid_json')
    expect(codeOf('   ')).toBe('invalid_json')
    expect(codeOf('{"a":')).toBe('invalid_json')
    expect(failure(() => parseJsonObject('secret-token-xyz'))?.body).not.toContain('secret-token-xyz')
  })

  it('answers invalid_body for JSON that is not an object', () => {
    for (const body of ['[]', 'null', '"text"', '42', 'true']) {
      expect(codeOf(body)).toBe('invalid_body')
    }
  })

  it('answers 413 past 256 KiB, counted in bytes', () => {
    const fits = JSON.stringify({ text: 'x'.repeat(maxBodyBytes - 20) })
    expect(Buffer.byteLength(fits)).toBeLessThanOrEqual(maxBodyBytes)
    expect(parseJsonObject(fits)).toBeTruthy()
    expect(failure(() => parseJsonObject('x'.repeat(maxBodyBytes + 1)))?.status).toBe(413)
    // 'é' is one JavaScript unit but two bytes.
    expect(failure(() => parseJsonObject('é'.repeat(maxBodyBytes / 2 + 1)))?.status).toBe(413)
  })
})

describe('headerValue', () => {
  it('finds a header whatever its case', () => {
    expect(headerValue(request({ headers: { Authorization: 'Bearer x' } }), 'authorization')).toBe('Bearer x')
    expect(headerValue(request({ headers: { authorization: 'Bearer y' } }), 'authorization')).toBe('Bearer y')
  })
})
