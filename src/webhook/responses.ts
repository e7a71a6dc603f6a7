import type { Response } from '@botpress/sdk'

export type ErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'invalid_json'
  | 'invalid_body'
  | 'unsupported_type'
  | 'invalid_query'
  | 'rate_limited'
  | 'upstream_error'

export type Issue = { path: string; message: string }

const statusOf: Record<ErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  invalid_json: 400,
  invalid_body: 400,
  unsupported_type: 400,
  invalid_query: 400,
  rate_limited: 429,
  upstream_error: 502,
}

const jsonHeaders = { 'content-type': 'application/json' }

export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}): Response => ({
  status,
  headers: { ...jsonHeaders, ...headers },
  body: JSON.stringify(body),
})

/** A caller-facing error in the contract's shape: `{ code, message, issues? }`. */
export class WebhookError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { issues?: Issue[]; headers?: Record<string, string> } = {}
  ) {
    super(message)
    this.name = 'WebhookError'
  }

  get status(): number {
    return statusOf[this.code]
  }

  toResponse(): Response {
    const { issues, headers } = this.options
    return jsonResponse(this.status, { code: this.code, message: this.message, ...(issues && { issues }) }, headers)
  }
}
