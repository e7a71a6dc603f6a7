import type { LocalRuntime } from '../local'
import type { Caller } from './caller'
import type { FastEndpoint } from './outbound'
import type { Progress } from './progress'

/** Counted figures, not timings: Botpress API calls per caller event (POST /events) and per bot event (sendEvent) */
export type EventFigures = {
  events: number
  apiCallsPerEventNewConversation: number
  apiCallsPerEventKnownConversation: number
  apiCallsPerSendEvent: number
  requestsPerSendEvent: number
}

const eventBody = (conversation: string, eventId: string) => ({
  userId: `u-${conversation}`,
  conversationId: conversation,
  eventId,
  name: 'bench.event',
  payload: { n: eventId },
})

/**
 * Events in (new conversations, then the same conversations again) and out (sendEvent to the fast endpoint), with no
 * API latency, counting the Botpress API calls each made. Undefined for a bundle without events (the v0.2 baseline).
 */
export const measureEvents = async (
  runtime: LocalRuntime,
  caller: Caller,
  endpoint: FastEndpoint,
  progress: Progress,
  tag: string,
  bundleHasEvents: boolean
): Promise<EventFigures | undefined> => {
  if (!bundleHasEvents) return undefined
  progress.step(`${tag}: events in and out, API calls counted`)
  runtime.setApiLatency(0)
  const events = 20
  const conversations = Array.from({ length: events }, (_, index) => `${tag}-events-${index}`)
  const callsFor = async (work: () => Promise<unknown>) => {
    await runtime.idle()
    runtime.clearApiCalls()
    await work()
    return runtime.apiCalls.length / events
  }
  const post = (suffix: string) => async () => {
    for (const conversation of conversations)
      await caller.postOk(eventBody(conversation, `e-${suffix}`), { path: '/events' })
  }
  // The bot stays silent (bot: false): only the integration's own calls are counted
  const apiCallsPerEventNewConversation = await callsFor(post('first'))
  const apiCallsPerEventKnownConversation = await callsFor(post('second'))
  const botpressIds = runtime.store
    .conversations()
    .filter((conversation) => conversations.includes(conversation.tags.id ?? ''))
    .map((conversation) => conversation.id)
  const requestsBefore = endpoint.received()
  const apiCallsPerSendEvent = await callsFor(async () => {
    for (const [index, conversationId] of botpressIds.entries()) {
      await runtime.botApi.callAction('sendEvent', { conversationId, name: 'bench.out', payload: { index } })
      progress.tick(index + 1, events)
    }
  })
  return {
    events,
    apiCallsPerEventNewConversation,
    apiCallsPerEventKnownConversation,
    apiCallsPerSendEvent,
    requestsPerSendEvent: (endpoint.received() - requestsBefore) / events,
  }
}
