import type { EndpointEvent } from './integration-process'
import type { EndpointTrace } from './message-delivery'

type Entry = { attempts: number; endpointStatus?: number }

// Bounded: a webhook-id never taken (a request the runtime did not ask for) must not grow the map for ever
const maxEntries = 10_000

/** Counts the integration's requests to the endpoint per webhook-id, until the delivery takes them */
export const createEndpointTrace = (): EndpointTrace & { record: (event: EndpointEvent) => void } => {
  const entries = new Map<string, Entry>()
  return {
    record: ({ webhookId, answerStatus }) => {
      const entry = entries.get(webhookId) ?? { attempts: 0 }
      if (answerStatus === undefined) entry.attempts++
      else entry.endpointStatus = answerStatus
      entries.set(webhookId, entry)
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string)
    },
    take: (messageId) => {
      const entry = entries.get(messageId) ?? { attempts: 0 }
      entries.delete(messageId)
      return entry
    },
  }
}
