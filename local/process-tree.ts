// `npm start` stops as a whole. npm passes SIGINT and SIGTERM only to the shell that runs the script, which dies
// without passing them on, and a SIGHUP or SIGKILL sent to npm reaches no child at all: so the process that runs the
// local runtime watches the processes that launched it (the shell, tsx's CLI, npm) and stops as soon as one is gone.
// Ancestors are read from /proc (Linux); elsewhere only the parent is watched.
import { readFileSync } from 'node:fs'

const readProc = (pid: number, file: string): string | undefined => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8')
  } catch {
    return undefined
  }
}

/** state and parent pid from /proc/<pid>/stat (the command name, in parentheses, may hold spaces) */
export const procStat = (pid: number): { state: string; ppid: number } | undefined => {
  const stat = readProc(pid, 'stat')
  if (stat === undefined) return undefined
  const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return { state: state ?? '', ppid: Number(ppid) }
}

/**
 * The processes that launched this one: its parent and, while they run the same package script (their environment
 * holds our `npm_lifecycle_event` and `npm_lifecycle_script`), their parents, up to the package manager itself.
 */
export const launcherPids = (): number[] => {
  const pids = [process.ppid]
  const { npm_lifecycle_event: event, npm_lifecycle_script: script } = process.env
  if (event === undefined || script === undefined) return pids
  const markers = [`npm_lifecycle_event=${event}`, `npm_lifecycle_script=${script}`]
  let pid = process.ppid
  // A launcher started by the package manager for this script has its parent watched too; npm has not
  for (let depth = 0; depth < 8; depth++) {
    const environment = readProc(pid, 'environ')?.split('\0')
    if (!environment || !markers.every((marker) => environment.includes(marker))) break
    const parent = procStat(pid)?.ppid
    if (parent === undefined || parent <= 1) break
    pids.push(parent)
    pid = parent
  }
  return pids
}

export const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
  } catch (thrown) {
    return (thrown as NodeJS.ErrnoException).code === 'EPERM'
  }
  // A zombie has exited and waits to be reaped
  return procStat(pid)?.state !== 'Z'
}

/** Calls `onGone` once, when a launcher of this process has exited (checked every `intervalMs`); returns a stop */
export const watchLaunchers = (onGone: () => void, intervalMs = 250): (() => void) => {
  const pids = launcherPids()
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent && pids.every(isRunning)) return
    clearInterval(timer)
    onGone()
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}

/**
 * `stop` runs once, on SIGINT, SIGTERM or SIGHUP or when a launcher is gone, then the process exits (after 5 s even if
 * `stop` hangs). Children started with a stdin pipe (the integration process) exit when this process does.
 */
export const stopAsAWhole = (stop: () => Promise<void>) => {
  let stopping = false
  const stopOnce = () => {
    if (stopping) return
    stopping = true
    setTimeout(() => process.exit(1), 5_000).unref()
    stop().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stopOnce)
  watchLaunchers(stopOnce)
}
