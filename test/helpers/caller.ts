import type { LocalRuntime } from '../../local'

export type CallerResponse = { status: number; headers: Headers; body: any; text: string }

/** The caller's back end: one HTTP request to the integration's webhook URL. */
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
  const response = await fetch(runtime.webhookUrl + (init.path ?? ''), {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : payload,
  })
  const text = await response.text()
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
