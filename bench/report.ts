import type { EventFigures } from './events'
import type { InboundFigures } from './inbound'
import { describeProvenance, type Provenance } from './provenance'
import type { OutboundFigures } from './outbound'
import type { PullFigures } from './pull'
import type { RefusedTokenFigures } from './refused-tokens'
import type { TypingFigures } from './typing'
import type { WaitFigures } from './waits'

export type VariantFigures = {
  name: string
  bundleKB: number
  coldStartMs: number
  /** CPU the process used from its spawn to that first 200 */
  coldStartCpuMs: number
  inbound: InboundFigures
  outbound: OutboundFigures
  /** absent for a bundle without the pull route */
  pull?: PullFigures
  /** absent for a bundle without the typing-indicator interface */
  typing?: TypingFigures
  refusedTokens: RefusedTokenFigures
  /** absent for a bundle without the pull route */
  waits?: WaitFigures
  /** absent for a bundle without events */
  events?: EventFigures
}

export type Figures = {
  provenance: Provenance
  machine: { nproc: number; cpu: string; node: string }
  settings: {
    apiLatencyMs: number
    samples: number
    concurrency: number
    throughputMessages: number
    warmUpMessages: number
    coldStartRuns: number
  }
  after: VariantFigures
  before?: VariantFigures
}

type Row = [label: string, value: (figures: VariantFigures) => string, target?: string]

