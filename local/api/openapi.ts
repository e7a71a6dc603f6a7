import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type OpenApiDocument = {
  paths: Record<string, Record<string, { operationId: string }>>
  components: Record<string, Record<string, unknown>>
}

let cached: OpenApiDocument | undefined

const EXPORT = "require('@botpress/api').runtimeApi.exportOpenapi(process.argv[1])"

/**
 * Botpress's runtime OpenAPI document, from the @botpress/api package. `exportOpenapi` only writes files, and logs
 * through its own logger while doing it: it runs once per package version in a silent child process, and the
 * document is read back from a temp directory.
 */
export const runtimeOpenApi = (): OpenApiDocument => {
  if (cached) {
    return cached
  }
  const { version } = require('@botpress/api/package.json') as { version: string }
  const dir = join(tmpdir(), `botpress-runtime-openapi-${version}`)
  const file = join(dir, 'openapi.json')
  if (!existsSync(file)) {
    // Exported aside then renamed, so that a concurrent reader never sees a half-written file
    const scratch = mkdtempSync(`${dir}-`)
    execFileSync(process.execPath, ['-e', EXPORT, scratch], { cwd: __dirname, stdio: 'ignore' })
    mkdirSync(dir, { recursive: true })
    renameSync(join(scratch, 'openapi.json'), file)
    rmSync(scratch, { recursive: true, force: true })
  }
  cached = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument
  return cached
}
