// Test support: a process's descendants, read from /proc, so that a test can check that none outlives it.
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { isRunning, procStat } from '../../local/process-tree'

/** Every process below `root` (children, their children...), as found now */
export const descendants = (root: number): number[] => {
  const parents = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = procStat(Number(entry))
    if (stat) parents.set(Number(entry), stat.ppid)
  }
  const found: number[] = []
  const queue = [root]
  while (queue.length > 0) {
    const parent = queue.shift()
    for (const [pid, ppid] of parents) {
      if (ppid === parent) {
        found.push(pid)
        queue.push(pid)
      }
    }
  }
  return found
}

/** The command line of a process, '' once it is gone */
export const commandLine = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
  } catch {
    return ''
  }
}

/** Those of `pids` still running after `timeoutMs` (none when all exited in time) */
export const stillRunningAfter = async (pids: number[], timeoutMs: number): Promise<number[]> => {
  const deadline = Date.now() + timeoutMs
  while (pids.some(isRunning) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return pids.filter(isRunning)
}

/** Whether a server can listen on 127.0.0.1:`port` now */
export const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer().once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
