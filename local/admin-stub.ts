import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServer } from 'node:http'
import { parseArgs } from 'node:util'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { adminOpenApi } from './api/openapi'
import { findHubInterface, hubInterfaceAnswer } from './hub-interfaces'
import { withoutInterfaceNames } from './integration-body'

// A stand-in for the Botpress admin API, enough for `bp deploy --dryRun --apiUrl <its URL>` with no account: the
// workspace has a handle, no integration exists yet, Hub knows the three interfaces the integration binds (at those
// versions only), and the uploaded creation body is checked against the admin OpenAPI document.
// Usage: npx tsx local/admin-stub.ts [--port N] [--out body.json]

const { values } = parseArgs({ options: { port: { type: 'string' }, out: { type: 'string' } } })
const bodies = adminOpenApi().components.requestBodies as Record<string, any>
const validate = addFormats(new Ajv({ allErrors: true, strict: false })).compile(
  bodies.createIntegrationBody.content['application/json'].schema
)

type Bound = { id: string; name: string; version: string; entities?: object; actions?: object }

/** One line per bound interface: what Botpress would record of the binding */
const describeInterfaces = (interfaces: Record<string, Bound> = {}) =>
  Object.values(interfaces).map(
    ({ id, name, version, entities = {}, actions = {} }) =>
      `  interface ${name}@${version} (${id}): entities [${Object.keys(entities).join(', ')}], actions [${Object.keys(actions).join(', ')}]`
  )

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    const answer = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json))
    }
    const notFound = () =>
      answer(404, {
        id: 'err_stub',
        code: 404,
        type: 'ResourceNotFound',
        message: `${req.method} ${req.url}: not found`,
      })
    console.log(`${req.method} ${req.url}`)
    const url = req.url ?? ''
    if (req.method === 'GET' && /^\/v1\/admin\/workspaces\/[^/]+$/.test(url)) {
      return answer(200, { id: url.split('/').at(-1), name: 'Local workspace', handle: 'my-workspace' })
    }
    const hub = /^\/v1\/admin\/hub\/interfaces\/([^/]+)\/([^/?]+)$/.exec(url)
    if (req.method === 'GET' && hub) {
      const known = findHubInterface(decodeURIComponent(hub[1]!), decodeURIComponent(hub[2]!))
      return known ? answer(200, hubInterfaceAnswer(known)) : notFound()
    }
    if (req.method === 'POST' && /^\/v1\/admin\/integrations(\/validate)?$/.test(url)) {
      const text = Buffer.concat(chunks).toString('utf8')
      if (values.out) writeFileSync(values.out, text)
      const body = JSON.parse(text) as { interfaces?: Record<string, Bound> }
      console.log(describeInterfaces(body.interfaces).join('\n') || '  no interface bound')
      // The CLI also sends each interface's name and version, which the API takes and the document does not list
      const valid = validate(withoutInterfaceNames(body))
      console.log(valid ? 'body valid for createIntegrationBody' : JSON.stringify(validate.errors, null, 2))
      return valid
        ? answer(200, {})
        : answer(400, { id: 'err_stub', code: 400, type: 'InvalidPayload', message: 'invalid body' })
    }
    return notFound()
  })
})

/** A word for a POSIX shell, quoted only when it needs to be */
const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)

server.listen(Number(values.port ?? 0), '127.0.0.1', () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : values.port
  // Whole, to paste in any folder of another terminal: the project by --workDir, and a throw-away --botpressHome so
  // that the CLI neither reads nor overwrites the login kept in ~/.botpress
  const options = [
    `--workDir ${shellWord(join(__dirname, '..'))}`,
    '--botpressHome "$(mktemp -d)"',
    `--apiUrl http://127.0.0.1:${port} --token x --workspaceId y --dryRun -y`,
  ].join(' ')
  console.log(`Admin API stub on http://127.0.0.1:${port}. In another terminal, with Botpress CLI 5.5.6 installed:

  bp deploy ${options}

or without installing it:

  npx @botpress/cli@5.5.6 deploy ${options}
`)
})
