import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../../local/ports'
import { startEndpoint } from '../helpers/endpoint'
import { assertWebhookExchange, webhookPath } from '../helpers/openapi-check'

const root = join(__dirname, '..', '..')
const started: ChildProcessWithoutNullStreams[] = []

/** `npm start` as a person runs it (local/start.ts under tsx), with its terminal output collected. */
const npmStart = (args: string[]) => {
  // One process (tsx as a loader, not its CLI, which would put the script in a child of its own).
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', ...args], {
    cwd: root,
    env: { ...process.env, FORCE_COLOR: '0' },
  })
  started.push(child)
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const waitFor = async (pattern: RegExp, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs
    while (!pattern.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`did not see ${pattern} in:\n${output}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return output
  }
  return { child, exited, waitFor, output: () => output }
}

afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    }
  }
})

/** The printed curl command, sent as curl would send it; the exchange is checked against openapi.yaml. */
const runPrintedCurl = async (output: string) => {
  const [, url] = /curl -X POST '([^']+)'/.exec(output) ?? []
  const [, authorization] = /-H 'Authorization: ([^']+)'/.exec(output) ?? []
  const [, body] = /-d '([^']+)'/.exec(output) ?? []
  expect(url && authorization && body).toBeTruthy()
  const response = await fetch(url!, {
    method: 'POST',
    headers: { authorization: authorization!, 'content-type': 'application/json' },
    body,
  })
  const text = await response.text()
  const { status, headers } = response
  assertWebhookExchange({
    method: 'POST',
    path: webhookPath(url!) ?? '',
    requestBody: body,
    status,
    headers,
    body: text,
  })
  return { status }
}

describe('npm start', () => {
  it('prints a webhook URL, a token and a curl whose reply then shows on the terminal', async () => {
    const port = await freePort()
    const app = npmStart(['--port', String(port), '--signing-secret', 'generate'])
    const output = await app.waitFor(/Ctrl-C stops everything/)
    expect(output).toContain(`http://127.0.0.1:${port}/webhooks/`)

    const response = await runPrintedCurl(output)
    expect(response.status).toBe(200)
    await app.waitFor(/You said: Hello bot.*signature ✓/)

    app.child.kill('SIGINT')
    expect(await app.exited).toBe(0)
    // Everything it started is gone: the port is free again.
    await new Promise<void>((resolve, reject) => {
      const probe = createServer().once('error', reject)
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()))
    })
  })

  it('uses the webhook secret in the printed curl when one is given', async () => {
    const app = npmStart(['--port', String(await freePort()), '--webhook-secret', 'local-secret-1'])
    const output = await app.waitFor(/Ctrl-C stops everything/)
    expect(output).toContain("Authorization: Bearer local-secret-1'")
    expect((await runPrintedCurl(output)).status).toBe(200)
  })

  it('runs a bot script given with --bot', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'messaging-api-bot-'))
    const script = join(folder, 'shout-bot.ts')
    writeFileSync(
      script,
      `export default ({ message }: { message: { payload: { text?: string } } }) =>
        [{ type: 'text', payload: { text: 'SHOUTED: ' + String(message.payload.text).toUpperCase() } }]\n`
    )
    try {
      const app = npmStart(['--port', String(await freePort()), '--bot', script])
      const output = await app.waitFor(/Ctrl-C stops everything/)
      expect((await runPrintedCurl(output)).status).toBe(200)
      await app.waitFor(/SHOUTED: HELLO BOT/)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('delivers the replies to the endpoint given with --endpoint, as openapi.yaml describes them', async () => {
    const endpoint = await startEndpoint()
    try {
      const args = ['--endpoint', endpoint.url, '--signing-secret', 'generate']
      const app = npmStart(['--port', String(await freePort()), ...args])
      expect((await runPrintedCurl(await app.waitFor(/Ctrl-C stops everything/))).status).toBe(200)
      const deadline = Date.now() + 10_000
      while (endpoint.received.length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(endpoint.received.map((request) => request.headers['webhook-signature'] !== undefined)).toEqual([
        true,
        true,
      ])
    } finally {
      await endpoint.close()
    }
  })

  it('says so clearly when the port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address() as { port: number }
    try {
      const app = npmStart(['--port', String(port)])
      expect(await app.exited).not.toBe(0)
      expect(app.output()).toMatch(new RegExp(`Port ${port} is already in use`))
    } finally {
      blocker.close()
    }
  })
})
