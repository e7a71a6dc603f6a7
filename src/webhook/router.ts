import type { Request } from '@botpress/sdk'
import { WebhookError } from './responses'

/** The webhook's routes: POST on the root sends a message; GET on a conversation's messages pulls them. */
export type Route = { name: 'post-message' } | { name: 'pull-messages'; conversationId: string }

const isRootPath = (path: string) => path === '' || path === '/'
const messagesPath = /^\/conversations\/([^/]+)\/messages$/

const assertMethod = (method: string, allowed: 'POST' | 'GET') => {
  const upper = method.toUpperCase()
  if (upper !== allowed) {
    throw new WebhookError('method_not_allowed', `Method ${upper} is not allowed here: use ${allowed}`, {
      headers: { allow: allowed },
    })
  }
}

const notFound = () =>
  new WebhookError(
    'not_found',
    'Not found: POST messages to the webhook URL itself, GET replies from /conversations/<conversationId>/messages'
  )

/**
 * The one place that tells routes apart, from method and path alone (they need no authentication). The
 * conversationId travels percent-encoded as one path segment; a segment that does not decode names no conversation.
 */
export const routeOf = ({ method, path }: Request): Route => {
  if (isRootPath(path)) {
    assertMethod(method, 'POST')
    return { name: 'post-message' }
  }
  const segment = messagesPath.exec(path)?.[1]
  if (segment === undefined) {
    throw notFound()
  }
  let conversationId: string
  try {
    conversationId = decodeURIComponent(segment)
  } catch {
    throw notFound()
  }
  assertMethod(method, 'GET')
  return { name: 'pull-messages', conversationId }
}
