import type { ConversationSummary, ListedMessage } from './api'
import { h, timeOf } from './dom'

type Entry = { summary: ConversationSummary; item: HTMLLIElement; unread: boolean; stored: boolean }

const previewOf = (last: ListedMessage | undefined) => {
  if (!last) return 'No messages yet'
  const payload: Record<string, unknown> =
    typeof last.payload === 'object' && last.payload !== null ? (last.payload as Record<string, unknown>) : {}
  const text = [payload.text, payload.markdown, payload.title].find((value) => typeof value === 'string')
  const who = last.direction === 'outgoing' ? 'Bot' : (last.userId ?? 'User')
  return `${who}: ${text ?? `(${last.type})`}`
}

/**
 * Every conversation of the local bot, newest activity first: its conversationId, last message and time, and a mark
 * when messages came while another one was shown. One Tab stop; the arrow keys move between conversations.
 */
export const createConversationList = (list: HTMLElement, open: (conversationId: string) => void) => {
  const entries = new Map<string, Entry>()
  let current: string | undefined

  const render = (id: string, entry: Entry) => {
    const { last, lastActivity } = entry.summary
    const shown = id === current
    entry.item.replaceChildren(
      h(
        'button',
        { type: 'button', 'aria-current': shown && 'true', tabindex: shown ? '0' : '-1', onclick: () => open(id) },
        h('code', {}, id),
        entry.unread && h('span', { class: 'unread', title: 'New messages', 'aria-label': 'unread' }, '●'),
        h('span', { class: 'preview' }, previewOf(last)),
        last && timeOf(lastActivity)
      )
    )
  }

  const refresh = () => {
    const focused = document.activeElement?.closest<HTMLElement>('[data-conversation-id]')?.dataset.conversationId
    const sorted = [...entries].sort(([, a], [, b]) => b.summary.lastActivity.localeCompare(a.summary.lastActivity))
    for (const [id, entry] of sorted) render(id, entry)
    list.replaceChildren(...sorted.map(([, entry]) => entry.item))
    if (focused) entries.get(focused)?.item.querySelector('button')?.focus()
  }

  list.addEventListener('keydown', (event) => {
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0
    const item = (event.target as Element).closest('li')
    if (!step || !item) return
    event.preventDefault()
    const next = step > 0 ? item.nextElementSibling : item.previousElementSibling
    next?.querySelector('button')?.focus()
  })

  return {
    /** A conversation's latest state; `stored: false` for this page's new one, which Botpress has not seen yet */
    upsert: (summary: ConversationSummary, { stored = true } = {}) => {
      const id = summary.conversationId
      const entry = entries.get(id)
      if (entry) Object.assign(entry, { summary, stored: entry.stored || stored })
      else entries.set(id, { summary, item: h('li', { 'data-conversation-id': id }), unread: false, stored })
      refresh()
    },
    markUnread: (id: string) => {
      const entry = entries.get(id)
      if (!entry || id === current) return
      entry.unread = true
      refresh()
    },
    select: (id: string) => {
      current = id
      const entry = entries.get(id)
      if (entry) entry.unread = false
      refresh()
    },
    /** Drops this page's conversation if it never got a message */
    leave: (id: string) => void (entries.get(id)?.stored === false && entries.delete(id)),
    remove: (id: string) => void (entries.delete(id) && refresh()),
  }
}

export type ConversationList = ReturnType<typeof createConversationList>
