import './style.css'
import * as api from './api'
import { byId, h } from './dom'
import { mountEventForm, renderEvent, type EventBody } from './event-form'
import { createInspector, type DeliveryResult, type EndpointEvent } from './inspector'
import { renderMessage } from './render'
import { createTyping } from './typing'
import { pullMessages } from './pull-loop'
import { modeText, refusal } from './words'

type Conversation = {
  id: string
  /** the messageIds this page sent: a pull lists them again */
  sent: Set<string>
  /** bot messages shown, by Botpress id: a repeated delivery or pull shows nothing new */
  shown: Set<string>
  /** ends this conversation's long poll */
  stop: AbortController
  polling: boolean
}

const random = () => crypto.randomUUID().slice(0, 8)
const userId = `web-user-${random()}`
const messages = byId<HTMLOListElement>('messages')
const input = byId<HTMLInputElement>('message')
const errorLine = byId<HTMLParagraphElement>('error')
const inspector = createInspector(byId('exchanges'))
const typing = createTyping(byId('typing'))
let config: api.Config
let conversation: Conversation

const showError = (text?: string) => {
  errorLine.textContent = text ?? ''
  errorLine.hidden = !text
}

const show = (from: 'me' | 'bot', content: HTMLElement) => {
  const item = h(
    'li',
    { class: `message ${from}` },
    h('span', { class: 'from' }, from === 'me' ? 'You' : 'Bot'),
    content
  )
  messages.append(item)
  item.scrollIntoView({ block: 'nearest' })
  return item
}

const showBot = (botpressMessageId: string, type: string, payload: Record<string, unknown>) => {
  if (conversation.shown.has(botpressMessageId)) return
  conversation.shown.add(botpressMessageId)
  typing.hide()
  show('bot', renderMessage(type, payload ?? {}, { send }))
}

async function send(text: string) {
  showError()
  const current = conversation
  const messageId = `web-msg-${random()}`
  const userName = byId<HTMLInputElement>('user-name').value.trim()
  current.sent.add(messageId)
  const bubble = show('me', h('p', { class: 'text' }, text))
  const body = { userId, conversationId: current.id, messageId, type: 'text', text, ...(userName && { userName }) }
  const shown = inspector.postStarted(new URL(config.webhookUrl).pathname)
  try {
    const exchange = await api.postMessage(body)
    if (current !== conversation) return
    shown.done(exchange)
    if (exchange.response.status !== 200) {
      bubble.classList.add('refused')
      return showError(refusal(exchange.response))
    }
    startPulling(current)
  } catch (thrown) {
    shown.failed()
    bubble.classList.add('refused')
    showError(`The message could not be sent: ${(thrown as Error).message}`)
  }
}

/** An event of the user's, POSTed to <webhook>/events; shown as an event, not a bubble */
async function sendEvent(event: EventBody) {
  showError()
  const current = conversation
  const eventId = `web-evt-${random()}`
  const body = { userId, conversationId: current.id, eventId, ...event }
  const shown = inspector.postStarted(`${new URL(config.webhookUrl).pathname}/events`)
  try {
    const exchange = await api.postEvent(body)
    if (current !== conversation) return false
    shown.done(exchange)
    if (exchange.response.status !== 200) {
      showError(refusal(exchange.response))
      return false
    }
    messages.append(renderEvent('me', event))
    startPulling(current)
    return true
  } catch (thrown) {
    shown.failed()
    showError(`The event could not be sent: ${(thrown as Error).message}`)
    return false
  }
}

/** Pull mode: the conversation's messages from the integration's pull route, for as long as it is shown */
function startPulling(current: Conversation) {
  if (config.mode === 'push' || current.polling) return
  current.polling = true
  void pullMessages({
    conversationId: current.id,
    webhookPath: new URL(config.webhookUrl).pathname,
    inspector,
    signal: current.stop.signal,
    onMessage: (message) => {
      if (message.direction === 'outgoing') return showBot(message.botpressMessageId, message.type, message.payload)
      if (current.sent.has(message.messageId)) return
      // Written by another caller in this conversation (a curl, for example)
      current.sent.add(message.messageId)
      show('me', renderMessage(message.type, message.payload ?? {}, { send }))
    },
  })
}

const newConversation = () => {
  conversation?.stop.abort()
  conversation = {
    id: `web-${random()}`,
    sent: new Set(),
    shown: new Set(),
    stop: new AbortController(),
    polling: false,
  }
  byId('conversation-id').textContent = conversation.id
  messages.replaceChildren()
  inspector.clear()
  typing.hide()
  showError()
}

const onEndpoint = (event: EndpointEvent) => {
  if (event.body?.conversationId !== conversation.id) return
  inspector.endpoint(event)
  if (event.body.type === 'typing') return typing.apply(event.body.payload)
  if (event.body.type === 'event') return void messages.append(renderEvent('bot', event.body as EventBody))
  showBot(event.headers['webhook-id'] ?? '', event.body.type, event.body.payload)
}

const enable = () => {
  input.disabled = false
  byId<HTMLButtonElement>('send').disabled = false
}

const main = async () => {
  config = await api.getConfig()
  byId('mode').textContent = modeText(config)
  newConversation()
  byId('composer').addEventListener('submit', (event) => {
    event.preventDefault()
    const text = input.value
    input.value = ''
    void send(text)
  })
  byId('new-conversation').addEventListener('click', newConversation)
  mountEventForm(byId('event-form'), sendEvent, showError)
  byId('greet').addEventListener('click', async () => {
    const current = conversation
    showError()
    inspector.note('The bot writes first: getOrCreateConversation for this conversationId, then a message')
    try {
      await api.greet(current.id)
      if (current === conversation) startPulling(current)
    } catch (thrown) {
      showError(`The bot could not write first: ${(thrown as Error).message}`)
    }
  })
  if (config.mode !== 'push') return enable()
  const events = new EventSource('/api/events')
  events.addEventListener('open', () => {
    byId('mode').textContent = modeText(config)
    enable()
  })
  // The browser reconnects by itself: say so meanwhile (npm start stopped or restarting)
  events.addEventListener('error', () => {
    byId('mode').textContent = 'Not connected to npm start: reconnecting… (is it still running?)'
  })
  events.addEventListener('endpoint', (event) => onEndpoint(JSON.parse((event as MessageEvent).data)))
  events.addEventListener('delivery', (event) =>
    inspector.deliveryResult(JSON.parse((event as MessageEvent).data) as DeliveryResult)
  )
}

main().catch((thrown: Error) => {
  byId('mode').textContent = `The page could not start: ${thrown.message}`
})
