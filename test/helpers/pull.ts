import type { LocalRuntime } from '../../local'
import { send, type CallerResponse } from './caller'

export type PullQuery = { after?: string; limit?: number | string; wait?: number | string }

/** `GET <webhook URL>/conversations/<conversationId>/messages`, the id percent-encoded as one path segment. */
export const pull = (
  runtime: Pick<LocalRuntime, 'webhookUrl' | 'personalAccessToken'>,
  conversationId: string,
  query: PullQuery = {},
  token: string | null = runtime.personalAccessToken
): Promise<CallerResponse> => {
  const search = new URLSearchParams(
    Object.entries(query).flatMap(([key, value]) =>
      value === undefined ? [] : [[key, String(value)] as [string, string]]
    )
  ).toString()
  const path = `/conversations/${encodeURIComponent(conversationId)}/messages${search ? `?${search}` : ''}`
  return send(runtime, { method: 'GET', path, token })
}

/** Every message of a conversation, page after page, with the cursors followed. */
export const pullAll = async (
  runtime: Pick<LocalRuntime, 'webhookUrl' | 'personalAccessToken'>,
  conversationId: string,
  limit: number,
  onPage?: (page: number) => Promise<void> | void
) => {
  const items: any[] = []
  let after: string | undefined
  for (let page = 0; ; page++) {
    const response = await pull(runtime, conversationId, { after, limit })
    if (response.status !== 200) {
      throw new Error(`page ${page}: ${response.status} ${response.text}`)
    }
    items.push(...response.body.messages)
    after = response.body.cursor
    await onPage?.(page)
    if (!response.body.hasMore) {
      return { items, cursor: after }
    }
  }
}
