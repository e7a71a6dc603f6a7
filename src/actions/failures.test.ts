import { RuntimeError, z } from '@botpress/sdk'
import { describe, expect, it } from 'vitest'
import { UpstreamError } from '../botpress/upstream-errors'
import { asRuntimeError, parseInput } from './failures'

describe('parseInput', () => {
  const schema = z.object({ user: z.object({ userId: z.string().min(1) }), name: z.string().optional() })

  it('returns the parsed input', () => {
    expect(parseInput(schema, { user: { userId: 'u' } }, 'Get or Create User')).toEqual({ user: { userId: 'u' } })
  })

  it('names every offending field in one RuntimeError', () => {
    const call = () => parseInput(schema, { user: { userId: '' }, name: 3 }, 'Get or Create User')
    expect(call).toThrow(RuntimeError)
    expect(call).toThrow(/^Invalid input of Get or Create User: user\.userId: .*; name: Expected string/)
  })
})

describe('asRuntimeError', () => {
  it('keeps a RuntimeError, and words the others itself', () => {
    const runtime = new RuntimeError('as is')
    expect(asRuntimeError(runtime, 'Start Conversation')).toBe(runtime)
    expect(asRuntimeError(new UpstreamError('no answer in time'), 'Start Conversation').message).toBe(
      'Start Conversation failed: no answer in time'
    )
  })

  it('never repeats the message of an unexpected error, which could quote any value', () => {
    const error = asRuntimeError(new TypeError('token bp_pat_secret is bad'), 'Start Conversation')
    expect(error).toBeInstanceOf(RuntimeError)
    expect(error.message).toBe('Start Conversation failed: unexpected TypeError')
  })

  it('never repeats the name of an unexpected error either, which any code can set', () => {
    const secret = 'bp_pat_secret'
    for (const thrown of [Object.assign(new Error(secret), { name: secret }), { name: secret, message: secret }]) {
      expect(asRuntimeError(thrown, 'Start Conversation').message).not.toContain(secret)
    }
  })
})
