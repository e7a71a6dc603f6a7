import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type OpenApiDocument = {
  paths: Record<string, Record<string, { operationId: string }>>
  components: Record<string, Record<string, unknown>>
}

const cached = new Map<string, OpenApiDocument>()

const EXPORT = "require('@botpress/api')[process.argv[2]].exportOpenapi(process.argv[1])"

/**
 * One of Botpress's OpenAPI documents, from the @botpress/api package. `exportOpenapi` only writes files, and logs
 * through its own logger while doing it: it runs once per package version in a silent child process, and the
 * document is read back from a temp directory.
 */
const exportedOpenApi = (api: 'runtimeApi' | 'adminApi'): OpenApiDocument => {
  const known = cached.get(api)
  if (known) {
    return known
  }
  const { version } = require('@botpress/api/package.json') as { version: string }
  const name = api === 'runtimeApi' ? 'runtime' : 'admin'
  const dir = join(tmpdir(), `botpress-${name}-openapi-${version}`)
  const file = join(dir, 'openapi.json')
  if (!existsSync(file)) {
    // Exported aside then renamed, so that a concurrent reader never sees a half-written file
    const scratch = mkdtempSync(`${dir}-`)
    execFileSync(process.execPath, ['-e', EXPORT, scratch, api], { cwd: __dirname, stdio: 'ignore' })
    mkdirSync(dir, { recursive: true })
    renameSync(join(scratch, 'openapi.json'), file)
    rmSync(scratch, { recursive: true, force: true })
  }
  const document = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument
  cached.set(api, document)
  return document
}

/** The runtime API (what the integration calls) */
export const runtimeOpenApi = (): OpenApiDocument => exportedOpenApi('runtimeApi')

/** The admin API (what `bp deploy` calls) */
export const adminOpenApi = (): OpenApiDocument => exportedOpenApi('adminApi')
