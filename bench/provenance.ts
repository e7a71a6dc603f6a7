// What a bench run measured: the commit, whether the measured code had uncommitted changes, the date, how busy the
// machine was. Printed above the table, so that the README's copy says what it stands for.
import { execFileSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { repoRoot } from '../local/cloud/bundle'

export type Provenance = { commit: string; uncommitted: string[]; date: string; loadAverage: number; rounds: number }

// What goes into the bundle or the bench itself
const measuredPaths = ['src', 'definitions', 'integration.definition.ts', 'bench', 'package-lock.json']

const git = (args: string[]) => {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd()
  } catch {
    return undefined
  }
}

export const provenance = (rounds: number): Provenance => ({
  commit: git(['rev-parse', '--short', 'HEAD']) ?? 'unknown',
  uncommitted: (git(['status', '--porcelain', '--', ...measuredPaths]) ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3)),
  date: new Date().toISOString().slice(0, 10),
  // One-minute load average when the run started: above zero, other work shared the CPUs
  loadAverage: loadavg()[0] ?? 0,
  rounds,
})

/** The sentence above the table */
export const describeProvenance = ({ commit, uncommitted, date, loadAverage, rounds }: Provenance) => {
  const changes = uncommitted.length ? ` plus uncommitted changes to ${uncommitted.join(', ')}` : ''
  const median = rounds > 1 ? `, median of ${rounds} rounds` : ''
  return `Measured on commit \`${commit}\`${changes}, ${date}${median}; load average ${loadAverage.toFixed(2)} at the start.`
}
