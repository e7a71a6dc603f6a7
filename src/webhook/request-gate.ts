import type { Request } from '@botpress/sdk'
import { WebhookError } from './responses'

export const maxBodyBytes = 256 * 1024

export const headerValue = (req: Request, name: string): string | undefined => {
  const direct = req.headers[name]
  if (direct !== undefined) {
    return direct
  }
  const key = Object.keys(req.headers).find((candidate) => candidate.toLowerCase() === name)
  return key === undefined ? undefined : req.headers[key]
}

/** The body as one JSON object, within the size limit. */
export const parseJsonObject = (body: string | undefined): Record<string, unknown> => {
  if (body !== undefined && Buffer.byteLength(body, 'utf8') > maxBodyBytes) {
    throw new WebhookError('payload_too_large', `The body exceeds ${maxBodyBytes} bytes (256 KiB)`)
  }
  if (!body || !body.trim()) {
    throw new WebhookError('invalid_json', 'The body is empty: send one JSON object')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    // The parser's own message quotes the body, which may hold anything: say only what is wrong.
    throw new WebhookError('invalid_json', 'The body is not valid JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`
    throw new WebhookError('invalid_body', `The body must be a JSON object, not ${kind}`)
  }
  return parsed as Record<string, unknown>
}
