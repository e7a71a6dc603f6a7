import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { installHint, skipBrowserTests } from './browser/chromium'

// End-to-end tests run the built bundle, as Botpress does: build it once, unless a fresh one is already there.
export default function setup() {
  // Said once for the run, not per file
  if (skipBrowserTests) console.info(installHint)
  const root = join(__dirname, '..')
  const bundle = join(root, '.botpress', 'dist', 'index.js')
  if (!process.env.SKIP_BUILD || !existsSync(bundle) || statSync(bundle).size === 0) {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' })
  }
}
