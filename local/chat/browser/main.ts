import './style.css'
import * as api from './api'
import { byId, h } from './dom'
import { createInspector, type DeliveryResult, type EndpointEvent, type Exchange } from './inspector'
import { renderMessage } from './render'
import { createTyping } from './typing'

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

/** The integration's error answer in words: its message, then each issue's field */
const refusal = ({ status, body }: Exchange['response']) => {
  try {
    const error = JSON.parse(body) as {
      code?: string
      message?: string
      issues?: Array<{ path: string; message: string }>
    }
    const issues = (error.issues ?? []).map((issue) => `${issue.path}: ${issue.message}`).join('; ')
    return `The integration refused the message (HTTP ${status}, ${error.code}): ${error.message}${issues ? ` (${issues})` : ''}`
  } catch {
    return `The integration refused the message (HTTP ${status}): ${body.slice(0, 300)}`
  }
}

async function send(text: string) {
  showError()
  const current = conversation
  const messageId = `web-msg-${random()}`
  const userName = byId<HTMLInputElement>('user-name').value.trim()
  current.sent.add(messageId)
  const bubble = show('me', h('p', { class: 'text' }, text))
  const body = { userId, conversationId: current.id, messageId, type: 'text', text, ...(userName && { userName }) }
  try {
    const exchange = await api.postMessage(body)
    if (current !== conversation) return
    inspector.post(exchange)
    if (exchange.response.status !== 200) {
      bubble.classList.add('refused')
      return showError(refusal(exchange.response))
    }
    startPulling(current)
  } catch (thrown) {
    bubble.classList.add('refused')
    showError(`The message could not be sent: ${(thrown as Error).message}`)
  }
}

const delay = (ms: number, signal: AbortSignal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve(undefined)))
  })

type Pulled = { messages: Array<Record<string, any>>; cursor: string; hasMore: boolean }

/** Pull mode: long-polls the integration's pull route with the cursor, for as long as the conversation is shown */
async function startPulling(current: Conversation) {
  if (config.mode === 'push' || current.polling) return
  current.polling = true
  let after: string | undefined
  const { signal } = current.stop
  while (!signal.aborted) {
    const query = api.pullQuery(after)
    const shown = inspector.pullStarted(
      `${new URL(config.webhookUrl).pathname}/conversations/${encodeURIComponent(current.id)}/messages?${query}`
    )
    try {
      const exchange = await api.pull(current.id, query, signal)
      if (signal.aborted) return
      const answer = exchange.response.status === 200 ? (JSON.parse(exchange.response.body) as Pulled) : undefined
      shown.done(exchange, answer)
      if (!answer) {
        await delay(2000, signal)
        continue
      }
      for (const message of answer.messages) {
        if (message.direction === 'outgoing') showBot(message.botpressMessageId, message.type, message.payload)
        else if (!current.sent.has(message.messageId)) {
          // Written by another caller in this conversation (a curl, for example)
          current.sent.add(message.messageId)
          show('me', renderMessage(message.type, message.payload ?? {}, { send }))
        }
      }
      after = answer.cursor
    } catch (thrown) {
      shown.failed()
      if (signal.aborted) return
      inspector.note(`Pull failed: ${(thrown as Error).message}; trying again in 2 s`)
      await delay(2000, signal)
    }
  }
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
  showBot(event.headers['webhook-id'] ?? '', event.body.type, event.body.payload)
}

const modeText = () => {
  if (config.mode === 'pull') {
    return 'Pull-only (--no-endpoint): nothing is pushed; this page long-polls the integration’s pull route (GET …/conversations/<id>/messages?after=<cursor>&wait=8) for the bot’s messages. Pull answers carry no typing.'
  }
  if (config.mode === 'own-endpoint') {
    return 'Replies are pushed to your own Response Endpoint (--endpoint); this page reads them by long-polling the pull route with the cursor.'
  }
  const signing = config.signed
    ? 'each signature is verified'
    : 'unsigned: start with --signing-secret generate to sign them'
  return `Replies are pushed by the integration to the built-in endpoint and shown here as they arrive (${signing}).`
}

const enable = () => {
  input.disabled = false
  byId<HTMLButtonElement>('send').disabled = false
}

const main = async () => {
  config = await api.getConfig()
  byId('mode').textContent = modeText()
  newConversation()
  byId('composer').addEventListener('submit', (event) => {
    event.preventDefault()
    const text = input.value
    input.value = ''
    void send(text)
  })
  byId('new-conversation').addEventListener('click', newConversation)
  byId('greet').addEventListener('click', async () => {
    const current = conversation
    showError()
    try {
      await api.greet(current.id)
      inspector.note('The bot wrote first: getOrCreateConversation for this conversationId, then a message')
      startPulling(current)
    } catch (thrown) {
      showError(`The bot could not write first: ${(thrown as Error).message}`)
    }
  })
  if (config.mode !== 'push') return enable()
  const events = new EventSource('/api/events')
  events.addEventListener('open', enable)
  events.addEventListener('endpoint', (event) => onEndpoint(JSON.parse((event as MessageEvent).data)))
  events.addEventListener('delivery', (event) =>
    inspector.deliveryResult(JSON.parse((event as MessageEvent).data) as DeliveryResult)
  )
}

main().catch((thrown: Error) => {
  byId('mode').textContent = `The page could not start: ${thrown.message}`
})
