import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { freePort } from '../ports'

export type IntegrationProcessOptions = {
  bundlePath: string
  apiUrl: string
  token: string
  env?: Record<string, string>
  onLog?: (line: string) => void
  /** each request the integration sends with a `webhook-id` (a delivery attempt), and each answer to one */
  onEndpointEvent?: (event: EndpointEvent) => void
  /** false: no such reports (they cost the process two writes per attempt; the bench turns them off) */
  traceEndpoint?: boolean
  /** where its port comes from (tests give a taken one first) */
  drawPort?: () => Promise<number>
}

export type EndpointEvent = { webhookId: string; answerStatus?: number }

export type IntegrationProcess = { url: string; pid: number; stop(): Promise<void> }

// The bundle is started as Botpress runs it; stdin is a pipe from this process, so its end means this
// process died without stop(): the integration then exits too instead of lingering. The SDK's server listens on
// every interface; on a laptop it must stay on loopback, so a listen() given only a port gets 127.0.0.1.
const LOOPBACK_ONLY = [
  "const net = require('node:net'), listen = net.Server.prototype.listen",
  "net.Server.prototype.listen = function (port, ...rest) { return typeof port === 'number' && (rest.length === 0 || typeof rest[0] === 'function') ? listen.call(this, port, '127.0.0.1', ...rest) : listen.call(this, port, ...rest) }",
].join(';')
// Delivery attempts are seen from inside the process through Node's HTTP diagnostics channels (the bundle is not
// touched), and reported as JSON lines on fd 3, apart from the integration's own output.
const REPORT_DELIVERIES = [
  "const dc = require('node:diagnostics_channel'), fs = require('node:fs')",
  "const report = (event) => { try { fs.writeSync(3, JSON.stringify(event) + '\\n') } catch {} }",
  "const idOf = (request) => { const id = request.getHeader('webhook-id'); return id === undefined ? undefined : String(id) }",
  "dc.subscribe('http.client.request.start', ({ request }) => { const webhookId = idOf(request); if (webhookId) report({ webhookId }) })",
  "dc.subscribe('http.client.response.finish', ({ request, response }) => { const webhookId = idOf(request); if (webhookId) report({ webhookId, answerStatus: response.statusCode }) })",
].join(';')
const startScript = (traceEndpoint: boolean) =>
  [
    LOOPBACK_ONLY,
    ...(traceEndpoint ? [REPORT_DELIVERIES] : []),
    'require(process.argv[1]).default.start(Number(process.argv[2]))',
    "process.stdin.on('end', () => process.exit(0)).resume()",
  ].join(';')

/** Runs the bundle unmodified, as Botpress Cloud does: its own process, talking to the API given in its env */
export const startIntegrationProcess = async (options: IntegrationProcessOptions): Promise<IntegrationProcess> => {
  // The port is drawn free, then bound by the child: another process can take it in between (an ephemeral port of
  // any connection on the machine), so a start that lost it is tried again on another
  for (let attempt = 1; ; attempt++) {
    const started = await startOnPort(options, await (options.drawPort ?? freePort)())
    if (started !== 'port taken') return started
    if (attempt === 3) throw new Error('The integration process found its port taken 3 times in a row')
  }
}

const startOnPort = async (options: IntegrationProcessOptions, port: number) => {
  const child = spawn(
    process.execPath,
    ['-e', startScript(options.traceEndpoint !== false), options.bundlePath, String(port)],
    {
      env: { ...process.env, ...options.env, BP_API_URL: options.apiUrl, BP_TOKEN: options.token },
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    }
  )
  let portTaken = false
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      portTaken ||= line.includes('EADDRINUSE')
      options.onLog?.(line)
    })
  }
  createInterface({ input: child.stdio[3] as Readable }).on('line', (line) => {
    try {
      options.onEndpointEvent?.(JSON.parse(line) as EndpointEvent)
    } catch {
      // not ours to fail on
    }
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  // After the exit, once its output is read to the end
  const closed = new Promise((resolve) => child.once('close', resolve))
  const url = `http://127.0.0.1:${port}`

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
    }
  }

  // Ready when the SDK's server answers its health check
  const deadline = Date.now() + 20_000
  for (;;) {
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (res) => res.ok,
      () => false
    )
    if (ok) break
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop()
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000))])
      if (portTaken) return 'port taken' as const
      throw new Error(`The integration process did not start (exit code ${child.exitCode}); see its logs`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { url, pid: child.pid!, stop }
}
