import { describe, expect, it } from 'vitest'
import { parseInboundEvent } from './inbound-event'
import { WebhookError } from './responses'

const valid = { userId: 'u-1', conversationId: 'c-1', eventId: 'e-1', name: 'order.shipped' }

const issuePaths = (body: Record<string, unknown>) => {
  try {
    parseInboundEvent(body)
  } catch (thrown) {
    if (thrown instanceof WebhookError && thrown.code === 'invalid_body') {
      return thrown.options.issues?.map((issue) => issue.path)
    }
    throw thrown
  }
  throw new Error('expected a rejection')
}

describe('parseInboundEvent', () => {
  it('takes the ids, the name and the payload ({} when absent or null), and the profile', () => {
    expect(parseInboundEvent(valid)).toEqual({ ...valid, payload: {}, profile: {} })
    expect(parseInboundEvent({ ...valid, payload: null, extra: 1 })).toEqual({ ...valid, payload: {}, profile: {} })
    const payload = { order: 'o-42', lines: [{ sku: 'a' }] }
    const profile = { userName: 'Ada', userPictureUrl: 'https://example.com/ada.png' }
    expect(parseInboundEvent({ ...valid, payload, ...profile })).toEqual({
      ...valid,
      payload,
      profile: { name: 'Ada', pictureUrl: 'https://example.com/ada.png' },
    })
  })

  it('names every offending field: ids, name (1..100), payload, profile', () => {
    expect(issuePaths({})).toEqual(['userId', 'conversationId', 'eventId', 'name'])
    expect(issuePaths({ ...valid, eventId: '', name: '' })).toEqual(['eventId', 'name'])
    expect(issuePaths({ ...valid, eventId: 'e'.repeat(256), name: 'n'.repeat(101) })).toEqual(['eventId', 'name'])
    expect(issuePaths({ ...valid, name: 7, conversationId: 3 })).toEqual(['conversationId', 'name'])
    for (const payload of ['x', 1, [], true]) {
      expect(issuePaths({ ...valid, payload })).toEqual(['payload'])
    }
    expect(issuePaths({ ...valid, userName: '', userPictureUrl: 'ftp://a' })).toEqual(['userName', 'userPictureUrl'])
    expect(parseInboundEvent({ ...valid, name: 'n'.repeat(100) }).name).toHaveLength(100)
  })
})
