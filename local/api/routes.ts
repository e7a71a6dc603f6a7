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

// Bodies are checked against the OpenAPI document before a handler runs, hence `any` here
type ChatResource = {
  create(botId: string, input: any): unknown
  getOrCreate(botId: string, input: any): unknown
  get(botId: string, id: string): unknown
  list(botId: string, filter: any): { items: unknown[]; nextToken?: string }
  update(botId: string, id: string, input: any): unknown
}

/**
 * Users, conversations and messages answer the same five routes, named as in Botpress's OpenAPI document:
 * create<Name>, getOrCreate<Name>, get<Name>, list<Name>s and update<Name>. `extraFilters` are the query parameters
 * that listing filters by, besides tags, dates and the page token.
 */
const chatRoutes = (
  name: 'user' | 'conversation' | 'message',
  resource: (store: Store) => ChatResource,
  extraFilters: string[] = []
): Route[] => {
  const listFilters = [...extraFilters, 'afterDate', 'beforeDate', 'nextToken']
  const Name = name[0]!.toUpperCase() + name.slice(1)
  const path = `/v1/chat/${name}s`
  const filterOf = (query: URLSearchParams) => ({
    tags: queryTags(query),
    ...Object.fromEntries(listFilters.map((key) => [key, query.get(key) ?? undefined])),
  })
  return [
    {
      name: `create${Name}`,
      method: 'POST',
      path,
      handle: (s, r) => ({ [name]: resource(s).create(r.botId, r.body) }),
    },
    {
      name: `getOrCreate${Name}`,
      method: 'POST',
      path: `${path}/get-or-create`,
      handle: (s, r) => ({ [name]: resource(s).getOrCreate(r.botId, r.body) }),
    },
    {
      name: `get${Name}`,
      method: 'GET',
      path: `${path}/{id}`,
      handle: (s, r) => ({ [name]: resource(s).get(r.botId, r.params.id!) }),
    },
    {
      name: `list${Name}s`,
      method: 'GET',
      path,
      handle: (s, r) => {
        const { items, nextToken } = resource(s).list(r.botId, filterOf(r.query))
        return { [`${name}s`]: items, meta: nextToken === undefined ? {} : { nextToken } }
      },
    },
    {
      name: `update${Name}`,
      method: 'PUT',
      path: `${path}/{id}`,
      handle: (s, r) => ({ [name]: resource(s).update(r.botId, r.params.id!, r.body) }),
    },
  ]
}

/** deleteUser, deleteConversation: Botpress answers an empty object, and a 404 for an id it does not have */
const deleteRoute = (name: 'user' | 'conversation', remove: (store: Store, botId: string, id: string) => void) => ({
  name: `delete${name[0]!.toUpperCase()}${name.slice(1)}`,
  method: 'DELETE',
  path: `/v1/chat/${name}s/{id}`,
  handle: (s: Store, r: RouteRequest) => (remove(s, r.botId, r.params.id!), {}),
})

const statePath = '/v1/chat/states/{type}/{id}/{name}'

const eventFilters = ['type', 'conversationId', 'userId', 'messageId', 'nextToken']

// What the integration does with events: create them, read one, list them (newest first) as Botpress does
const eventRoutes: Route[] = [
  {
    name: 'createEvent',
    method: 'POST',
    path: '/v1/chat/events',
    handle: (s, r) => ({ event: s.events.create(r.botId, r.body) }),
  },
  {
    name: 'getEvent',
    method: 'GET',
    path: '/v1/chat/events/{id}',
    handle: (s, r) => ({ event: s.events.get(r.botId, r.params.id!) }),
  },
  {
    name: 'listEvents',
    method: 'GET',
    path: '/v1/chat/events',
    handle: (s, r) => {
      const filter = Object.fromEntries(eventFilters.map((key) => [key, r.query.get(key) ?? undefined]))
      const { items, nextToken } = s.events.list(r.botId, filter)
      return { events: items, meta: nextToken === undefined ? {} : { nextToken } }
    },
  },
]

// Only the routes the runtime client calls for chat data; lists are paged (newest first) as Botpress pages them
export const routes: Route[] = [
  ...chatRoutes('user', (s) => s.users),
  ...chatRoutes('conversation', (s) => s.conversations, ['channel']),
  ...chatRoutes('message', (s) => s.messages, ['conversationId']),
  deleteRoute('user', (s, botId, id) => s.users.delete(botId, id)),
  deleteRoute('conversation', (s, botId, id) => s.conversations.delete(botId, id)),
  ...eventRoutes,
  {
    name: 'getState',
    method: 'GET',
    path: statePath,
    handle: (s, r) => ({ state: s.states.get(...stateArgs(r)), meta: { cached: false } }),
  },
  {
    name: 'setState',
    method: 'POST',
    path: statePath,
    handle: (s, r) => ({ state: s.states.set(...stateArgs(r), payloadOf(r.body)) }),
  },
  {
    name: 'getOrSetState',
    method: 'POST',
    path: `${statePath}/get-or-set`,
    handle: (s, r) => ({ state: s.states.getOrSet(...stateArgs(r), payloadOf(r.body)), meta: { cached: false } }),
  },
  {
    name: 'patchState',
    method: 'PATCH',
    path: statePath,
    handle: (s, r) => ({ state: s.states.patch(...stateArgs(r), payloadOf(r.body)) }),
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
