import { describe, expect, it } from 'vitest'
import { assertWebhookSecret, readBearerToken, secretsMatch } from './auth'
import { WebhookError } from './responses'

const codeOf = (run: () => unknown) => {
  try {
    run()
  } catch (thrown) {
    return thrown instanceof WebhookError ? { code: thrown.code, headers: thrown.options.headers } : 'other'
  }
  return undefined
}

describe('readBearerToken', () => {
  it('reads the token whatever the scheme case', () => {
    expect(readBearerToken('Bearer abc.def')).toBe('abc.def')
    expect(readBearerToken('bearer abc')).toBe('abc')
    expect(readBearerToken('BEARER   abc  ')).toBe('abc')
  })

  it('answers 401 with a Bearer challenge when missing or malformed', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Basic abc',
      'Bearer a b',
      'Token abc',
      'Bearer\u00e9x',
    ]) {
      expect(codeOf(() => readBearerToken(header))).toEqual({
        code: 'unauthorized',
        headers: { 'www-authenticate': 'Bearer' },
      })
    }
  })
})

describe('webhook secret', () => {
  it('matches only the exact secret', () => {
    expect(secretsMatch('s3cret', 's3cret')).toBe(true)
    expect(secretsMatch('s3cre', 's3cret')).toBe(false)
    expect(secretsMatch('s3cret!', 's3cret')).toBe(false)
    expect(secretsMatch('', 's3cret')).toBe(false)
  })

  it('rejects a wrong token with 401 and does not echo either value', () => {
    try {
      assertWebhookSecret('guess-123', 'real-secret-456')
      expect.unreachable()
    } catch (thrown) {
      expect(thrown).toBeInstanceOf(WebhookError)
      const body = (thrown as WebhookError).toResponse().body ?? ''
      expect((thrown as WebhookError).status).toBe(401)
      expect(body).not.toContain('guess-123')
      expect(body).not.toContain('real-secret-456')
    }
  })
})
