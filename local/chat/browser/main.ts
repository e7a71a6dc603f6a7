import './style.css'
import * as api from './api'
import type { Shown } from './conversation'
import { createConversationList } from './conversation-list'
import { byId } from './dom'
import type { DeliveryResult, EndpointEvent } from './inspector'
import { createLinks } from './links'
import { createSwitcher, type Switcher } from './switcher'
import { setUpForget } from './forget'
import { mountEventForm, renderEvent, type EventBody } from './event-form'
import { createTyping } from './typing'
import { modeText, refusal } from './words'

// The page's own caller: it writes as this user in every conversation, its own and those others started
const userId = api.randomId('web-user')
const input = byId<HTMLInputElement>('message')
const sendButton = byId<HTMLButtonElement>('send')
const errorLine = byId<HTMLParagraphElement>('error')
const typing = createTyping(byId('typing'))
const links = createLinks()
const list = createConversationList(byId('conversation-list'), (id) => switcher.open(id))
let config: api.Config
// Made by main() once the config is read; nothing calls it before (the list is empty until then)
let switcher = undefined as unknown as Switcher
let connected = false

const webhookPath = () => new URL(config.webhookUrl).pathname

const showError = (text?: string) => {
  errorLine.textContent = text ?? ''
  errorLine.hidden = !text
}

async function send(text: string, label?: string) {
  const conversation = switcher.current()
  if (!conversation || !text.trim()) return
  showError()
  const messageId = api.randomId('web-msg')
  const userName = byId<HTMLInputElement>('user-name').value.trim()
  const bubble = conversation.own(messageId, label ?? text)
  const body = { userId, conversationId: conversation.id, messageId, type: 'text', text, ...(userName && { userName }) }
  const posting = conversation.inspector.postStarted(webhookPath())
  links.link(bubble, posting.entry)
  try {
    const exchange = await api.postMessage(body)
    posting.done(exchange)
    if (exchange.response.status === 200) return switcher.startPulling(conversation)
    bubble.classList.add('refused')
    if (conversation === switcher.current()) showError(refusal(exchange.response))
  } catch (thrown) {
    posting.failed()
    bubble.classList.add('refused')
    if (conversation === switcher.current()) showError(`The message could not be sent: ${(thrown as Error).message}`)
  }
}

/** Each message Botpress stored, in any conversation and mode: the list follows; push mode shows other callers' */
const onStored = (summary: api.ConversationSummary) => {
  list.upsert(summary)
  const last = summary.last
  if (!last) return
  switcher.learnCaller(last)
  if (last.userId !== userId && summary.conversationId !== switcher.current()?.id)
    list.markUnread(summary.conversationId)
  const conversation = switcher.conversations.get(summary.conversationId)
  if (!conversation?.held || config.mode !== 'push' || last.direction !== 'incoming') return
  const shown: Shown = { ...last, at: last.createdAt }
  void conversation.loaded.then(() => conversation.incoming(shown, switcher.authorOf(last.botpressUserId)))
}

/** Push mode: what the built-in endpoint received, in the inspector of its conversation, and its message shown */
const onEndpoint = (event: EndpointEvent) => {
  if (typeof event.body?.conversationId !== 'string') return
  const conversation = switcher.conversationOf(event.body.conversationId)
  const entry = conversation.inspector.endpoint(event)
  if (event.body.type === 'typing')
    return void (conversation === switcher.current() && typing.apply(event.body.payload))
  if (event.body.type === 'event') return void conversation.messages.append(renderEvent('bot', event.body as EventBody))
  const shown: Shown = { botpressMessageId: event.headers['webhook-id'] ?? '', ...event.body, at: event.receivedAt }
  if (!conversation.held) return conversation.remember(shown.botpressMessageId, entry)
  void conversation.loaded.then(() => {
    conversation.bot(shown, entry)
    if (conversation === switcher.current()) typing.hide()
  })
}

const refreshList = async () => {
  const { conversations, users } = await api.listConversations()
  users.forEach(switcher.learnCaller)
  for (const summary of conversations) list.upsert(summary)
}

/** An erased conversation: shown empty under the same id (its next message starts it again in Botpress) */
const showErased = () => {
  const conversation = switcher.current()!
  conversation.stop.abort()
  conversation.stop = new AbortController()
  conversation.polling = false
  conversation.clear()
  typing.hide()
}

const updateSend = () => void (sendButton.disabled = !connected || !input.value.trim())
const enable = () => {
  connected = true
  input.disabled = false
  updateSend()
}

const main = async () => {
  config = await api.getConfig()
  switcher = createSwitcher({ config, links, list, typing, actions: { send }, onOpen: () => showError() })
  byId('mode').textContent = modeText(config)
  await refreshList()
  switcher.newConversation()
  input.addEventListener('input', updateSend)
  byId('composer').addEventListener('submit', (event) => {
    event.preventDefault()
    const text = input.value
    if (!text.trim()) return
    input.value = ''
    updateSend()
    void send(text)
  })
  byId('new-conversation').addEventListener('click', switcher.newConversation)
  setUpForget({ showError, current: () => switcher.current()!, onErased: showErased })
  mountEventForm(byId('event-form'), { userId, switcher, webhookPath, showError })
  byId('greet').addEventListener('click', async () => {
    const conversation = switcher.current()!
    showError()
    conversation.inspector.note('The bot writes first: getOrCreateConversation for this conversationId, then a message')
    try {
      await api.greet(conversation.id)
      switcher.startPulling(conversation)
    } catch (thrown) {
      if (conversation === switcher.current()) showError(`The bot could not write first: ${(thrown as Error).message}`)
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
    for (const conversation of switcher.conversations.values())
      conversation.inspector.deliveryResult(data(event) as DeliveryResult)
  })
}

main().catch((thrown: Error) => {
  byId('mode').textContent = `The page could not start: ${thrown.message}`
})
