import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { LocalRuntime } from '../local'
import { textMessage, type Caller } from './caller'
import type { Progress } from './progress'
import { processCpuMs } from './stats'

export type OutboundFigures = {
  deliveriesPerSecond: number
  cpuMsPerDelivery: number
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

// Inbound messages first; the bot answers only once the gate opens, so the window measured holds deliveries alone
const deliveryRound = async (
  runtime: LocalRuntime,
  caller: Caller,
  plan: { conversations: number; repliesPerMessage: number; tag: string },
  progress: Progress
) => {
  let open: () => void = () => {}
  const gate = new Promise<void>((resolve) => (open = resolve))
  const replies = Array.from({ length: plan.repliesPerMessage }, (_, index) => ({
    type: 'text',
    payload: { text: `reply ${index}` },
  }))
  runtime.setBot(async () => (await gate, replies))
  const ids = Array.from({ length: plan.conversations }, (_, index) => `${plan.tag}-${index}`)
  await Promise.all(ids.map((id) => caller.postOk(textMessage(id))))

  const total = plan.conversations * plan.repliesPerMessage
  const before = runtime.deliveries.length
  const ticker = setInterval(() => progress.tick(runtime.deliveries.length - before, total), 200)
  runtime.clearApiCalls()
  const cpuBefore = processCpuMs(runtime.integrationPid)
  const startedAt = performance.now()
  open()
  await runtime.idle()
  const seconds = (performance.now() - startedAt) / 1000
  clearInterval(ticker)
  const cpuMs = processCpuMs(runtime.integrationPid) - cpuBefore
  const deliveries = runtime.deliveries.slice(before)
  const apiCalls = runtime.apiCalls.length
  runtime.setBot(false)
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
  progress.step(`${tag}: outbound deliveries, endpoint answers {}`)
  endpoint.setGiveId(false)
  await deliveryRound(runtime, caller, { ...plan, repliesPerMessage: 10, tag: `${tag}-out-warm` }, progress)
  const plain = await deliveryRound(runtime, caller, { ...plan, tag: `${tag}-out` }, progress)

  progress.step(`${tag}: outbound deliveries, endpoint answers an id`)
  endpoint.setGiveId(true)
  const small = { conversations: 4, repliesPerMessage: Math.min(10, plan.repliesPerMessage), tag: `${tag}-out-id` }
  const withId = await deliveryRound(runtime, caller, small, progress)
  endpoint.setGiveId(false)

  return {
    deliveriesPerSecond: plain.perSecond,
    cpuMsPerDelivery: plain.cpuMsPerDelivery,
    deliveries: plain.deliveries + withId.deliveries,
    failedDeliveries: plain.failed + withId.failed,
    apiCallsPerDelivery: plain.apiCallsPerDelivery,
    apiCallsPerDeliveryWithId: withId.apiCallsPerDelivery,
  }
}
