import { createHash, timingSafeEqual } from 'node:crypto'
import { WebhookError } from './responses'

const bearerPattern = /^bearer[ \t]+([\x21-\x7e]+)[ \t]*$/i
const challenge = { 'www-authenticate': 'Bearer' }

/** The token of an `Authorization: Bearer <token>` header; a 401 when it is missing or malformed. */
export const readBearerToken = (authorization: string | undefined): string => {
  const token = authorization === undefined ? undefined : bearerPattern.exec(authorization)?.[1]
  if (!token) {
    const message = authorization
      ? 'The Authorization header must be "Bearer <token>"'
      : 'Missing Authorization header: send "Authorization: Bearer <token>"'
    throw new WebhookError('unauthorized', message, { headers: challenge })
  }
  return token
}

// Hashing first gives both sides the same length, so the comparison time reveals neither length nor content.
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest()

export const secretsMatch = (received: string, expected: string): boolean =>
  timingSafeEqual(digest(received), digest(expected))

export const assertWebhookSecret = (token: string, webhookSecret: string): void => {
  if (!secretsMatch(token, webhookSecret)) {
    throw new WebhookError('unauthorized', 'The bearer token does not match the webhook secret', {
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    })
  }
}
