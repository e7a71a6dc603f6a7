import { createHash } from 'node:crypto'

/**
 * A place in a conversation: every message created before `at` (ms) has been given, and of those created at `at`,
 * the ones whose id digests are in `seen`. `at` 0 is the start. Carrying the ids already given at `at` (rather than
 * "after this message") is what lets paging neither skip nor repeat when several messages share a createdAt, or
 * when one more arrives within the millisecond of the last one given.
 */
export type Position = { at: number; seen: string[] }

export const startPosition: Position = { at: 0, seen: [] }

/** Bytes of an id digest. */
export const digestBytes = 8

// 64 bits of an id: within one millisecond of one conversation, a collision is out of reach.
export const idDigest = (id: string): string =>
  createHash('sha256').update(id).digest().subarray(0, digestBytes).toString('base64url')
