import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export const repoRoot = join(__dirname, '..', '..')
export const defaultBundlePath = join(repoRoot, '.botpress', 'dist', 'index.js')

/** Builds the bundle with `npm run build` when it is missing; throws with the build's output when that fails */
export const ensureBundle = (bundlePath: string) => {
  if (existsSync(bundlePath)) return
  const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, encoding: 'utf8' })
  if (build.status !== 0 || !existsSync(bundlePath)) {
    const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n')
    throw new Error(`The integration bundle ${bundlePath} is missing and \`npm run build\` failed:\n${output}`)
  }
}
