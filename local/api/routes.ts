import { ApiError } from './errors'
import type { StateType, Store, Tags } from './store'

export type RouteRequest = { botId: string; params: Record<string, string>; query: URLSearchParams; body: any }

export type Route = {
  /** The operationId in Botpress's runtime OpenAPI document */
  name: string
  method: string
  path: string
  handle: (store: Store, req: RouteRequest) => unknown
}

// @botpress/client sends object query parameters with qs's `allowDots`: `tags.id=abc`
const queryTags = (query: URLSearchParams): Tags | undefined => {
  const entries = [...query].flatMap(([key, value]) => {
    const tag = /^tags(?:\.(.+)|\[(.+)\])$/.exec(key)
    return tag ? [[tag[1] ?? tag[2] ?? '', value] as const] : []
  })
  return entries.length ? Object.fromEntries(entries) : undefined
}

const stateArgs = ({ botId, params }: RouteRequest) =>
  [botId, params.type as StateType, params.id ?? '', params.name ?? ''] as const

const payloadOf = (body: { payload?: Record<string, unknown> | null }) => body.payload ?? {}

// Only the routes the runtime client calls for chat data; pagination is not needed at this scale
export const routes: Route[] = [
  {
    name: 'createUser',
    method: 'POST',
    path: '/v1/chat/users',
    handle: (s, r) => ({ user: s.createUser(r.botId, r.body) }),
  },
  {
    name: 'getOrCreateUser',
    method: 'POST',
    path: '/v1/chat/users/get-or-create',
    handle: (s, r) => ({ user: s.getOrCreateUser(r.botId, r.body) }),
  },
  {
    name: 'getUser',
    method: 'GET',
    path: '/v1/chat/users/{id}',
    handle: (s, r) => ({ user: s.getUser(r.botId, r.params.id!) }),
  },
  {
    name: 'listUsers',
    method: 'GET',
    path: '/v1/chat/users',
    handle: (s, r) => ({ users: s.listUsers(r.botId, { tags: queryTags(r.query) }), meta: {} }),
  },
  {
    name: 'updateUser',
    method: 'PUT',
    path: '/v1/chat/users/{id}',
    handle: (s, r) => ({ user: s.updateUser(r.botId, r.params.id!, r.body) }),
  },
  {
    name: 'createConversation',
    method: 'POST',
    path: '/v1/chat/conversations',
    handle: (s, r) => ({ conversation: s.createConversation(r.botId, r.body) }),
  },
  {
    name: 'getOrCreateConversation',
    method: 'POST',
    path: '/v1/chat/conversations/get-or-create',
    handle: (s, r) => ({ conversation: s.getOrCreateConversation(r.botId, r.body) }),
  },
  {
    name: 'getConversation',
    method: 'GET',
    path: '/v1/chat/conversations/{id}',
    handle: (s, r) => ({ conversation: s.getConversation(r.botId, r.params.id!) }),
  },
  {
    name: 'listConversations',
    method: 'GET',
    path: '/v1/chat/conversations',
    handle: (s, r) => ({
      conversations: s.listConversations(r.botId, {
        tags: queryTags(r.query),
        channel: r.query.get('channel') ?? undefined,
      }),
      meta: {},
    }),
  },
  {
    name: 'updateConversation',
    method: 'PUT',
    path: '/v1/chat/conversations/{id}',
    handle: (s, r) => ({ conversation: s.updateConversation(r.botId, r.params.id!, r.body) }),
  },
  {
    name: 'createMessage',
    method: 'POST',
    path: '/v1/chat/messages',
    handle: (s, r) => ({ message: s.createMessage(r.botId, r.body) }),
  },
  {
    name: 'getOrCreateMessage',
    method: 'POST',
    path: '/v1/chat/messages/get-or-create',
    handle: (s, r) => ({ message: s.getOrCreateMessage(r.botId, r.body) }),
  },
  {
    name: 'getMessage',
    method: 'GET',
    path: '/v1/chat/messages/{id}',
    handle: (s, r) => ({ message: s.getMessage(r.botId, r.params.id!) }),
  },
  {
    name: 'listMessages',
    method: 'GET',
    path: '/v1/chat/messages',
    handle: (s, r) => ({
      messages: s.listMessages(r.botId, {
        tags: queryTags(r.query),
        conversationId: r.query.get('conversationId') ?? undefined,
      }),
      meta: {},
    }),
  },
  {
    name: 'updateMessage',
    method: 'PUT',
    path: '/v1/chat/messages/{id}',
    handle: (s, r) => ({ message: s.updateMessage(r.botId, r.params.id!, r.body) }),
  },
  {
    name: 'getState',
    method: 'GET',
    path: '/v1/chat/states/{type}/{id}/{name}',
    handle: (s, r) => ({ state: s.getState(...stateArgs(r)), meta: { cached: false } }),
  },
  {
    name: 'setState',
    method: 'POST',
    path: '/v1/chat/states/{type}/{id}/{name}',
    handle: (s, r) => ({ state: s.setState(...stateArgs(r), payloadOf(r.body)) }),
  },
  {
    name: 'getOrSetState',
    method: 'POST',
    path: '/v1/chat/states/{type}/{id}/{name}/get-or-set',
    handle: (s, r) => ({ state: s.getOrSetState(...stateArgs(r), payloadOf(r.body)), meta: { cached: false } }),
  },
  {
    name: 'patchState',
    method: 'PATCH',
    path: '/v1/chat/states/{type}/{id}/{name}',
    handle: (s, r) => ({ state: s.patchState(...stateArgs(r), payloadOf(r.body)) }),
  },
]

const STATE_TYPES = ['conversation', 'user', 'bot', 'integration', 'task', 'workflow']

const compiled = routes.map((route) => {
  const names: string[] = []
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name)
    return '([^/]+)'
  })
  return { route, names, pattern: new RegExp(`^${source}$`) }
})

export type RouteMatch = { route: Route; params: Record<string, string> }

/** The route for a method and path; `undefined` when no route has this path, `null` when only the method differs */
export const matchRoute = (method: string, path: string): RouteMatch | null | undefined => {
  let pathMatched = false
  for (const { route, names, pattern } of compiled) {
    const match = pattern.exec(path)
    if (!match) continue
    pathMatched = true
    if (route.method !== method) continue
    const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]))
    if (params.type !== undefined && !STATE_TYPES.includes(params.type)) {
      throw new ApiError('InvalidPayload', `Invalid state type "${params.type}"`)
    }
    return { route, params }
  }
  return pathMatched ? null : undefined
}
