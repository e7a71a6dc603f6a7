import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { repoRoot } from '../../local/cloud/bundle'

type EsbuildOptions = Record<string, unknown>
type Esbuild = { build(options: EsbuildOptions): Promise<unknown> }

// The esbuild that `bp bundle` itself runs, with the options it passes (CLI 0.8.59, utils/esbuild-utils.js)
const cliEsbuild = (): Esbuild => {
  const cliDir = dirname(require.resolve('@botpress/cli/package.json', { paths: [repoRoot] }))
  return require(require.resolve('esbuild', { paths: [cliDir] })) as Esbuild
}

/** Bundles bench/baseline/integration.ts as `bp bundle` would, into a temporary directory; remove() deletes it */
export const buildBaseline = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'messaging-api-baseline-'))
  const bundlePath = join(dir, 'index.js')
  const entry = relative(repoRoot, join(__dirname, 'integration')).split('\\').join('/')
  await cliEsbuild().build({
    stdin: {
      contents: `import x from './${entry}'; export default x; export const handler = x.handler;`,
      resolveDir: repoRoot,
      loader: 'ts',
    },
    logOverride: { 'equals-negative-zero': 'silent' },
    platform: 'node',
    target: 'es2020',
    minify: true,
    bundle: true,
    outfile: bundlePath,
    absWorkingDir: repoRoot,
    logLevel: 'silent',
    keepNames: true,
    write: true,
    legalComments: 'none',
  })
  return { bundlePath, bytes: statSync(bundlePath).size, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
