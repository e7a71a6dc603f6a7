import { build, stop } from 'esbuild'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export type PageAssets = { html: string; js: string; css: string }

const browserDir = join(__dirname, 'browser')

/** The page's browser code (TypeScript and CSS) bundled at start with esbuild, kept in memory: nothing is written */
export const buildPageAssets = async (): Promise<PageAssets> => {
  // esbuild keeps a service process for later builds: there are none, and npm start leaves nothing running
  const result = await build({
    entryPoints: [join(browserDir, 'main.ts')],
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    target: 'chrome110',
    outdir: 'bundle',
    logLevel: 'silent',
  }).finally(() => stop())
  const output = (extension: string) => result.outputFiles.find((file) => file.path.endsWith(extension))?.text ?? ''
  return { html: readFileSync(join(browserDir, 'index.html'), 'utf8'), js: output('.js'), css: output('.css') }
}
