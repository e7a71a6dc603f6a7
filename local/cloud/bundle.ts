import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

export const repoRoot = join(__dirname, '..', '..')
export const defaultBundlePath = join(repoRoot, '.botpress', 'dist', 'index.js')

const sources = ['src', 'definitions', 'integration.definition.ts', 'package-lock.json'].map((path) =>
  join(repoRoot, path)
)

const newestChange = (path: string): number => {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  const entries = readdirSync(path).filter((entry) => !entry.endsWith('.test.ts'))
  return Math.max(0, ...entries.map((entry) => newestChange(join(path, entry))))
}

/** Missing, or older than the code it is built from (only the repository's own bundle can be judged) */
export const needsBuild = (bundlePath: string) =>
  !existsSync(bundlePath) ||
  (bundlePath === defaultBundlePath && Math.max(...sources.map(newestChange)) > statSync(bundlePath).mtimeMs)

/** Builds the bundle with `npm run build` when needed; throws with the build's output when that fails */
export const ensureBundle = (bundlePath: string) => {
  if (!needsBuild(bundlePath)) return
  const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, encoding: 'utf8' })
  if (build.status !== 0 || !existsSync(bundlePath)) {
    const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n')
    throw new Error(`The integration bundle ${bundlePath} could not be built: \`npm run build\` failed:\n${output}`)
  }
}
