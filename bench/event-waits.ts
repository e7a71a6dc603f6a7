import type { LocalRuntime } from '../local'
import { textMessage, type Caller } from './caller'
import type { Progress } from './progress'
import { mean, median, percentile } from './stats'
import { pullPath, replyToWaitingCaller, sleep } from './waiting-reply'

export type EventWaitFigures = {
  /** a reply made 0.3-2.5 s after a caller's event, to a caller whose wait was already held on the other copy */
  replyAfterEvent: { medianMs: number; p95Ms: number; apiCallsPerWait: number }
  /** GET wait=8 on a conversation with nothing in the last minute, where the caller sent an event a minute ago */
  idleApiCallsPerWait: number
}

/** A conversation whose message and event are a minute old (so a wait on it is idle, and follows events) */
const eventConversation = async (runtime: LocalRuntime, caller: Caller, name: string) => {
  const body = textMessage(name)
  const minuteAgo = Date.now() - 60_000
  runtime.setClock(() => new Date(minuteAgo))
  try {
    const posted = JSON.parse((await caller.postOk(body)).body)
    const event = { ...body, eventId: `${body.messageId}-first`, name: 'page.viewed' }
    await caller.postOk(event, { path: '/events' })
    return { body, posted }
  } finally {
    runtime.setClock(undefined)
  }
}

/**
 * The caller's events, on two copies: its wait is held on one (started 0-1 s before the event, so that the event
 * lands anywhere in the wait's schedule), its event goes to the other, and the bot answers 0.3-2.5 s after the event.
 */
export const measureEventWaits = async (
  runtime: LocalRuntime,
  caller: Caller,
  samples: number,
  progress: Progress,
  tag: string
): Promise<EventWaitFigures> => {
  progress.step(`${tag}: replies 0.3-2.5 s after a caller's event → a caller already waiting on the other copy`)
  const delays: number[] = []
  const calls: number[] = []
  for (let index = 0; index < samples; index += 1) {
    const { body, posted } = await eventConversation(runtime, caller, `${tag}-event-wait-${index}`)
    runtime.clearApiCalls()
    const waiting = caller.get(pullPath(body.conversationId, `wait=8&after=${posted.cursor}`))
    await sleep((index * 379) % 1_000)
    const sent = await caller.postOk(
      { ...body, eventId: `${body.messageId}-${index}`, name: 'cart.updated' },
      {
        path: '/events',
      }
    )
    const eventAt = Date.parse(JSON.parse(sent.body).event.createdAt)
    const replyAt = eventAt + 300 + ((index * 733) % 2_200)
    delays.push(await replyToWaitingCaller(runtime, posted.conversation.id, waiting, replyAt))
    // The wait's calls: listings and look-ups (the event's own calls left out)
    calls.push(runtime.apiCalls.filter((call) => ['listMessages', 'listConversations'].includes(call.route)).length)
    progress.tick(index + 1, samples)
  }

  progress.step(`${tag}: idle waits of 8 s where the caller sends events`)
  const idleCalls: number[] = []
  for (let index = 0; index < 2; index += 1) {
    const { body, posted } = await eventConversation(runtime, caller, `${tag}-event-idle-${index}`)
    runtime.clearApiCalls()
    await caller.get(pullPath(body.conversationId, `wait=8&after=${posted.cursor}`))
    idleCalls.push(runtime.apiCalls.length)
    progress.tick(index + 1, 2)
  }
  return {
    replyAfterEvent: { medianMs: median(delays), p95Ms: percentile(delays, 95), apiCallsPerWait: mean(calls) },
    idleApiCallsPerWait: mean(idleCalls),
  }
}
