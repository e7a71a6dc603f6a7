import { h, pretty, timeOf } from './dom'

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

/** One conversation's raw HTTP: each POST and its answer, each delivery, each pull, each with its time */
export const createInspector = () => {
  const list = h('ol', { id: 'exchanges', 'aria-label': 'HTTP of this conversation' })
  const deliveries = new Map<string, HTMLElement>()

  const detailsOf = (summary: Array<Node | string>, at: number, body: Node[]) =>
    h('details', {}, h('summary', {}, ...summary, timeOf(at)), ...body)

  const add = (kind: string, summary: Array<Node | string>, at: number, ...body: Node[]) => {
    const entry = h('li', { class: `entry ${kind}` }, detailsOf(summary, at, body))
    list.append(entry)
    while (list.children.length > maxEntries) list.firstElementChild?.remove()
    entry.scrollIntoView({ block: 'nearest' })
    return entry
  }

  const status = (code: number) => h('span', { class: code >= 200 && code < 300 ? 'ok' : 'bad' }, `→ ${code}`)

  /** An entry shown while its request waits, then filled with the whole exchange (the same element: links stay) */
  const started = (kind: string, waiting: string) => {
    const at = Date.now()
    const entry = add(kind, [waiting], at)
    const fill = ({ request, response }: Exchange, extra: string[] = []) =>
      entry.replaceChildren(
        detailsOf(
          [`${request.method} ${path(request.url)} `, status(response.status), ...extra.map((text) => ` · ${text}`)],
          at,
          [
            ...section('Request headers', headerLines(request.headers)),
            ...(request.body === undefined ? [] : section('Request body', pretty(request.body))),
            ...section('Answer headers', headerLines(response.headers, ['content-type', 'retry-after', 'allow'])),
            ...section('Answer body', pretty(response.body)),
          ]
        )
      )
    return { entry, fill, failed: () => entry.remove() }
  }

  return {
    list,
    /** A POST on its way, shown at once (its deliveries may come before its answer); `done` fills it in */
    postStarted: (path: string) => {
      const { entry, fill, failed } = started('post', `POST ${path} · waiting for the answer…`)
      return { entry, done: (posted: Exchange) => fill(posted), failed }
    },
    /** A pull on its way, shown at once (a long poll waits up to 8 s); `done` fills it in */
    pullStarted: (path: string, waiting: string) => {
      const { entry, fill, failed } = started('pull', `GET ${path} · ${waiting}`)
      const done = (pulled: Exchange, answer?: { messages: unknown[]; cursor: string }) =>
        fill(pulled, answer ? [plural(answer.messages.length, 'message'), `cursor ${answer.cursor.slice(0, 16)}…`] : [])
      return { entry, done, failed }
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
        [`Delivery ${type} · `, signature, attempts, ' '],
        event.receivedAt,
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
    note: (text: string) => add('note', [text, ' '], Date.now()),
    /** An erasure on its way, shown at once; `done` fills it in */
    erasureStarted: (label: string) => {
      const { entry, fill, failed } = started('erase', `${label} · waiting for the answer…`)
      return { entry, done: (erased: Exchange) => fill(erased), failed }
    },
  }
}

export type Inspector = ReturnType<typeof createInspector>
