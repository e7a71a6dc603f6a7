// `npm run bench`: inbound latency and API round trips, throughput, CPU, outbound deliveries, cold start and bundle
// size of the integration, beside a v0.2-style baseline, all through the local runtime on 127.0.0.1.
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { defaultBundlePath, repoRoot } from '../local/cloud/bundle'
import { buildBaseline } from './baseline/build'
import { createProgress } from './progress'
import { provenance } from './provenance'
import { formatTable, type Figures, type VariantFigures } from './report'
import { formatSpread, medianFigures } from './rounds'
import { runVariant, type VariantPlan } from './run-variant'

const HELP = `Usage: npm run bench -- [options]

  --latency <ms>     latency injected into every Botpress API call (default 30)
  --json <file>      also write the figures as JSON to this file
  --samples <n>      requests per latency row (default 30)
  --messages <n>     messages per throughput row at concurrency 16 (default 1600; half for new conversations)
  --warm-up <n>      messages sent before the measured throughput rows (default 3000)
  --rounds <n>       run both variants n times, alternating which goes first; the table shows medians and a
                     second table each round's figures of the rows compared with the baseline (default 1)
  --no-baseline      skip the v0.2-style baseline (the "before" column)

It prints the README's Performance table in markdown, with the commit it measured and the date.
`

const positive = (value: string | undefined, fallback: number, name: string) => {
  const number = value === undefined ? fallback : Number(value)
  if (!Number.isInteger(number) || number < 0) throw new Error(`--${name} must be a whole number, got "${value}"`)
  return number
}

const machine = () => {
  const model = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]
  return { nproc: cpus().length, cpu: model ?? cpus()[0]?.model ?? 'unknown', node: process.version }
}

const main = async () => {
  const { values } = parseArgs({
    options: {
      latency: { type: 'string' },
      json: { type: 'string' },
      samples: { type: 'string' },
      messages: { type: 'string' },
      'warm-up': { type: 'string' },
      rounds: { type: 'string' },
      'no-baseline': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return void console.info(HELP)
  const plan: VariantPlan = {
    latencyMs: positive(values.latency, 30, 'latency'),
    samples: Math.max(1, positive(values.samples, 30, 'samples')),
    throughputMessages: Math.max(16, positive(values.messages, 1600, 'messages')),
    warmUpMessages: Math.max(16, positive(values['warm-up'], 3000, 'warm-up')),
    concurrency: 16,
    conversations: 16,
    repliesPerMessage: 25,
    coldStartRuns: 5,
  }
  const withBaseline = !values['no-baseline']
  const rounds = Math.max(1, positive(values.rounds, 1, 'rounds'))
  const started = provenance(rounds)
  const progress = createProgress((withBaseline ? 2 : 1) + rounds * (withBaseline ? 30 : 20))

  progress.step('building the integration (npm run build)')
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`)
  let baseline: Awaited<ReturnType<typeof buildBaseline>> | undefined
  if (withBaseline) {
    progress.step('building the v0.2-style baseline (bench/baseline)')
    baseline = await buildBaseline()
  }
  const results: Array<{ after: VariantFigures; before?: VariantFigures }> = []
  try {
    for (let round = 0; round < rounds; round++) {
      // Alternating which variant runs first cancels a machine that warms up or gets busier along the run
      const runAfter = () => runVariant('after', defaultBundlePath, plan, progress)
      const runBefore = async () =>
        baseline ? runVariant('before (v0.2)', baseline.bundlePath, plan, progress) : undefined
      if (round % 2 === 0) {
        const after = await runAfter()
        results.push({ after, before: await runBefore() })
      } else {
        const before = await runBefore()
        results.push({ after: await runAfter(), before })
      }
    }
  } finally {
    baseline?.remove()
  }
  progress.done()
  const after = medianFigures(results.map((result) => result.after))
  const before = withBaseline ? medianFigures(results.map((result) => result.before!)) : undefined

  const figures: Figures = {
    provenance: started,
    machine: machine(),
    settings: {
      apiLatencyMs: plan.latencyMs,
      samples: plan.samples,
      concurrency: plan.concurrency,
      throughputMessages: plan.throughputMessages,
      warmUpMessages: plan.warmUpMessages,
      coldStartRuns: plan.coldStartRuns,
    },
    after,
    before,
  }
  console.info(formatTable(figures))
  if (rounds > 1) console.info(`\n${formatSpread(results)}`)
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify({ ...figures, rounds: results }, null, 2)}\n`)
    console.info(`\nJSON written to ${values.json}`)
  }
}

main().then(
  () => process.exit(0),
  (thrown: unknown) => {
    console.error(thrown instanceof Error ? (thrown.stack ?? thrown.message) : thrown)
    process.exit(1)
  }
)
