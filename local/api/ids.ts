import { randomBytes, randomUUID } from 'node:crypto'

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

// A ULID (48-bit time, 80-bit randomness, Crockford base32): the form of Botpress ids such as `user_01J…`
export const ulid = (now = Date.now()): string => {
  let time = ''
  for (let rest = now, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) {
    time = CROCKFORD[rest % 32] + time
  }
  const random = [...randomBytes(16)].map((byte) => CROCKFORD[byte % 32]).join('')
  return time + random
}

export const newId = (prefix: 'user' | 'conv' | 'msg' | 'state'): string => `${prefix}_${ulid()}`

export const newToken = (prefix: string): string => `${prefix}_${randomBytes(30).toString('base64url')}`

export const newUuid = (): string => randomUUID()
