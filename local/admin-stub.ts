import { writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { parseArgs } from 'node:util'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { adminOpenApi } from './api/openapi'

// A stand-in for the Botpress admin API, enough for `bp deploy --dryRun --apiUrl <its URL>` with no account: the
// workspace has a handle, no integration exists yet, and the uploaded creation body is checked against the admin
// OpenAPI document. Usage: npx tsx local/admin-stub.ts [--port N] [--out body.json]

const { values } = parseArgs({ options: { port: { type: 'string' }, out: { type: 'string' } } })
const bodies = adminOpenApi().components.requestBodies as Record<string, any>
const validate = addFormats(new Ajv({ allErrors: true, strict: false })).compile(
  bodies.createIntegrationBody.content['application/json'].schema
)

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    const answer = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json))
    }
    console.log(`${req.method} ${req.url}`)
    if (req.method === 'GET' && /^\/v1\/admin\/workspaces\/[^/]+$/.test(req.url ?? '')) {
      return answer(200, { id: req.url?.split('/').at(-1), name: 'Local workspace', handle: 'my-workspace' })
    }
    if (req.method === 'POST' && /^\/v1\/admin\/integrations(\/validate)?$/.test(req.url ?? '')) {
      const text = Buffer.concat(chunks).toString('utf8')
      if (values.out) writeFileSync(values.out, text)
      const valid = validate(JSON.parse(text))
      console.log(valid ? 'body valid for createIntegrationBody' : JSON.stringify(validate.errors, null, 2))
      return valid
        ? answer(200, {})
        : answer(400, { id: 'err_stub', code: 400, type: 'InvalidPayload', message: 'invalid body' })
    }
    return answer(404, {
      id: 'err_stub',
      code: 404,
      type: 'ResourceNotFound',
      message: `${req.method} ${req.url}: not found`,
    })
  })
})

server.listen(Number(values.port ?? 0), '127.0.0.1', () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : values.port
  console.log(`Admin API stub on http://127.0.0.1:${port}`)
  console.log(`bp deploy --dryRun --allowDeprecated --apiUrl http://127.0.0.1:${port} --token x --workspaceId y -y`)
})
