import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { LocalRuntime } from '../local'
import { textMessage, type Caller } from './caller'
import type { Progress } from './progress'
import { processCpuMs } from './stats'

export type OutboundFigures = {
  /** warm: after the first rounds, which run code V8 is still compiling */
  deliveriesPerSecond: number
  cpuMsPerDelivery: number
  /** the first round of deliveries of this process, cold code */
  first: { deliveries: number; cpuMsPerDelivery: number }
  deliveries: number
  failedDeliveries: number
  /** Botpress API calls made while delivering, per delivery: endpoint answers `{}` */
  apiCallsPerDelivery: number
  /** the same when the endpoint answers `{ "id": ... }` (the integration then stores it with `ack`) */
  apiCallsPerDeliveryWithId: number
}

/** A fast Response Endpoint on 127.0.0.1: answers at once, `{}` or `{ "id": ... }` */
export const startFastEndpoint = async () => {
  let giveId = false
  let count = 0
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      count += 1
      res.writeHead(200, { 'content-type': 'application/json' }).end(giveId ? `{"id":"ext-${count}"}` : '{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/replies`,
    setGiveId: (value: boolean) => void (giveId = value),
    /** requests answered so far */
    received: () => count,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  }
}

export type FastEndpoint = Awaited<ReturnType<typeof startFastEndpoint>>

// The conversations first (the bot silent); then the bot's messages, sent as a bot's code sends them (not as replies
// to a caller's message, whose turn the typing actions would record with calls of their own): the window measured
// holds deliveries alone
const deliveryRound = async (
  runtime: LocalRuntime,
  caller: Caller,
  plan: { conversations: number; repliesPerMessage: number; tag: string },
  progress: Progress
) => {
  runtime.setBot(false)
  const ids = Array.from({ length: plan.conversations }, (_, index) => `${plan.tag}-${index}`)
  const conversations = await Promise.all(
    ids.map(async (id) => JSON.parse((await caller.postOk(textMessage(id))).body).conversation.id as string)
  )
  await runtime.idle()
  // One conversation's messages go one after another, as a bot's replies do; conversations in parallel
  const sendReplies = async (conversationId: string) => {
    for (let index = 0; index < plan.repliesPerMessage; index += 1) {
      await runtime.botApi.sendMessage({ conversationId, type: 'text', payload: { text: `reply ${index}` } })
    }
  }

  const total = plan.conversations * plan.repliesPerMessage
  const before = runtime.deliveries.length
  const ticker = setInterval(() => progress.tick(runtime.deliveries.length - before, total), 200)
  runtime.clearApiCalls()
  const cpuBefore = processCpuMs(runtime.integrationPid)
  const startedAt = performance.now()
  await Promise.all(conversations.map(sendReplies))
  await runtime.idle()
  const seconds = (performance.now() - startedAt) / 1000
  clearInterval(ticker)
  const cpuMs = processCpuMs(runtime.integrationPid) - cpuBefore
  const deliveries = runtime.deliveries.slice(before)
  const apiCalls = runtime.apiCalls.length
  return {
    deliveries: deliveries.length,
    failed: deliveries.filter((delivery) => delivery.status < 200 || delivery.status >= 300).length,
    perSecond: deliveries.length / seconds,
    cpuMsPerDelivery: cpuMs / deliveries.length,
    apiCallsPerDelivery: apiCalls / deliveries.length,
  }
}

export type OutboundPlan = { conversations: number; repliesPerMessage: number }

/** Bot messages to a fast endpoint: each reply is one message_created sent to the integration, in parallel per conversation */
export const measureOutbound = async (
  runtime: LocalRuntime,
  caller: Caller,
  endpoint: FastEndpoint,
  plan: OutboundPlan,
  progress: Progress,
  tag: string
): Promise<OutboundFigures> => {
  runtime.setApiLatency(0)
  progress.step(`${tag}: outbound deliveries, endpoint answers {} (first rounds, then measured)`)
  endpoint.setGiveId(false)
  // The first deliveries run code V8 is still compiling (more of it in a variant that does more per delivery):
  // measured apart, as inbound's first messages are, and followed by more rounds before the warm figures
  const first = await deliveryRound(runtime, caller, { ...plan, tag: `${tag}-out-first` }, progress)
  for (const round of [1, 2]) {
    await deliveryRound(runtime, caller, { ...plan, tag: `${tag}-out-warm-${round}` }, progress)
  }
  const plain = await deliveryRound(runtime, caller, { ...plan, tag: `${tag}-out` }, progress)

  progress.step(`${tag}: outbound deliveries, endpoint answers an id`)
  endpoint.setGiveId(true)
  const small = { conversations: 4, repliesPerMessage: Math.min(10, plan.repliesPerMessage), tag: `${tag}-out-id` }
  const withId = await deliveryRound(runtime, caller, small, progress)
  endpoint.setGiveId(false)

  return {
    deliveriesPerSecond: plain.perSecond,
    cpuMsPerDelivery: plain.cpuMsPerDelivery,
    first: { deliveries: first.deliveries, cpuMsPerDelivery: first.cpuMsPerDelivery },
    deliveries: plain.deliveries + withId.deliveries,
    failedDeliveries: plain.failed + withId.failed,
    apiCallsPerDelivery: plain.apiCallsPerDelivery,
    apiCallsPerDeliveryWithId: withId.apiCallsPerDelivery,
  }
}
