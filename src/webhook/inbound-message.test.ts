import { describe, expect, it } from 'vitest'
import { inboundTypes, parseInboundMessage } from './inbound-message'
import { WebhookError } from './responses'

const ids = { userId: 'u-1', messageId: 'm-1', conversationId: 'c-1' }

const rejection = (body: Record<string, unknown>): WebhookError => {
  try {
    parseInboundMessage(body)
  } catch (thrown) {
    if (thrown instanceof WebhookError) {
      return thrown
    }
    throw thrown
  }
  throw new Error('expected a rejection')
}

const issuePaths = (body: Record<string, unknown>) => rejection(body).options.issues?.map((issue) => issue.path)

describe('parseInboundMessage', () => {
  it('accepts a text message given as top-level text', () => {
    expect(parseInboundMessage({ ...ids, type: 'text', text: 'hello' })).toEqual({
      ...ids,
      type: 'text',
      payload: { text: 'hello' },
      profile: {},
    })
  })

  it('takes userName and userPictureUrl as the profile, and names each invalid one', () => {
    const profile = { userName: 'Ada', userPictureUrl: 'https://example.com/ada.png' }
    expect(parseInboundMessage({ ...ids, type: 'text', text: 'hi', ...profile }).profile).toEqual({
      name: 'Ada',
      pictureUrl: 'https://example.com/ada.png',
    })
    expect(parseInboundMessage({ ...ids, type: 'text', text: 'hi', userName: null }).profile).toEqual({})
    const invalid = [
      { userName: '', userPictureUrl: 'ftp://example.com/a.png' },
      { userName: 'x'.repeat(256), userPictureUrl: `https://example.com/${'a'.repeat(2048)}` },
      { userName: 7, userPictureUrl: 'not a url' },
    ]
    for (const fields of invalid) {
      expect(issuePaths({ ...ids, type: 'text', text: 'hi', ...fields })).toEqual(['userName', 'userPictureUrl'])
    }
  })

  it('prefers payload.text and ignores unknown fields', () => {
    const parsed = parseInboundMessage({ ...ids, type: 'text', text: 'summary', payload: { text: 'real' }, extra: 1 })
    expect(parsed.payload).toEqual({ text: 'real' })
    expect(parsed).not.toHaveProperty('extra')
  })

  it('fills payload.text of choice and dropdown from text', () => {
    const options = [{ label: 'Yes', value: 'yes' }]
    for (const type of ['choice', 'dropdown']) {
      expect(parseInboundMessage({ ...ids, type, text: 'Pick', payload: { options } }).payload).toEqual({
        text: 'Pick',
        options,
      })
    }
  })

  it('treats null like a missing field, top-level or in payload.text', () => {
    expect(parseInboundMessage({ ...ids, type: 'text', text: 'hi', payload: null }).payload).toEqual({ text: 'hi' })
    expect(parseInboundMessage({ ...ids, type: 'text', text: 'hi', payload: { text: null } }).payload).toEqual({
      text: 'hi',
    })
    const options = [{ label: 'A', value: 'a' }]
    expect(
      parseInboundMessage({ ...ids, type: 'choice', text: 'Pick', payload: { text: null, options } }).payload
    ).toEqual({ text: 'Pick', options })
  })

  it('accepts every inbound type with a valid payload', () => {
    const card = { title: 'T', actions: [{ action: 'url', label: 'Open', value: 'https://example.com' }] }
    const payloads: Record<string, Record<string, unknown>> = {
      text: { text: 'hi' },
      image: { imageUrl: 'https://example.com/a.png' },
      audio: { audioUrl: 'https://example.com/a.mp3' },
      video: { videoUrl: 'https://example.com/a.mp4' },
      file: { fileUrl: 'https://example.com/a.pdf', title: 'A' },
      location: { latitude: 45.5, longitude: -73.6 },
      card,
      carousel: { items: [card] },
      choice: { text: 'Pick', options: [{ label: 'A', value: 'a' }] },
      dropdown: { text: 'Pick', options: [{ label: 'A', value: 'a' }] },
      bloc: { items: [{ type: 'text', payload: { text: 'one' } }] },
    }
    expect(Object.keys(payloads).sort()).toEqual([...inboundTypes].sort())
    for (const [type, payload] of Object.entries(payloads)) {
      expect(parseInboundMessage({ ...ids, type, payload }).payload).toEqual(payload)
    }
  })

  it('counts lengths as JavaScript does: 255 units pass, 256 fail', () => {
    const at = 'x'.repeat(255)
    expect(parseInboundMessage({ ...ids, userId: at, type: 'text', text: 'hi' }).userId).toBe(at)
    // An emoji is two UTF-16 units: 128 of them are 256 units long.
    expect(issuePaths({ ...ids, userId: '😀'.repeat(128), type: 'text', text: 'hi' })).toEqual(['userId'])
  })

  it('names every offending field in one answer', () => {
    const error = rejection({
      userId: 3,
      messageId: '',
      type: 'choice',
      payload: { options: [{ label: 'A', value: 1 }] },
    })
    expect(error.code).toBe('invalid_body')
    expect(error.status).toBe(400)
    expect(error.options.issues?.map((issue) => issue.path).sort()).toEqual(
      ['conversationId', 'messageId', 'payload.options.0.value', 'payload.text', 'userId'].sort()
    )
    expect(error.message).toContain('userId')
  })

  it('requires text for a text message, and a payload for other types', () => {
    expect(issuePaths({ ...ids, type: 'text' })).toEqual(['text'])
    expect(issuePaths({ ...ids, type: 'text', text: '' })).toEqual(['text'])
    expect(issuePaths({ ...ids, type: 'image', text: 'a picture' })).toEqual(['payload'])
    expect(issuePaths({ ...ids, type: 'image', payload: [] })).toEqual(['payload'])
    expect(issuePaths({ ...ids, type: 'text', text: 5 })).toContain('text')
  })

  it('answers unsupported_type listing the supported types', () => {
    const error = rejection({ ...ids, type: 'markdown', text: 'no' })
    expect(error.code).toBe('unsupported_type')
    for (const type of inboundTypes) {
      expect(error.message).toContain(type)
    }
    expect(rejection({ ...ids, type: 'sticker' }).code).toBe('unsupported_type')
    expect(rejection({ ...ids, type: 'toString' }).code).toBe('unsupported_type')
    expect(rejection({ ...ids, type: '__proto__' }).code).toBe('unsupported_type')
  })

  it('reports a missing or non-string type as invalid_body', () => {
    expect(rejection({ ...ids }).code).toBe('invalid_body')
    expect(issuePaths({ ...ids, type: 7 })).toEqual(['type'])
  })

  it('keeps prototype keys out of the result', () => {
    const body = JSON.parse(`{"userId":"u","messageId":"m","conversationId":"c","type":"text","text":"hi",
      "payload":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}`)
    const parsed = parseInboundMessage(body)
    expect(parsed.payload).toEqual({ text: 'hi' })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('stores metadata in the payload, null being absent, and names it when it is not a JSON object', () => {
    const metadata = { page: '/cart', items: [1, 2], nested: { a: null } }
    expect(parseInboundMessage({ ...ids, type: 'text', text: 'hi', metadata }).payload).toEqual({
      text: 'hi',
      metadata,
    })
    const image = { imageUrl: 'https://example.com/a.png' }
    expect(parseInboundMessage({ ...ids, type: 'image', payload: image, metadata }).payload).toEqual({
      ...image,
      metadata,
    })
    expect(parseInboundMessage({ ...ids, type: 'text', text: 'hi', metadata: null }).payload).toEqual({ text: 'hi' })
    for (const invalid of ['page', 3, [], true]) {
      expect(issuePaths({ ...ids, type: 'text', text: 'hi', metadata: invalid })).toEqual(['metadata'])
    }
  })

  it('keeps a payload.metadata object; the top-level metadata wins over it', () => {
    const payload = { text: 'hi', metadata: { from: 'payload' } }
    expect(parseInboundMessage({ ...ids, type: 'text', payload }).payload).toEqual(payload)
    expect(parseInboundMessage({ ...ids, type: 'text', payload, metadata: { from: 'top' } }).payload).toEqual({
      text: 'hi',
      metadata: { from: 'top' },
    })
    expect(issuePaths({ ...ids, type: 'text', payload: { text: 'hi', metadata: 'x' } })).toEqual(['payload.metadata'])
  })
})
