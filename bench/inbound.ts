import type { LocalRuntime } from '../local'
import { textMessage, pool, type Caller } from './caller'
import type { Progress } from './progress'
import { mean, median, percentile, processCpuMs, sequentialRoundTrips } from './stats'

export type LatencyFigures = {
  medianMs: number
  p95Ms: number
  apiCallsPerMessage: number
  /** the most sequential round trips seen in one request */
  maxSequentialRoundTrips: number
}

export type ThroughputFigures = { messagesPerSecond: number; cpuMsPerMessage: number; messages: number }

export type InboundFigures = {
  firstRequestMs: number
  newConversation: LatencyFigures
  ongoingConversation: LatencyFigures
  /** ongoing conversations, right after the start */
  warmUp: ThroughputFigures
  throughputOngoing: ThroughputFigures
  throughputNew: ThroughputFigures
}

// One request at a time, so every API call seen belongs to that request
const sequential = async (runtime: LocalRuntime, caller: Caller, bodies: object[], progress: Progress) => {
  const latencies: number[] = []
  const calls: number[] = []
  const depths: number[] = []
  for (const [index, body] of bodies.entries()) {
    runtime.clearApiCalls()
    const { ms } = await caller.postOk(body)
    latencies.push(ms)
    calls.push(runtime.apiCalls.length)
    depths.push(sequentialRoundTrips(runtime.apiCalls))
    progress.tick(index + 1, bodies.length)
  }
  return {
    medianMs: median(latencies),
    p95Ms: percentile(latencies, 95),
    apiCallsPerMessage: mean(calls),
    maxSequentialRoundTrips: Math.max(...depths),
  }
}

const throughput = async (
  runtime: LocalRuntime,
  caller: Caller,
  options: { messages: number; concurrency: number; body: (index: number, worker: number) => object },
  progress: Progress
): Promise<ThroughputFigures> => {
  let done = 0
  const cpuBefore = processCpuMs(runtime.integrationPid)
  const startedAt = performance.now()
  await pool(options.messages, options.concurrency, async (index, worker) => {
    await caller.postOk(options.body(index, worker))
    done += 1
    if (done % 50 === 0) progress.tick(done, options.messages)
  })
  const seconds = (performance.now() - startedAt) / 1000
  const cpuMs = processCpuMs(runtime.integrationPid) - cpuBefore
  runtime.clearApiCalls()
  return { messagesPerSecond: options.messages / seconds, cpuMsPerMessage: cpuMs / options.messages, messages: done }
}

export type InboundPlan = {
  latencyMs: number
  samples: number
  throughputMessages: number
  warmUpMessages: number
  concurrency: number
}

/** Inbound figures of the integration running in `runtime` (which must have no bot, so only inbound calls count) */
export const measureInbound = async (
  runtime: LocalRuntime,
  caller: Caller,
  plan: InboundPlan,
  progress: Progress,
  tag: string
): Promise<InboundFigures> => {
  runtime.setApiLatency(plan.latencyMs)
  progress.step(`${tag}: warm-up`)
  const first = await caller.postOk(textMessage(`${tag}-warm-0`))
  await pool(20, 4, async (index) => void (await caller.postOk(textMessage(`${tag}-warm-${(index % 4) + 1}`))))

  progress.step(`${tag}: new conversations, ${plan.latencyMs} ms API latency`)
  const conversations = Array.from({ length: plan.samples }, (_, index) => `${tag}-latency-${index}`)
  const newConversation = await sequential(
    runtime,
    caller,
    conversations.map((id) => textMessage(id)),
    progress
  )

  progress.step(`${tag}: ongoing conversations, ${plan.latencyMs} ms API latency`)
  const ongoingConversation = await sequential(
    runtime,
    caller,
    conversations.map((id) => textMessage(id)),
    progress
  )

  runtime.setApiLatency(0)
  progress.step(
    `${tag}: throughput, ongoing conversations, concurrency ${plan.concurrency}, no API latency (warm-up, then measured)`
  )
  const workers = Array.from({ length: plan.concurrency }, (_, worker) => `${tag}-busy-${worker}`)
  await Promise.all(workers.map((id) => caller.postOk(textMessage(id))))
  // The first thousands of messages after a start run cold code (V8 compiles it as it runs): measured apart
  const warmUp = await throughput(
    runtime,
    caller,
    { ...plan, messages: plan.warmUpMessages, body: (_, worker) => textMessage(workers[worker]!) },
    progress
  )
  const throughputOngoing = await throughput(
    runtime,
    caller,
    { ...plan, messages: plan.throughputMessages, body: (_, worker) => textMessage(workers[worker]!) },
    progress
  )

  progress.step(
    `${tag}: throughput, new conversations, concurrency ${plan.concurrency}, no API latency (warm-up, then measured)`
  )
  // A new conversation takes code the ongoing ones above did not (a cache miss, get-or-create, filling the cache):
  // warmed up the same way before it is measured
  await throughput(
    runtime,
    caller,
    {
      ...plan,
      messages: Math.round(plan.throughputMessages / 2),
      body: (index) => textMessage(`${tag}-fresh-warm-${index}`),
    },
    progress
  )
  const throughputNew = await throughput(
    runtime,
    caller,
    {
      ...plan,
      messages: Math.round(plan.throughputMessages / 2),
      body: (index) => textMessage(`${tag}-fresh-${index}`),
    },
    progress
  )
  return { firstRequestMs: first.ms, newConversation, ongoingConversation, warmUp, throughputOngoing, throughputNew }
}
