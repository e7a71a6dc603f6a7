import type { Response } from '@botpress/sdk'
import type { RequestSubject } from '../upstream-failure'
import { eraseConversation, eraseUser } from './erase'
import { postEvent } from './post-event'
import { postMessage } from './post-message'
import { pullMessages } from './pull-messages'
import type { RouteContext } from './types'

export type Method = 'GET' | 'POST' | 'DELETE'

/** One route of the webhook: the router matches `path` and `method`, the handler runs `run`. */
export type RouteSpec = {
  name: string
  /** The path after the webhook URL; each group is one percent-encoded segment, decoded before `run` gets it. */
  path: RegExp
  method: Method
  /** What the request is, in the bot owner's log and in the caller's error when Botpress fails. */
  subject: RequestSubject
  /** How a caller reaches it, for the 404 that lists the routes. */
  usage: string
  run: (routed: RouteContext, ...segments: string[]) => Promise<Response>
}

/** Every route of the webhook, the one table both the router and the handler dispatch through. */
export const routes: readonly RouteSpec[] = [
  {
    name: 'post-message',
    path: /^\/?$/,
    method: 'POST',
    subject: 'an incoming message',
    usage: 'POST messages to the webhook URL itself',
    run: postMessage,
  },
  {
    name: 'post-event',
    path: /^\/events$/,
    method: 'POST',
    subject: 'an incoming event',
    usage: 'POST events to /events',
    run: postEvent,
  },
  {
    name: 'pull-messages',
    path: /^\/conversations\/([^/]+)\/messages$/,
    method: 'GET',
    subject: 'a pull of messages',
    usage: 'GET replies from /conversations/<conversationId>/messages',
    run: pullMessages,
  },
  {
    name: 'erase-conversation',
    path: /^\/conversations\/([^/]+)$/,
    method: 'DELETE',
    subject: 'an erasure of a conversation',
    usage: 'DELETE /conversations/<conversationId> to erase a conversation',
    run: eraseConversation,
  },
  {
    name: 'erase-user',
    path: /^\/users\/([^/]+)$/,
    method: 'DELETE',
    subject: 'an erasure of a user',
    usage: 'DELETE /users/<userId> to erase a user',
    run: eraseUser,
  },
]
