// Test support: programs run as a user runs them (npm start, the example receivers), their terminal output collected.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { join } from 'node:path'

export const root = join(__dirname, '..', '..')

export type RunningProgram = {
  child: ChildProcessWithoutNullStreams
  exited: Promise<number | null>
  output(): string
  /** resolves with the output once it matches (a global pattern: once it matches `count` times) */
  waitFor(pattern: RegExp, options?: { count?: number; timeoutMs?: number }): Promise<string>
  stop(): Promise<void>
}

export const startProgram = (command: string, args: string[], env: Record<string, string> = {}): RunningProgram => {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, FORCE_COLOR: '0', ...env } })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const matches = (pattern: RegExp) =>
    pattern.global ? (output.match(pattern) ?? []).length : pattern.test(output) ? 1 : 0

  const waitFor: RunningProgram['waitFor'] = async (pattern, { count = 1, timeoutMs = 20_000 } = {}) => {
    const deadline = Date.now() + timeoutMs
    while (matches(pattern) < count) {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`did not see ${pattern} ${count} time(s) in:\n${output}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return output
  }

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }

  return { child, exited, output: () => output, waitFor, stop }
}

/** The port npm start took, from the webhook URL it printed (tests start it with `--port 0`: no port to race for) */
export const printedPort = (output: string) => Number(/http:\/\/127\.0\.0\.1:(\d+)\/webhooks\//.exec(output)?.[1])

/** `npm start -- <args>` in one process (tsx as a loader, not its CLI, which would run the script in a child) */
export const startNpmStart = (args: string[], env: Record<string, string> = {}) =>
  startProgram(process.execPath, ['--import', 'tsx', 'local/start.ts', ...args], env)
