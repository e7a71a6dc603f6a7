import * as api from './api'
import { h } from './dom'
import type { Switcher } from './switcher'
import { refusal } from './words'

// Events on the chat page: a small form that sends one (POST /events through the page server), and the row that
// shows an event in the conversation, yours or the bot's. Events are not chat messages: no bubble.

export type EventBody = { name: string; payload: Record<string, unknown> }

const nameMaxLength = 100

/** The form's input, checked as the webhook checks it, so that a mistake is said before anything is sent */
export const parseEventInput = (name: string, payloadText: string): { body: EventBody } | { error: string } => {
  const trimmed = name.trim()
  if (!trimmed) return { error: 'Give the event a name, for example order.shipped' }
  if (trimmed.length > nameMaxLength) return { error: `An event name has at most ${nameMaxLength} characters` }
  if (!payloadText.trim()) return { body: { name: trimmed, payload: {} } }
  let payload: unknown
  try {
    payload = JSON.parse(payloadText)
  } catch {
    return { error: 'The payload is not valid JSON' }
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { error: 'The payload must be a JSON object, for example {"order": "o-42"}' }
  }
  return { body: { name: trimmed, payload: payload as Record<string, unknown> } }
}

/** One event in the conversation: who sent it, its name and its payload */
export const renderEvent = (from: 'me' | 'bot', { name, payload }: EventBody) =>
  h(
    'li',
    { class: `event ${from}`, 'aria-label': `${from === 'me' ? 'Your' : 'The bot’s'} event ${name}` },
    h('span', { class: 'from' }, from === 'me' ? 'Your event' : 'Event from the bot'),
    h('code', { class: 'event-name' }, name),
    Object.keys(payload).length > 0 && h('pre', { class: 'event-payload' }, JSON.stringify(payload, null, 2))
  )

type EventSending = {
  /** the page's caller, who sends the event */
  userId: string
  switcher: Pick<Switcher, 'current' | 'startPulling'>
  /** the webhook's path, as the inspector shows the POST */
  webhookPath: () => string
  showError: (text?: string) => void
}

/** An event of the user's, POSTed to <webhook>/events in the shown conversation; says whether it was taken */
const sendEvent = async ({ userId, switcher, webhookPath, showError }: EventSending, event: EventBody) => {
  const conversation = switcher.current()
  if (!conversation) return false
  showError()
  const body = { userId, conversationId: conversation.id, eventId: api.randomId('web-evt'), ...event }
  const posting = conversation.inspector.postStarted(`${webhookPath()}/events`)
  try {
    const exchange = await api.postEvent(body)
    posting.done(exchange)
    if (exchange.response.status !== 200) {
      if (conversation === switcher.current()) showError(refusal(exchange.response))
      return false
    }
    conversation.messages.append(renderEvent('me', event))
    switcher.startPulling(conversation)
    return true
  } catch (thrown) {
    posting.failed()
    showError(`The event could not be sent: ${(thrown as Error).message}`)
    return false
  }
}

/**
 * The form, in `container`: a checked event is sent (the form is then cleared once it was taken); what is wrong
 * with the input or the answer goes to `showError`.
 */
export const mountEventForm = (container: HTMLElement, sending: EventSending) => {
  const name = h('input', { id: 'event-name', autocomplete: 'off', placeholder: 'order.shipped' })
  const payload = h('textarea', { id: 'event-payload', rows: '2', placeholder: '{"order": "o-42"}' })
  const button = h('button', { type: 'submit' }, 'Send event')
  const form = h(
    'form',
    { id: 'event-composer', 'aria-label': 'Send an event' },
    h('label', { for: 'event-name' }, 'Event'),
    name,
    h('label', { for: 'event-payload' }, 'Payload (JSON object)'),
    payload,
    button
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const parsed = parseEventInput(name.value, payload.value)
    if ('error' in parsed) return sending.showError(parsed.error)
    button.disabled = true
    void sendEvent(sending, parsed.body)
      .then((taken) => {
        if (taken) {
          name.value = ''
          payload.value = ''
        }
      })
      .finally(() => (button.disabled = false))
  })
  container.replaceChildren(h('details', {}, h('summary', {}, 'Send an event to the bot'), form))
}
