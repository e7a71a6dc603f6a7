import { describe, expect, it } from 'vitest'
import { parseQuery } from './query'
import { WebhookError } from './responses'

const paths = (raw: string, accepted: Parameters<typeof parseQuery>[1] = ['after', 'limit', 'wait']) => {
  try {
    parseQuery(raw, accepted)
  } catch (thrown) {
    if (thrown instanceof WebhookError && thrown.code === 'invalid_query') {
      return thrown.options.issues?.map((issue) => issue.path)
    }
    throw thrown
  }
  return []
}

describe('parseQuery', () => {
  it('reads after, limit and wait, with their defaults, ignoring unknown parameters', () => {
    expect(parseQuery('', ['after', 'limit', 'wait'])).toEqual({ limit: 50 })
    expect(parseQuery('?after=abc&limit=100&wait=8&x=1', ['after', 'limit', 'wait'])).toEqual({
      after: 'abc',
      limit: 100,
      waitMs: 8_000,
    })
    expect(parseQuery('wait=0.25', ['wait'])).toEqual({ limit: 50, waitMs: 250 })
    expect(parseQuery('wait=0', ['wait']).waitMs).toBe(0)
  })

  it('ignores the parameters a route does not take', () => {
    expect(parseQuery('limit=0&after=', ['wait'])).toEqual({ limit: 50 })
  })

  it('names every invalid parameter', () => {
    for (const raw of ['limit=0', 'limit=101', 'limit=1.5', 'limit=', 'limit=1e2', 'limit=%201']) {
      expect(paths(raw), raw).toEqual(['limit'])
    }
    for (const raw of ['wait=8.001', 'wait=9', 'wait=-1', 'wait=', 'wait=1e0', 'wait=Infinity', 'wait=.5']) {
      expect(paths(raw), raw).toEqual(['wait'])
    }
    expect(paths('after=')).toEqual(['after'])
    expect(paths(`after=${'a'.repeat(20_000)}`)).toEqual(['after'])
    expect(paths('limit=1&limit=2')).toEqual(['limit'])
    expect(paths('wait=99&limit=0&after=')).toEqual(['wait', 'limit', 'after'])
  })
})
