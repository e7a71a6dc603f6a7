import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { digestBytes, type Position } from '../botpress/position'
import { WebhookError } from './responses'

const version = 1
const macBytes = 16
const headerBytes = 1 + 8

export type CursorScope = { botId: string; webhookId: string }

/**
 * The cursor is opaque and integrity-protected: an HMAC over the position and the Botpress conversation id, keyed by
 * the installation (never written into the cursor). It tells a forged, altered or truncated cursor, or one of
 * another conversation, from a real one, so that such a cursor is a clear 400 instead of a silently wrong place.
 * Security does not rest on it: the key is derived from ids, not from a secret, and it need not be one, because a
 * caller may only use a cursor on a conversation it is already authorized to read from its first message on.
 */
const mac = (scope: CursorScope, conversationId: string, body: Buffer) => {
  const key = createHash('sha256').update(`messaging-api cursor|${scope.botId}|${scope.webhookId}`).digest()
  return createHmac('sha256', key).update(conversationId).update('\0').update(body).digest().subarray(0, macBytes)
}

export const encodeCursor = (scope: CursorScope, conversationId: string, position: Position): string => {
  const body = Buffer.alloc(headerBytes + position.seen.length * digestBytes)
  body.writeUInt8(version, 0)
  body.writeDoubleBE(position.at, 1)
  position.seen.forEach((digest, index) =>
    Buffer.from(digest, 'base64url').copy(body, headerBytes + index * digestBytes)
  )
  return Buffer.concat([body, mac(scope, conversationId, body)]).toString('base64url')
}

const invalidCursor = () =>
  new WebhookError('invalid_query', 'Invalid query parameter: after', {
    issues: [{ path: 'after', message: 'after is not a cursor this integration issued for this conversation' }],
  })

/** The position a cursor names; a 400 unless this installation issued it for this very conversation. */
export const decodeCursor = (scope: CursorScope, conversationId: string, cursor: string): Position => {
  const bytes = Buffer.from(cursor, 'base64url')
  // Decoding skips foreign characters and ignores spare bits: only the canonical spelling of the bytes is accepted.
  if (bytes.toString('base64url') !== cursor) {
    throw invalidCursor()
  }
  const bodyLength = bytes.length - macBytes
  if (bodyLength < headerBytes || (bodyLength - headerBytes) % digestBytes !== 0) {
    throw invalidCursor()
  }
  const body = bytes.subarray(0, bodyLength)
  if (!timingSafeEqual(bytes.subarray(bodyLength), mac(scope, conversationId, body)) || body[0] !== version) {
    throw invalidCursor()
  }
  const at = body.readDoubleBE(1)
  if (!Number.isSafeInteger(at) || at < 0) {
    throw invalidCursor()
  }
  const seen: string[] = []
  for (let offset = headerBytes; offset < bodyLength; offset += digestBytes) {
    seen.push(body.subarray(offset, offset + digestBytes).toString('base64url'))
  }
  return { at, seen }
}
