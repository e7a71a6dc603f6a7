// `npm run mutants [-- <part of a name>...]`: applies each mutant of mutants.ts alone, runs its test files, expects
// them to fail, and restores the source. Not part of `npm test` (a few minutes: end-to-end files rebuild the bundle).
// Exit code 1 when a mutant survives or no longer applies.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mutants, type Mutant } from './mutants'

const root = join(__dirname, '..', '..')
const filters = process.argv.slice(2)
const chosen = mutants.filter((mutant) => filters.length === 0 || filters.some((part) => mutant.name.includes(part)))
const work = mkdtempSync(join(tmpdir(), 'mutants-'))

// The source being mutated, restored whatever happens (a failure, Ctrl-C)
let restore: (() => void) | undefined
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    restore?.()
    process.exit(130)
  })
}

// ERROR: the run failed without a failing test (a bundle that did not build, a crash): not a kill
type Outcome = { mutant: Mutant; verdict: 'killed' | 'SURVIVED' | 'STALE' | 'ERROR'; killedBy: string[] }

const failedTests = (resultsFile: string): string[] => {
  try {
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as {
      testResults: Array<{ name: string; assertionResults: Array<{ fullName: string; status: string }> }>
    }
    return results.testResults.flatMap((file) =>
      file.assertionResults
        .filter((test) => test.status === 'failed')
        .map((test) => `${file.name.replace(`${root}/`, '')} > ${test.fullName}`)
    )
  } catch {
    return []
  }
}

const check = (mutant: Mutant, index: number): Outcome => {
  const path = join(root, mutant.file)
  const original = readFileSync(path, 'utf8')
  if (original.split(mutant.search).length !== 2) {
    return { mutant, verdict: 'STALE', killedBy: [] }
  }
  restore = () => writeFileSync(path, original)
  try {
    writeFileSync(
      path,
      original.replace(mutant.search, () => mutant.replace)
    )
    const resultsFile = join(work, `${index}.json`)
    // Unit tests import the source; end-to-end ones run the bundle, which the global setup rebuilds unless SKIP_BUILD
    const unitOnly = mutant.tests.every((file) => file.startsWith('src/'))
    const env = { ...process.env, SKIP_BUILD: unitOnly ? '1' : '' }
    const run = spawnSync(
      'npx',
      ['vitest', 'run', ...mutant.tests, '--reporter=dot', '--reporter=json', `--outputFile.json=${resultsFile}`],
      { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
    )
    writeFileSync(join(work, `${index}.log`), `${run.stdout}\n${run.stderr}`)
    const killedBy = failedTests(resultsFile)
    return { mutant, verdict: run.status === 0 ? 'SURVIVED' : killedBy.length > 0 ? 'killed' : 'ERROR', killedBy }
  } finally {
    restore()
    restore = undefined
  }
}

const outcomes: Outcome[] = []
chosen.forEach((mutant, index) => {
  process.stderr.write(`[${index + 1}/${chosen.length}] ${mutant.name}\n`)
  const outcome = check(mutant, index)
  process.stderr.write(
    `  ${outcome.verdict}${outcome.killedBy.length ? ` by ${outcome.killedBy.length} test(s)` : ''}\n`
  )
  outcomes.push(outcome)
})
// The bundle was last built from a mutant: build it again from the restored sources
if (chosen.some((mutant) => mutant.tests.some((file) => !file.startsWith('src/')))) {
  spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'ignore' })
}

for (const { mutant, verdict, killedBy } of outcomes) {
  console.log(`${verdict.padEnd(8)} ${mutant.name} (${mutant.file})`)
  for (const test of killedBy) console.log(`         ✗ ${test}`)
}
const bad = outcomes.filter((outcome) => outcome.verdict !== 'killed')
if (bad.length === 0) rmSync(work, { recursive: true, force: true })
else console.log(`vitest's output for each mutant: ${work}`)
process.exit(bad.length > 0 ? 1 : 0)
