import * as api from './api'
import { createConversation, type Conversation, type Shown } from './conversation'
import type { ConversationList } from './conversation-list'
import { byId } from './dom'
import type { Links } from './links'
import type { Author } from './message-list'
import { pullMessages, type PulledMessage } from './pull-loop'
import type { Actions } from './render'
import type { createTyping } from './typing'
import { curlFor } from './words'

export type SwitcherOptions = {
  config: api.Config
  links: Links
  list: ConversationList
  typing: ReturnType<typeof createTyping>
  actions: Actions
  /** a new conversation is shown: the error line of the last one goes */
  onOpen: () => void
}

/**
 * The conversations this page holds, and the one it shows: switching swaps its messages and inspector in; one
 * started elsewhere has its history pulled once (push mode) or is long-polled while shown (pull modes).
 */
export const createSwitcher = ({ config, links, list, typing, actions, onOpen }: SwitcherOptions) => {
  const conversations = new Map<string, Conversation>()
  /** other callers by Botpress user id, to name the author of a message this page did not send */
  const callers = new Map<string, string>()
  let current: Conversation | undefined
  const webhookPath = () => new URL(config.webhookUrl).pathname

  const learnCaller = ({ botpressUserId, userId, userName }: Omit<api.Caller, 'userId'> & { userId?: string }) =>
    userId && callers.set(botpressUserId, userName ? `${userName} (${userId})` : userId)

  const authorOf = (botpressUserId: string): Author => ({
    from: 'other',
    label: callers.get(botpressUserId) ?? 'Another caller',
  })

  const conversationOf = (id: string) => {
    let conversation = conversations.get(id)
    if (!conversation) {
      conversation = createConversation(id, { links, actions })
      conversations.set(id, conversation)
    }
    return conversation
  }

  /** A pulled message in its conversation: the bot's, this page's own (already shown), or another caller's */
  const onPulled = (conversation: Conversation) => (message: PulledMessage, entry: HTMLElement) => {
    const shown: Shown = { ...message, at: message.createdAt } as Shown
    if (message.direction !== 'outgoing')
      return void conversation.incoming(shown, authorOf(message.botpressUserId), entry)
    conversation.bot(shown, entry)
    if (conversation === current) typing.hide()
  }

  /** Pull modes: the conversation's messages from the integration's pull route, for as long as it is shown */
  const startPulling = function (conversation: Conversation) {
    if (config.mode === 'push' || conversation.polling || conversation !== current) return
    conversation.polling = true
    const { signal } = conversation.stop
    void pullMessages({
      conversationId: conversation.id,
      webhookPath: webhookPath(),
      inspector: conversation.inspector,
      signal,
      onMessage: onPulled(conversation),
    })
  }

  /** Shows a conversation, its messages and inspector in place of the other's; one started elsewhere is pulled */
  const open = function (id: string, { fresh = false } = {}) {
    if (current?.id === id) return
    if (current) {
      current.stop.abort()
      current.polling = false
      current.messages.detached()
    }
    const next = conversationOf(id)
    next.stop = new AbortController()
    byId('messages').replaceWith(next.messages.element)
    byId('exchanges').replaceWith(next.inspector.list)
    next.messages.attached()
    current = next
    byId('conversation-id').textContent = id
    byId('empty-curl').textContent = curlFor(config.webhookUrl, id)
    list.select(id)
    typing.hide()
    onOpen()
    if (fresh) return
    if (config.mode !== 'push') return startPulling(next)
    if (next.held) return
    // Push mode: what came before is pulled once; what arrives meanwhile waits for it, so the order holds
    next.held = true
    next.loaded = pullMessages({
      conversationId: id,
      webhookPath: webhookPath(),
      inspector: next.inspector,
      signal: new AbortController().signal,
      onMessage: onPulled(next),
      historyOnly: true,
    })
  }

  const newConversation = () => {
    const id = api.randomId('web')
    // The one it replaces goes from the list if it never got a message (it exists nowhere)
    if (current) list.leave(current.id)
    conversationOf(id).held = true
    list.upsert(
      { conversationId: id, botpressConversationId: '', lastActivity: new Date().toISOString() },
      { stored: false }
    )
    open(id, { fresh: true })
  }

  return {
    conversations,
    current: () => current,
    conversationOf,
    learnCaller,
    authorOf,
    startPulling,
    open,
    newConversation,
  }
}

export type Switcher = ReturnType<typeof createSwitcher>
