import { h, timeOf } from './dom'

/** Who wrote a message: this page's user, the bot, or another caller (a curl, a back end) */
export type Author = { from: 'me' | 'bot' | 'other'; label: string }

// Within this distance of the bottom, the list counts as scrolled to the end
const bottomSlackPx = 24

/**
 * One conversation's messages, oldest first. The newest stays in view as messages come and grow (an image loading,
 * the pane shrinking) unless the person scrolled up; sending scrolls down again.
 */
export const createMessageList = () => {
  const list = h('ol', { id: 'messages', 'aria-label': 'Conversation', 'aria-live': 'polite' })
  let pinned = true
  let lastTop = 0
  let savedTop = 0

  const toBottom = () => {
    list.scrollTop = list.scrollHeight
    lastTop = list.scrollTop
  }
  list.addEventListener('scroll', () => {
    // Only the person scrolls up: content that grows never moves scrollTop
    if (list.scrollTop < lastTop - 1) pinned = false
    if (list.scrollHeight - list.scrollTop - list.clientHeight <= bottomSlackPx) pinned = true
    lastTop = list.scrollTop
  })
  const resized = new ResizeObserver(() => pinned && list.isConnected && toBottom())
  resized.observe(list)

  /** An item at the end, kept in view while the list follows the newest */
  const append = (item: HTMLElement) => {
    list.append(item)
    resized.observe(item)
    if (pinned) toBottom()
    return item
  }

  return {
    element: list,
    append,
    add: ({ from, label }: Author, content: HTMLElement, at: number | string) =>
      append(h('li', { class: `message ${from}` }, h('span', { class: 'from' }, `${label} · `, timeOf(at)), content)),
    /** A message was sent after them: the choices shown so far are answered (as in Botpress webchat) */
    answerChoices: () => {
      for (const control of list.querySelectorAll<HTMLButtonElement | HTMLSelectElement>(
        '.choice button, .dropdown select, .dropdown button'
      )) {
        control.disabled = true
      }
    },
    /** Back to following the newest message (the person sends one) */
    pin: () => {
      pinned = true
      toBottom()
    },
    /** Before the list leaves the page (another conversation shown): its place is lost with it */
    detached: () => void (savedTop = list.scrollTop),
    attached: () => (pinned ? toBottom() : void (list.scrollTop = lastTop = savedTop)),
  }
}

export type MessageList = ReturnType<typeof createMessageList>
