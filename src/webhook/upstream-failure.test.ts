import { InvalidPayloadError } from '@botpress/client'
import { describe, expect, it } from 'vitest'
import { UpstreamError } from '../botpress/upstream-errors'
import { upstreamFailure } from './upstream-failure'

describe('upstreamFailure', () => {
  const secret = 'whsec_c2VjcmV0LWluLWFuLWV4Y2VwdGlvbg=='

  it.each([
    ['an Error', new Error(`could not parse ${secret}`)],
    ['a TypeError', new TypeError(`Cannot read properties of undefined (reading '${secret}')`)],
    ['an Error whose name was set', Object.assign(new Error(secret), { name: secret })],
    ['a plain object with a message', { name: secret, message: secret }],
    ['a string', secret],
  ])("keeps the message of %s out of the owner's log and the caller's answer", (_case, thrown) => {
    for (const mode of ['personal-access-token', 'webhook-secret'] as const) {
      const { error, ownerMessage } = upstreamFailure(thrown, mode)
      expect(ownerMessage).toMatch(/^Messaging API could not process an incoming message: unexpected /)
      expect(ownerMessage).not.toContain(secret)
      expect(error.message).not.toContain(secret)
      expect(JSON.stringify(error)).not.toContain(secret)
    }
  })

  it('says which request failed: a pull is not an incoming message', () => {
    const { ownerMessage } = upstreamFailure(new TypeError('x'), 'webhook-secret', 'a pull of messages')
    expect(ownerMessage).toBe('Messaging API could not process a pull of messages: unexpected TypeError')
  })

  it('names the class of an unexpected Error', () => {
    expect(upstreamFailure(new TypeError('x'), 'webhook-secret').ownerMessage).toContain('unexpected TypeError')
  })

  it('names our own UpstreamError, whose message we wrote', () => {
    const { ownerMessage } = upstreamFailure(new UpstreamError('the Botpress API did not answer'), 'webhook-secret')
    expect(ownerMessage).toContain('the Botpress API did not answer')
  })

  it('takes a Botpress 400 on an event, as on a message, for the caller’s invalid_body; never on a pull', () => {
    const refused = new InvalidPayloadError('payload.name: too long')
    for (const [subject, what] of [
      ['an incoming message', 'message'],
      ['an incoming event', 'event'],
    ] as const) {
      const { error } = upstreamFailure(refused, 'webhook-secret', subject)
      expect([error.code, error.message]).toEqual([
        'invalid_body',
        `Botpress rejected the ${what}: payload.name: too long`,
      ])
    }
    expect(upstreamFailure(refused, 'webhook-secret', 'a pull of messages').error.code).toBe('upstream_error')
  })

  it('tells the caller which id makes a retry safe', () => {
    expect(upstreamFailure(new TypeError('x'), 'webhook-secret', 'an incoming event').error.message).toContain(
      'eventId'
    )
    expect(upstreamFailure(new TypeError('x'), 'webhook-secret').error.message).toContain('messageId')
  })
})
