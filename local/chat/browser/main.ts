import './style.css'
import * as api from './api'
import { createConversation, type Conversation, type Shown } from './conversation'
import { createConversationList } from './conversation-list'
import { byId } from './dom'
import type { DeliveryResult, EndpointEvent } from './inspector'
import { createLinks } from './links'
import type { Author } from './message-list'
import { pullMessages, type PulledMessage } from './pull-loop'
import { createTyping } from './typing'
import { curlFor, modeText, refusal } from './words'

const random = () => crypto.randomUUID().slice(0, 8)
// The page's own caller: it writes as this user in every conversation, its own and those others started
const userId = `web-user-${random()}`
const input = byId<HTMLInputElement>('message')
const sendButton = byId<HTMLButtonElement>('send')
const errorLine = byId<HTMLParagraphElement>('error')
const typing = createTyping(byId('typing'))
const links = createLinks()
const conversations = new Map<string, Conversation>()
/** other callers by Botpress user id, to name the author of a message this page did not send */
const callers = new Map<string, string>()
const list = createConversationList(byId('conversation-list'), (id) => open(id))
let config: api.Config
let current: Conversation | undefined
let connected = false

const webhookPath = () => new URL(config.webhookUrl).pathname

const showError = (text?: string) => {
  errorLine.textContent = text ?? ''
  errorLine.hidden = !text
}

const learnCaller = ({ botpressUserId, userId, userName }: Omit<api.Caller, 'userId'> & { userId?: string }) =>
  userId && callers.set(botpressUserId, userName ? `${userName} (${userId})` : userId)

const authorOf = (botpressUserId: string): Author => ({
  from: 'other',
  label: callers.get(botpressUserId) ?? 'Another caller',
})

const conversationOf = (id: string) => {
  let conversation = conversations.get(id)
  if (!conversation) {
    conversation = createConversation(id, { links, actions: { send } })
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
function startPulling(conversation: Conversation) {
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
function open(id: string, { fresh = false } = {}) {
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
  showError()
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
  const id = `web-${random()}`
  // The one it replaces goes from the list if it never got a message (it exists nowhere)
  if (current) list.leave(current.id)
  conversationOf(id).held = true
  list.upsert(
    { conversationId: id, botpressConversationId: '', lastActivity: new Date().toISOString() },
    { stored: false }
  )
  open(id, { fresh: true })
}

async function send(text: string, label?: string) {
  if (!current || !text.trim()) return
  showError()
  const conversation = current
  const messageId = `web-msg-${random()}`
  const userName = byId<HTMLInputElement>('user-name').value.trim()
  const bubble = conversation.own(messageId, label ?? text)
  const body = { userId, conversationId: conversation.id, messageId, type: 'text', text, ...(userName && { userName }) }
  const posting = conversation.inspector.postStarted(webhookPath())
  links.link(bubble, posting.entry)
  try {
    const exchange = await api.postMessage(body)
    posting.done(exchange)
    if (exchange.response.status === 200) return startPulling(conversation)
    bubble.classList.add('refused')
    if (conversation === current) showError(refusal(exchange.response))
  } catch (thrown) {
    posting.failed()
    bubble.classList.add('refused')
    if (conversation === current) showError(`The message could not be sent: ${(thrown as Error).message}`)
  }
}

/** Each message Botpress stored, in any conversation and mode: the list follows; push mode shows other callers' */
const onStored = (summary: api.ConversationSummary) => {
  list.upsert(summary)
  const last = summary.last
  if (!last) return
  learnCaller(last)
  if (last.userId !== userId && summary.conversationId !== current?.id) list.markUnread(summary.conversationId)
  const conversation = conversations.get(summary.conversationId)
  if (!conversation?.held || config.mode !== 'push' || last.direction !== 'incoming') return
  const shown: Shown = { ...last, at: last.createdAt }
  void conversation.loaded.then(() => conversation.incoming(shown, authorOf(last.botpressUserId)))
}

/** Push mode: what the built-in endpoint received, in the inspector of its conversation, and its message shown */
const onEndpoint = (event: EndpointEvent) => {
  if (typeof event.body?.conversationId !== 'string') return
  const conversation = conversationOf(event.body.conversationId)
  const entry = conversation.inspector.endpoint(event)
  if (event.body.type === 'typing') return void (conversation === current && typing.apply(event.body.payload))
  const shown: Shown = { botpressMessageId: event.headers['webhook-id'] ?? '', ...event.body, at: event.receivedAt }
  if (!conversation.held) return conversation.remember(shown.botpressMessageId, entry)
  void conversation.loaded.then(() => {
    conversation.bot(shown, entry)
    if (conversation === current) typing.hide()
  })
}

const refreshList = async () => {
  const { conversations, users } = await api.listConversations()
  users.forEach(learnCaller)
  for (const summary of conversations) list.upsert(summary)
}

const updateSend = () => void (sendButton.disabled = !connected || !input.value.trim())
const enable = () => {
  connected = true
  input.disabled = false
  updateSend()
}

const main = async () => {
  config = await api.getConfig()
  byId('mode').textContent = modeText(config)
  await refreshList()
  newConversation()
  input.addEventListener('input', updateSend)
  byId('composer').addEventListener('submit', (event) => {
    event.preventDefault()
    const text = input.value
    if (!text.trim()) return
    input.value = ''
    updateSend()
    void send(text)
  })
  byId('new-conversation').addEventListener('click', newConversation)
  byId('greet').addEventListener('click', async () => {
    const conversation = current!
    showError()
    conversation.inspector.note('The bot writes first: getOrCreateConversation for this conversationId, then a message')
    try {
      await api.greet(conversation.id)
      startPulling(conversation)
    } catch (thrown) {
      if (conversation === current) showError(`The bot could not write first: ${(thrown as Error).message}`)
    }
  })
  if (config.mode !== 'push') enable()
  const events = new EventSource('/api/events')
  events.addEventListener('open', () => {
    byId('mode').textContent = modeText(config)
    enable()
    // What happened while the stream was down
    void refreshList().catch(() => {})
  })
  // The browser reconnects by itself: say so meanwhile (npm start stopped or restarting)
  events.addEventListener('error', () => {
    byId('mode').textContent = 'Not connected to npm start: reconnecting… (is it still running?)'
  })
  const data = (event: Event) => JSON.parse((event as MessageEvent).data)
  events.addEventListener('conversation', (event) => onStored(data(event)))
  events.addEventListener('endpoint', (event) => onEndpoint(data(event)))
  events.addEventListener('delivery', (event) => {
    for (const conversation of conversations.values())
      conversation.inspector.deliveryResult(data(event) as DeliveryResult)
  })
}

main().catch((thrown: Error) => {
  byId('mode').textContent = `The page could not start: ${thrown.message}`
})
