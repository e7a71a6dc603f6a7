import { randomBytes, randomUUID } from 'node:crypto'

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

let last = { time: -1, random: 0n }

// A ULID (48-bit time, 80-bit randomness, Crockford base32): the form of Botpress ids such as `user_01J…`. Monotonic,
// as the ULID spec allows: ids made within one millisecond increase, so they sort in creation order.
export const ulid = (now = Date.now()): string => {
  const random =
    now <= last.time ? last.random + 1n : BigInt(`0x${randomBytes(10).toString('hex')}`) & ((1n << 79n) - 1n)
  last = { time: Math.max(now, last.time), random }
  let time = ''
  for (let rest = last.time, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) {
    time = CROCKFORD[rest % 32] + time
  }
  let tail = ''
  for (let rest = random, i = 0; i < 16; i++, rest >>= 5n) {
    tail = CROCKFORD[Number(rest & 31n)] + tail
  }
  return time + tail
}

export const newId = (prefix: 'user' | 'conv' | 'msg' | 'state'): string => `${prefix}_${ulid()}`

export const newToken = (prefix: string): string => `${prefix}_${randomBytes(30).toString('base64url')}`

export const newUuid = (): string => randomUUID()
