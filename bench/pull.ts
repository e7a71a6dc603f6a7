import type { LocalRuntime } from '../local'
import { textMessage, type Caller } from './caller'
import type { Progress } from './progress'
import { mean, median, percentile, sequentialRoundTrips } from './stats'
import { pullPath, sleep } from './waiting-reply'

export type PullFigures = {
  /** a pull of a conversation the integration knows, one page holding the answer */
  knownPull: { apiCalls: number; maxSequentialRoundTrips: number; medianMs: number }
  /** GET ?wait=8 with nothing coming */
  idleLongPoll: { apiCalls: number; ms: number }
  /** from a bot message's creation to the answer of a caller waiting for it */
  delivery: { medianMs: number; p95Ms: number }
}

export type PullPlan = { latencyMs: number; samples: number }

/** Pull figures, or undefined when the bundle has no pull route (the v0.2 baseline) */
export const measurePull = async (
  runtime: LocalRuntime,
  caller: Caller,
  plan: PullPlan,
  progress: Progress,
  tag: string
): Promise<PullFigures | undefined> => {
  runtime.setApiLatency(plan.latencyMs)
  const probe = textMessage(`${tag}-pull-probe`)
  await caller.postOk(probe)
  if ((await caller.get(pullPath(probe.conversationId, ''))).status !== 200) return undefined

  progress.step(`${tag}: pulls of known conversations, ${plan.latencyMs} ms API latency`)
  const conversations = Array.from({ length: plan.samples }, (_, index) => `${tag}-pull-${index}`)
  const posted = new Map<string, { botpressId: string; cursor: string }>()
  const calls: number[] = []
  const depths: number[] = []
  const latencies: number[] = []
  let lastPostedAt = 0
  for (const [index, conversationId] of conversations.entries()) {
    const answer = JSON.parse((await caller.postOk(textMessage(conversationId))).body)
    lastPostedAt = Date.now()
    posted.set(conversationId, { botpressId: answer.conversation.id, cursor: answer.cursor })
    runtime.clearApiCalls()
    const pulled = await caller.get(pullPath(conversationId, 'limit=50'))
    if (pulled.status !== 200 || JSON.parse(pulled.body).messages.length !== 1) throw new Error(pulled.body)
    calls.push(runtime.apiCalls.length)
    depths.push(sequentialRoundTrips(runtime.apiCalls))
    latencies.push(pulled.ms)
    progress.tick(index + 1, conversations.length)
  }

  // The waits below are on the idle schedule only once the caller's latest message is over 3 s old (a reply is due
  // until then): with few samples, the loop above ends sooner than that
  await sleep(Math.max(0, lastPostedAt + 3_100 - Date.now()))

  progress.step(`${tag}: idle long-polls of 8 s`)
  const idleRuns: Array<{ ms: number; calls: number }> = []
  for (const conversationId of conversations.slice(0, 2)) {
    runtime.clearApiCalls()
    const answer = await caller.get(pullPath(conversationId, `wait=8&after=${posted.get(conversationId)!.cursor}`))
    idleRuns.push({ ms: answer.ms, calls: runtime.apiCalls.length })
    progress.tick(idleRuns.length, 2)
  }

  progress.step(`${tag}: bot message created → waiting caller answered`)
  const delays: number[] = []
  for (const [index, conversationId] of conversations.entries()) {
    const { botpressId, cursor } = posted.get(conversationId)!
    let createdAt = 0
    const waiting = caller.get(pullPath(conversationId, `wait=8&after=${cursor}`))
    await sleep(150 + ((index * 137) % 600))
    await runtime.botApi.sendMessage(
      { conversationId: botpressId, type: 'text', payload: { text: 'hello' } },
      { deliver: false }
    )
    createdAt = performance.now()
    const answer = await waiting
    if (JSON.parse(answer.body).messages.length !== 1) throw new Error(answer.body)
    delays.push(performance.now() - createdAt)
    progress.tick(index + 1, conversations.length)
  }
  runtime.setApiLatency(0)
  return {
    knownPull: { apiCalls: mean(calls), maxSequentialRoundTrips: Math.max(...depths), medianMs: median(latencies) },
    idleLongPoll: { apiCalls: mean(idleRuns.map((run) => run.calls)), ms: mean(idleRuns.map((run) => run.ms)) },
    delivery: { medianMs: median(delays), p95Ms: percentile(delays, 95) },
  }
}