/** A paragraph wrapped at 120 columns, as the README's prose is */
const wrap = (text: string, width = 120) =>
  text
    .split(' ')
    .reduce<string[]>((lines, word) => {
      const last = lines[lines.length - 1]
      if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`
      else lines.push(word)
      return lines
    }, [])
    .join('\n')

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-')

export const tableRows = (latencyMs: number): Row[] => {
  const times = (ms: number) => (latencyMs > 0 ? ` (${fixed(ms / latencyMs, 2)}×)` : '')
  const ms = (value: number) => `${fixed(value)} ms${times(value)}`
  return [
    ['inbound, new conversation: median', (f) => ms(f.inbound.newConversation.medianMs)],
    ['inbound, new conversation: p95', (f) => ms(f.inbound.newConversation.p95Ms)],
    ['inbound, ongoing conversation: median', (f) => ms(f.inbound.ongoingConversation.medianMs)],
    ['inbound, ongoing conversation: p95', (f) => ms(f.inbound.ongoingConversation.p95Ms)],
    [
      'API calls per message: new / ongoing',
      (f) =>
        `${fixed(f.inbound.newConversation.apiCallsPerMessage, 2)} / ${fixed(f.inbound.ongoingConversation.apiCallsPerMessage, 2)}`,
    ],
    [
      'sequential API round trips (max): new / ongoing',
      (f) =>
        `${f.inbound.newConversation.maxSequentialRoundTrips} / ${f.inbound.ongoingConversation.maxSequentialRoundTrips}`,
      '≤ 2 / 1',
    ],
    [
      'messages/s at concurrency 16, 0 ms: ongoing / new',
      (f) =>
        `${fixed(f.inbound.throughputOngoing.messagesPerSecond, 0)} / ${fixed(f.inbound.throughputNew.messagesPerSecond, 0)}`,
    ],
    [
      'integration CPU ms per message (warm): ongoing / new',
      (f) =>
        `${fixed(f.inbound.throughputOngoing.cpuMsPerMessage, 2)} / ${fixed(f.inbound.throughputNew.cpuMsPerMessage, 2)}`,
      '< 1',
    ],
    [
      'integration CPU ms per message, first messages after start',
      (f) => `${fixed(f.inbound.warmUp.cpuMsPerMessage, 2)} (${f.inbound.warmUp.messages} msgs)`,
    ],
    ['first message after start (cold client)', (f) => `${fixed(f.inbound.firstRequestMs)} ms`],
    ['outbound deliveries/s (fast local endpoint, warm)', (f) => fixed(f.outbound.deliveriesPerSecond, 0)],
    ['integration CPU ms per delivery (warm)', (f) => fixed(f.outbound.cpuMsPerDelivery, 2)],
    [
      'integration CPU ms per delivery, first deliveries',
      (f) => `${fixed(f.outbound.first.cpuMsPerDelivery, 2)} (${f.outbound.first.deliveries} deliveries)`,
    ],
    [
      'API calls per delivery: endpoint gives no id / an id',
      (f) => `${fixed(f.outbound.apiCallsPerDelivery, 2)} / ${fixed(f.outbound.apiCallsPerDeliveryWithId, 2)}`,
      '0 / 1',
    ],
    ['failed deliveries', (f) => String(f.outbound.failedDeliveries)],
    [
      'pull, known conversation, one page: API calls / round trips',
      (f) => (f.pull ? `${fixed(f.pull.knownPull.apiCalls, 2)} / ${f.pull.knownPull.maxSequentialRoundTrips}` : '-'),
      '1 / 1',
    ],
    ['pull, known conversation: median', (f) => (f.pull ? ms(f.pull.knownPull.medianMs) : '-')],
    [
      'idle long-poll wait=8: API calls (answered after)',
      (f) =>
        f.pull ? `${fixed(f.pull.idleLongPoll.apiCalls, 1)} (${fixed(f.pull.idleLongPoll.ms / 1000, 2)} s)` : '-',
      '≤ 20',
    ],
    [
      'bot message created → waiting caller answered: p50 / p95',
      (f) => (f.pull ? `${fixed(f.pull.delivery.medianMs)} / ${fixed(f.pull.delivery.p95Ms)} ms` : '-'),
    ],
    [
      "reply made after a caller's message → waiting caller, via another copy: p50 / p95",
      (f) =>
        f.waits ? `${fixed(f.waits.replyAfterMessage.medianMs)} / ${fixed(f.waits.replyAfterMessage.p95Ms)} ms` : '-',
      '≤ 100 / 250',
    ],
    [
      'Botpress calls per wait: after a message / idle 8 s',
      (f) =>
        f.waits
          ? `${fixed(f.waits.replyAfterMessage.apiCallsPerWait, 1)} / ${fixed(f.waits.idleApiCallsPerWait, 1)}`
          : '-',
      '≤ 40 / 20',
    ],
    [
      "reply made after a caller's event → caller already waiting, via another copy: p50 / p95",
      (f) =>
        f.waits
          ? `${fixed(f.waits.events.replyAfterEvent.medianMs)} / ${fixed(f.waits.events.replyAfterEvent.p95Ms)} ms`
          : '-',
    ],
    [
      'Botpress calls per wait where the caller sends events: after an event / idle 8 s',
      (f) =>
        f.waits
          ? `${fixed(f.waits.events.replyAfterEvent.apiCallsPerWait, 1)} / ${fixed(f.waits.events.idleApiCallsPerWait, 1)}`
          : '-',
      '≤ 40 / 20',
    ],
    [
      "POST ?wait, turn with a 2 s pause: replies returned, answered after the turn's end",
      (f) =>
        f.waits
          ? `${fixed(f.waits.pausedTurn.repliesReturned, 1)} of 2, ${fixed(f.waits.pausedTurn.medianMsAfterTurnEnd)} ms (max ${fixed(f.waits.pausedTurn.maxMsAfterTurnEnd)}, ${f.waits.pausedTurn.samples} turns)`
          : '-',
      '2, ≤ 300 ms',
    ],
    [
      'API calls per typing indicator (start or stop), typing on',
      (f) => (f.typing ? `${fixed(f.typing.apiCallsPerIndicator, 2)} (${f.typing.indicators} indicators)` : '-'),
      '≤ 3',
    ],
    [
      'integration RSS after 3,000 accepted requests → after 3,000 refused tokens more',
      ({ refusedTokens: r }) => `${fixed(r.acceptedRssMB, 0)} → ${fixed(r.refusedRssMB, 0)} MB (${r.refused} refused)`,
      'growth < 60 MB',
    ],
    [
      'API calls per caller event (POST /events), new conversation',
      (f) => (f.events ? `${fixed(f.events.apiCallsPerEventNewConversation, 2)} (${f.events.events} events)` : '-'),
      '5',
    ],
    [
      'API calls per caller event (POST /events), known conversation',
      (f) => (f.events ? `${fixed(f.events.apiCallsPerEventKnownConversation, 2)} (${f.events.events} events)` : '-'),
      '3',
    ],
    [
      'API calls / endpoint requests per bot event (sendEvent)',
      (f) =>
        f.events ? `${fixed(f.events.apiCallsPerSendEvent, 2)} / ${fixed(f.events.requestsPerSendEvent, 2)}` : '-',
      '1 / 1',
    ],
    ['cold start: spawn → first 200 on GET /health', (f) => `${fixed(f.coldStartMs)} ms`],
    ['cold start: CPU used until then', (f) => `${fixed(f.coldStartCpuMs)} ms`],
    ['bundle size', (f) => `${fixed(f.bundleKB)} KB`],
  ]
}

/** The figures as the README's markdown table, with what was measured above it: one row per measure, one column per variant */
export const formatTable = (figures: Figures) => {
  const variants = [figures.before, figures.after].filter((variant): variant is VariantFigures => !!variant)
  const header = ['measure', ...variants.map((variant) => variant.name), 'target']
  const rows = tableRows(figures.settings.apiLatencyMs).map(([label, value, target]) => [
    label,
    ...variants.map(value),
    target ?? '',
  ])
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)))
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`
  const { machine, settings } = figures
  return [
    wrap(
      `${describeProvenance(figures.provenance)} Machine: ${machine.nproc} cores, ${machine.cpu}, Node ${machine.node}. Injected Botpress API latency ${settings.apiLatencyMs} ms per call; ${settings.samples} samples per latency row; ${settings.throughputMessages} messages (ongoing) and ${Math.round(settings.throughputMessages / 2)} (new) per throughput row, after a warm-up of ${settings.warmUpMessages}.`
    ),
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
  ].join('\n')
}
