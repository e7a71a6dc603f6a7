import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import type { ApiCall } from '../local'

export const median = (values: number[]) => percentile(values, 50)

/** Nearest-rank percentile */
export const percentile = (values: number[], p: number) => {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length

/**
 * Sequential round trips among one request's API calls: the longest chain of calls each starting after the previous
 * one ended (calls in parallel overlap, so they count once). Earliest-end-first finds the longest such chain.
 */
export const sequentialRoundTrips = (calls: ApiCall[]) => {
  let depth = 0
  let lastEnd = -Infinity
  for (const call of [...calls].sort((a, b) => a.endedAt - b.endedAt)) {
    if (call.startedAt >= lastEnd) {
      depth += 1
      lastEnd = call.endedAt
    }
  }
  return depth
}

let ticksPerSecond: number | undefined
const clockTicks = () => {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      ticksPerSecond = 100
    }
  }
  return ticksPerSecond
}

/** CPU time (user + system) a process has used so far, in ms, from its own accounting in /proc/<pid>/stat */
export const processCpuMs = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks()
}

/**
 * CPU time a live process has used so far, in ms with nanosecond precision (/proc/<pid>/task/<tid>/schedstat, summed
 * over its threads), for short spans that clock ticks would round to 10 ms; falls back to processCpuMs
 */
export const preciseCpuMs = (pid: number) => {
  try {
    return readdirSync(`/proc/${pid}/task`).reduce(
      (sum, tid) => sum + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6,
      0
    )
  } catch {
    return processCpuMs(pid)
  }
}
