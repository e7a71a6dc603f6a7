import type { LocalRuntime } from '../../local'
import { assertWebhookExchange } from './openapi-check'

export type CallerResponse = { status: number; headers: Headers; body: any; text: string }

/**
 * The caller's back end: one HTTP request to the integration's webhook URL. The answer is checked against
 * openapi.yaml (and so is the request, when it was accepted): a departure throws.
 */
export const send = async (
  runtime: Pick<LocalRuntime, 'webhookUrl'>,
  init: { body?: unknown; raw?: string | Buffer; token?: string | null; headers?: Record<string, string> } & {
    method?: string
    path?: string
  } = {}
): Promise<CallerResponse> => {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers }
  if (init.token !== null && init.token !== undefined) {
    headers.authorization = `Bearer ${init.token}`
  }
  const method = init.method ?? 'POST'
  const payload = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body))
  const path = init.path ?? ''
  const requestBody = method === 'GET' || method === 'HEAD' ? undefined : payload
  const response = await fetch(runtime.webhookUrl + path, { method, headers, body: requestBody })
  const text = await response.text()
  assertWebhookExchange({ method, path, requestBody, status: response.status, headers: response.headers, body: text })
  let body: any
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: response.status, headers: response.headers, body, text }
}

let counter = 0
/** A valid text message with fresh ids unless given. */
export const textMessage = (overrides: Record<string, unknown> = {}) => {
  counter += 1
  return {
    userId: `user-${counter}`,
    conversationId: `conversation-${counter}`,
    messageId: `message-${counter}`,
    type: 'text',
    text: `hello ${counter}`,
    ...overrides,
  }
}
