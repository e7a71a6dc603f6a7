import { startLocalRuntime } from '../local'
import type { BotFunction } from '../local/bot/types'
import { createCaller, textMessage } from './caller'
import { measureEventWaits, type EventWaitFigures } from './event-waits'
import type { Progress } from './progress'
import { mean, median, percentile } from './stats'
import { pullPath, replyToWaitingCaller, sleep } from './waiting-reply'

export type WaitFigures = {
  /** a reply made 0.3-2.5 s after the caller's message, to a caller already waiting on the other copy */
  replyAfterMessage: { medianMs: number; p95Ms: number; apiCallsPerWait: number }
  /** GET wait=8 on a conversation with nothing in the last minute */
  idleApiCallsPerWait: number
  /** the same after the caller's events (their wait held before the event) */
  events: EventWaitFigures
  /** POST ?wait=8 on a turn "reply, 2 s pause, reply" */
  pausedTurn: { repliesReturned: number; medianMsAfterTurnEnd: number; maxMsAfterTurnEnd: number; samples: number }
}

export type WaitPlan = { latencyMs: number; samples: number }

const pausingBot: BotFunction = async ({ message, api }) => {
  await api.sendMessage({ conversationId: message.conversationId, type: 'text', payload: { text: 'let me check' } })
  await sleep(2_000)
  return [{ type: 'text', payload: { text: 'here it is' } }]
}

/**
 * Rules 23 and 24 through two copies of the bundle (operations alternate between them, so the caller's POST and its
 * wait run on different copies). Its own runtime: two copies would change the other rows' figures (id caches).
 */
export const measureWaits = async (
  bundlePath: string,
  plan: WaitPlan,
  progress: Progress,
  tag: string
): Promise<WaitFigures> => {
  const runtime = await startLocalRuntime({
    bundlePath,
    bot: false,
    quiet: true,
    traceEndpoint: false,
    integrationCopies: 2,
    apiLatencyMs: plan.latencyMs,
  })
  const caller = createCaller(runtime.webhookUrl, runtime.personalAccessToken)
  try {
    progress.step(`${tag}: replies 0.3-2.5 s after a caller's message → a caller waiting on the other copy`)
    const delays: number[] = []
    const calls: number[] = []
    for (let index = 0; index < plan.samples; index += 1) {
      const body = textMessage(`${tag}-wait-${index}`)
      const posted = JSON.parse((await caller.postOk(body)).body)
      const postedAt = Date.parse(posted.message.createdAt)
      runtime.clearApiCalls()
      const waiting = caller.get(pullPath(body.conversationId, `wait=8&after=${posted.cursor}`))
      const replyAt = postedAt + 300 + ((index * 733) % 2_200)
      delays.push(await replyToWaitingCaller(runtime, posted.conversation.id, waiting, replyAt))
      calls.push(runtime.apiCalls.length)
      progress.tick(index + 1, plan.samples)
    }

    progress.step(`${tag}: idle waits of 8 s (nothing in the last minute)`)
    const idleCalls: number[] = []
    for (let index = 0; index < 2; index += 1) {
      const body = textMessage(`${tag}-idle-${index}`)
      const minuteAgo = Date.now() - 60_000
      runtime.setClock(() => new Date(minuteAgo))
      const posted = JSON.parse((await caller.postOk(body)).body)
      runtime.setClock(undefined)
      runtime.clearApiCalls()
      await caller.get(pullPath(body.conversationId, `wait=8&after=${posted.cursor}`))
      idleCalls.push(runtime.apiCalls.length)
      progress.tick(index + 1, 2)
    }

    const events = await measureEventWaits(runtime, caller, plan.samples, progress, tag)

    const turns = Math.max(3, Math.min(10, Math.round(plan.samples / 3)))
    progress.step(`${tag}: POST ?wait=8 on turns with a 2 s pause`)
    runtime.setBot(pausingBot)
    const returned: number[] = []
    const afterEnd: number[] = []
    for (let index = 0; index < turns; index += 1) {
      const answer = await caller.postOk(textMessage(`${tag}-turn-${index}`), { query: '?wait=8' })
      const answeredAt = Date.now()
      const { replies, message } = JSON.parse(answer.body)
      await runtime.idle()
      const ended = runtime.store.messages().find((stored) => stored.id === message.id)?.tags.turnEndedAt
      returned.push(replies.length)
      afterEnd.push(ended ? answeredAt - Date.parse(ended) : NaN)
      progress.tick(index + 1, turns)
    }
    return {
      replyAfterMessage: { medianMs: median(delays), p95Ms: percentile(delays, 95), apiCallsPerWait: mean(calls) },
      idleApiCallsPerWait: mean(idleCalls),
      events,
      pausedTurn: {
        repliesReturned: mean(returned),
        medianMsAfterTurnEnd: median(afterEnd),
        maxMsAfterTurnEnd: Math.max(...afterEnd),
        samples: turns,
      },
    }
  } finally {
    caller.close()
    await runtime.stop()
  }
}
