import { h } from './dom'
import { createInspector } from './inspector'
import type { Links } from './links'
import { createMessageList, type Author } from './message-list'
import { renderMessage, type Actions } from './render'

/** A message to show, from a delivery, a pull or the local Botpress */
export type Shown = {
  botpressMessageId: string
  messageId?: string | null
  type: string
  payload: any
  at: number | string
}

export type ConversationOptions = { links: Links; actions: Actions }

/**
 * One conversation as the page holds it: its messages and its inspector (kept while another one is shown, and fed
 * meanwhile), each message shown once however often it is delivered or pulled, each linked to the HTTP that
 * carried it.
 */
export const createConversation = (id: string, { links, actions }: ConversationOptions) => {
  const messages = createMessageList()
  const inspector = createInspector()
  links.follow(messages.element, '.message')
  links.follow(inspector.list, '.entry')
  /** by Botpress message id */
  const shown = new Map<string, HTMLElement>()
  /** this page's messages, by messageId: a pull lists them again */
  const sent = new Map<string, HTMLElement>()
  /** deliveries of messages not shown yet (the history is pulled when the conversation is opened), by Botpress id */
  const waiting = new Map<string, HTMLElement[]>()

  const once = (message: Shown, entry: HTMLElement | undefined, add: () => HTMLElement) => {
    const own = message.messageId ? sent.get(message.messageId) : undefined
    const element = shown.get(message.botpressMessageId) ?? own ?? add()
    shown.set(message.botpressMessageId, element)
    for (const each of [...(waiting.get(message.botpressMessageId) ?? []), ...(entry ? [entry] : [])]) {
      links.link(element, each)
    }
    waiting.delete(message.botpressMessageId)
    return element
  }

  return {
    id,
    messages,
    inspector,
    /** ends this conversation's long poll (pull modes) when it is no longer shown */
    stop: new AbortController(),
    polling: false,
    /** its messages are shown here: started on this page, or its history pulled since it was opened */
    held: false,
    /** in push mode, resolves once its history is shown: what arrives meanwhile waits for it */
    loaded: Promise.resolve() as Promise<unknown>,
    isEmpty: () => messages.element.childElementCount === 0,
    /** This page's message, shown at once as what the person clicked or typed */
    own: (messageId: string, text: string) => {
      messages.answerChoices()
      messages.pin()
      const element = messages.add({ from: 'me', label: 'You' }, h('p', { class: 'text' }, text), Date.now())
      sent.set(messageId, element)
      return element
    },
    bot: (message: Shown, entry?: HTMLElement) =>
      once(message, entry, () =>
        messages.add(
          { from: 'bot', label: 'Bot' },
          renderMessage(message.type, message.payload ?? {}, actions),
          message.at
        )
      ),
    /** A caller's message this page did not send (a curl, another back end, an earlier page) */
    incoming: (message: Shown, author: Author, entry?: HTMLElement) =>
      once(message, entry, () => {
        messages.answerChoices()
        return messages.add(author, renderMessage(message.type, message.payload ?? {}, actions), message.at)
      }),
    /** A delivery of a message that will show once the history is pulled: linked to it then */
    remember: (botpressMessageId: string, entry: HTMLElement) =>
      void waiting.set(botpressMessageId, [...(waiting.get(botpressMessageId) ?? []), entry]),
    /** Erased: its messages are gone (its next message starts it again) */
    clear: () => {
      messages.element.replaceChildren()
      for (const held of [shown, sent, waiting]) held.clear()
    },
    /** Whether this page sent the message of this messageId */
    sentHere: (messageId: string | null | undefined) => Boolean(messageId && sent.has(messageId)),
  }
}

export type Conversation = ReturnType<typeof createConversation>
