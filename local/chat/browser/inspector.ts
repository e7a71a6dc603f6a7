import { h, pretty } from './dom'

export type Exchange = {
  request: { method: string; url: string; headers: Record<string, string>; body?: string }
  response: { status: number; headers: Record<string, string>; body: string }
}
export type EndpointEvent = {
  headers: Record<string, string>
  body: any
  signatureValid?: boolean
  receivedAt: number
}
export type DeliveryResult = { messageId: string; status: number; attempts: number; endpointStatus?: number }

const maxEntries = 300
const shownHeaders = ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type', 'user-agent']

const headerLines = (headers: Record<string, string>, only?: string[]) =>
  Object.entries(headers)
    .filter(([name]) => !only || only.includes(name))
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n')

const path = (url: string) => {
  const parsed = new URL(url)
  return `${parsed.pathname}${parsed.search}`
}

const section = (title: string, text: string) => [h('h4', {}, title), h('pre', {}, text)]

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`

/** The raw HTTP beside the chat: each POST and its answer, each delivery, each pull */
export const createInspector = (list: HTMLElement) => {
  const deliveries = new Map<string, HTMLElement>()

  const entryOf = (kind: string, summary: Array<Node | string>, ...body: Node[]) =>
    h('li', { class: `entry ${kind}` }, h('details', {}, h('summary', {}, ...summary), ...body))

  const add = (kind: string, summary: Array<Node | string>, ...body: Node[]) => {
    const entry = entryOf(kind, summary, ...body)
    list.append(entry)
    while (list.children.length > maxEntries) list.firstElementChild?.remove()
    entry.scrollIntoView({ block: 'nearest' })
    return entry
  }

  const status = (code: number) => h('span', { class: code >= 200 && code < 300 ? 'ok' : 'bad' }, `→ ${code}`)

  const exchange = (kind: string, { request, response }: Exchange, extra: string[] = []) =>
    entryOf(
      kind,
      [`${request.method} ${path(request.url)} `, status(response.status), ...extra.map((text) => ` · ${text}`)],
      ...section('Request headers', headerLines(request.headers)),
      ...(request.body === undefined ? [] : section('Request body', pretty(request.body))),
      ...section('Answer headers', headerLines(response.headers, ['content-type', 'retry-after', 'allow'])),
      ...section('Answer body', pretty(response.body))
    )

  return {
    clear: () => {
      list.replaceChildren()
      deliveries.clear()
    },
    /** A POST on its way, shown at once (its deliveries may come before its answer); `done` puts it in its place */
    postStarted: (path: string) => {
      const entry = add('post', [`POST ${path} · waiting for the answer…`])
      return {
        done: (posted: Exchange) => entry.replaceWith(exchange('post', posted)),
        failed: () => entry.remove(),
      }
    },
    /** A long poll on its way, shown at once; `done` puts the exchange in its place */
    pullStarted: (path: string) => {
      const entry = add('pull', [`GET ${path} · waiting (long poll)…`])
      return {
        done: (pulled: Exchange, answer?: { messages: unknown[]; cursor: string }) => {
          const extra = answer
            ? [plural(answer.messages.length, 'message'), `cursor ${answer.cursor.slice(0, 16)}…`]
            : []
          entry.replaceWith(exchange('pull', pulled, extra))
        },
        failed: () => entry.remove(),
      }
    },
    endpoint: (event: EndpointEvent) => {
      const id = event.headers['webhook-id'] ?? ''
      const signature =
        event.signatureValid === undefined
          ? h('span', { class: 'muted' }, 'unsigned')
          : event.signatureValid
            ? h('span', { class: 'ok' }, 'signature verified ✓')
            : h('span', { class: 'bad' }, 'signature INVALID ✗')
      const type = event.body?.type === 'typing' ? `typing ${event.body?.payload?.typing}` : String(event.body?.type)
      const attempts = h('span', { class: 'attempts' })
      const entry = add(
        'delivery',
        [`Delivery ${type} · `, signature, attempts],
        ...section('Headers', headerLines(event.headers, shownHeaders)),
        ...section('Body', JSON.stringify(event.body, null, 2))
      )
      deliveries.set(id, attempts)
      if (deliveries.size > maxEntries) deliveries.delete(deliveries.keys().next().value as string)
      return entry
    },
    /** The integration's own count of attempts for a message, once it has answered message_created */
    deliveryResult: (result: DeliveryResult) => {
      const attempts = deliveries.get(result.messageId)
      if (!attempts) return
      const endpoint = result.endpointStatus === undefined ? '' : ` (answered ${result.endpointStatus})`
      attempts.textContent = ` · ${plural(result.attempts, 'attempt')}${endpoint}`
    },
    note: (text: string) => add('note', [text]),
    /** Another request on its way (an erasure), shown at once; `done` puts the exchange in its place */
    started: (kind: string, label: string) => {
      const entry = add(kind, [`${label} · waiting for the answer…`])
      return { done: (done: Exchange) => entry.replaceWith(exchange(kind, done)), failed: () => entry.remove() }
    },
  }
}
