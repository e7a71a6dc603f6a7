// Several rounds of the same bench: the table shows each figure's median over the rounds, and the rows that compare
// with the baseline get their spread, so that a reader can tell a difference from the machine's noise.
import { median } from './stats'
import type { VariantFigures } from './report'

/** Figure by figure, the median of the rounds (every number in the figures; anything else from the first round) */
export const medianFigures = <T>(rounds: T[]): T => {
  const [first] = rounds
  if (typeof first === 'number') return median(rounds as number[]) as T
  if (first === null || typeof first !== 'object' || Array.isArray(first)) return first as T
  return Object.fromEntries(
    Object.keys(first).map((key) => [
      key,
      medianFigures(rounds.map((round) => (round as Record<string, unknown>)[key])),
    ])
  ) as T
}

type Spread = [label: string, value: (figures: VariantFigures) => number, digits: number]

// The rows where the integration is held to the v0.2-style baseline (README, Performance)
const spreads: Spread[] = [
  ['outbound deliveries/s (warm)', (f) => f.outbound.deliveriesPerSecond, 0],
  ['integration CPU ms per delivery (warm)', (f) => f.outbound.cpuMsPerDelivery, 2],
  ['integration CPU ms per delivery, first deliveries', (f) => f.outbound.first.cpuMsPerDelivery, 2],
  ['integration CPU ms per message (warm): new', (f) => f.inbound.throughputNew.cpuMsPerMessage, 2],
  ['integration CPU ms per message (warm): ongoing', (f) => f.inbound.throughputOngoing.cpuMsPerMessage, 2],
  ['cold start ms', (f) => f.coldStartMs, 1],
  ['cold start CPU ms', (f) => f.coldStartCpuMs, 1],
]

/** Each compared figure, round by round, for each variant: `name: a, b, c` */
export const formatSpread = (rounds: Array<{ after: VariantFigures; before?: VariantFigures }>): string => {
  const lines = spreads.flatMap(([label, value, digits]) => {
    const column = (pick: (round: (typeof rounds)[number]) => VariantFigures | undefined) =>
      rounds.flatMap((round) => {
        const figures = pick(round)
        return figures ? [value(figures).toFixed(digits)] : []
      })
    const before = column((round) => round.before)
    const after = column((round) => round.after).join(', ')
    return [`| ${label} | ${before.length ? before.join(', ') : '-'} | ${after} |`]
  })
  return [
    `Round by round (${rounds.length} rounds, the variants alternating which runs first):`,
    '',
    '| measure | before (v0.2) | after |',
    '| --- | --- | --- |',
    ...lines,
  ].join('\n')
}
