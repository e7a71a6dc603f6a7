import { describe, expect, it } from 'vitest'
import { idDigest, startPosition } from '../botpress/position'
import { decodeCursor, encodeCursor } from './cursor'
import { WebhookError } from './responses'

const scope = { botId: 'bot-1', webhookId: 'hook-1' }
const position = { at: Date.parse('2026-01-01T00:00:00.123Z'), seen: [idDigest('msg_a'), idDigest('msg_b')] }

const refusal = (run: () => unknown) => {
  try {
    run()
  } catch (thrown) {
    return thrown instanceof WebhookError ? { code: thrown.code, issues: thrown.options.issues } : thrown
  }
  return undefined
}

describe('cursor', () => {
  it('round-trips a position, the start included', () => {
    expect(decodeCursor(scope, 'conv_1', encodeCursor(scope, 'conv_1', position))).toEqual(position)
    expect(decodeCursor(scope, 'conv_1', encodeCursor(scope, 'conv_1', startPosition))).toEqual(startPosition)
  })

  it('refuses another conversation’s, another installation’s, an altered, a truncated or a forged cursor', () => {
    const cursor = encodeCursor(scope, 'conv_1', position)
    const flipped = cursor.slice(0, 5) + (cursor[5] === 'A' ? 'B' : 'A') + cursor.slice(6)
    const bad = [
      () => decodeCursor(scope, 'conv_2', cursor),
      () => decodeCursor({ ...scope, webhookId: 'hook-2' }, 'conv_1', cursor),
      () => decodeCursor(scope, 'conv_1', flipped),
      () => decodeCursor(scope, 'conv_1', cursor.slice(0, -1)),
      () => decodeCursor(scope, 'conv_1', cursor.slice(0, 20)),
      () => decodeCursor(scope, 'conv_1', `${cursor}A`),
      () => decodeCursor(scope, 'conv_1', 'not a cursor!'),
      () => decodeCursor(scope, 'conv_1', Buffer.alloc(41).toString('base64url')),
    ]
    for (const run of bad) {
      expect(refusal(run)).toEqual({ code: 'invalid_query', issues: [expect.objectContaining({ path: 'after' })] })
    }
  })

  it('refuses another spelling of a real cursor’s bytes: +/ for -_, = padding, other spare bits', () => {
    // Decoding base64 accepts all of these and yields the same bytes: only the spelling the integration gave is taken
    const seen = [idDigest('msg_a'), idDigest('msg_b'), idDigest('msg_c')]
    const cursors = Array.from({ length: 50 }, (_, at) => encodeCursor(scope, 'conv_1', { at: at + 1, seen }))
    const withDash = cursors.find((cursor) => cursor.includes('-'))!
    const withUnderscore = cursors.find((cursor) => cursor.includes('_'))!
    // 49 bytes: 66 characters, the last one carrying 2 bits of data and 4 spare ones
    const last = cursors[0]!.at(-1)!
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const spare = alphabet[alphabet.indexOf(last) ^ 1]!
    const respellings: Array<[string, string]> = [
      [withDash, withDash.replace('-', '+')],
      [withUnderscore, withUnderscore.replace('_', '/')],
      [cursors[0]!, `${cursors[0]}==`],
      [cursors[0]!, cursors[0]!.slice(0, -1) + spare],
    ]
    for (const [real, respelled] of respellings) {
      expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(real, 'base64url'))
      expect(refusal(() => decodeCursor(scope, 'conv_1', respelled))).toEqual({
        code: 'invalid_query',
        issues: [expect.objectContaining({ path: 'after' })],
      })
    }
  })
})
