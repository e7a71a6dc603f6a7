import { randomBytes, randomUUID } from 'node:crypto'

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

// A ULID (48-bit time, 80-bit randomness, Crockford base32): the form of Botpress ids such as `user_01J…`. Like
// Botpress's, not monotonic: ids made within one millisecond are random, so they do not sort in creation order (lists
// give objects of one createdAt in the order they were stored, see store/pages.ts).
export const ulid = (now = Date.now()): string => {
  let time = ''
  for (let rest = now, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) {
    time = CROCKFORD[rest % 32] + time
  }
  const random = randomBytes(16)
  let tail = ''
  for (let i = 0; i < 16; i++) {
    tail += CROCKFORD[random[i]! & 31]
  }
  return time + tail
}

/** `at`: the object's createdAt, which a Botpress id's time part is */
export const newId = (prefix: 'user' | 'conv' | 'msg' | 'state' | 'evt', at?: string): string =>
  `${prefix}_${ulid(at === undefined ? undefined : Date.parse(at))}`

export const newToken = (prefix: string): string => `${prefix}_${randomBytes(30).toString('base64url')}`

export const newUuid = (): string => randomUUID()
