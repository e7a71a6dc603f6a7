import { spawn } from 'node:child_process'
import { request } from 'node:http'
import { freePort } from '../local/ports'
import { median, preciseCpuMs } from './stats'

// The bundle started as the local runtime (and Botpress) start it
const START = 'require(process.argv[1]).default.start(Number(process.argv[2]))'

const healthy = (port: number) =>
  new Promise<boolean>((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', agent: false, timeout: 500 }, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('error', () => resolve(false))
    req.on('timeout', () => req.destroy())
    req.end()
  })

/**
 * Process spawn to the first 200 on GET /health, in ms of wall clock and in the CPU the process used until then (the
 * steadier figure on a busy machine: it does not count the time spent waiting for a CPU)
 */
export const coldStartOnce = async (bundlePath: string): Promise<{ ms: number; cpuMs: number }> => {
  const port = await freePort()
  const startedAt = performance.now()
  const child = spawn(process.execPath, ['-e', START, bundlePath, String(port)], {
    // Nothing listens on port 9: health needs no API, and a call would fail fast instead of reaching anything
    env: { ...process.env, BP_API_URL: 'http://127.0.0.1:9', BP_TOKEN: 'bench' },
    stdio: 'ignore',
  })
  try {
    while (!(await healthy(port))) {
      if (child.exitCode !== null) throw new Error(`The bundle ${bundlePath} exited with code ${child.exitCode}`)
      if (performance.now() - startedAt > 20_000) throw new Error(`The bundle ${bundlePath} never became healthy`)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    return { ms: performance.now() - startedAt, cpuMs: preciseCpuMs(child.pid!) }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await exited
    }
  }
}

/** Medians of `runs` cold starts */
export const coldStart = async (bundlePath: string, runs: number, onRun?: (done: number) => void) => {
  const starts: Array<{ ms: number; cpuMs: number }> = []
  for (let run = 0; run < runs; run++) {
    starts.push(await coldStartOnce(bundlePath))
    onRun?.(run + 1)
  }
  return { ms: median(starts.map((start) => start.ms)), cpuMs: median(starts.map((start) => start.cpuMs)) }
}
