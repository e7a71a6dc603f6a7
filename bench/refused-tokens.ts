import { readFileSync } from 'node:fs'
import type { LocalRuntime } from '../local'
import { pool, textMessage, type Caller } from './caller'
import type { Progress } from './progress'

/**
 * The integration's resident memory after a burst of requests with the caller's accepted token, then after as many
 * with distinct tokens Botpress refuses: anyone who can reach the webhook URL can send the latter, and none of them
 * may leave anything behind (a cached client per token did: about 60 KB each, up to 500 of them).
 */
export type RefusedTokenFigures = { requests: number; refused: number; acceptedRssMB: number; refusedRssMB: number }

const rssMB = (pid: number) => {
  const kB = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  return Number(kB) / 1024
}

export const measureRefusedTokens = async (
  runtime: LocalRuntime,
  caller: Caller,
  progress: Progress,
  tag: string,
  requests = 3000,
  concurrency = 16
): Promise<RefusedTokenFigures> => {
  progress.step(`${tag}: memory after ${requests} requests with accepted, then refused, tokens`)
  runtime.setApiLatency(0)
  await pool(requests, concurrency, async (index) => {
    await caller.postOk(textMessage(`${tag}-tokens-${index % concurrency}`))
    progress.tick(index + 1, requests * 2)
  })
  const acceptedRssMB = rssMB(runtime.integrationPid)
  let refused = 0
  await pool(requests, concurrency, async (index) => {
    const answer = await caller.post(textMessage(`${tag}-tokens-${index % concurrency}`), {
      bearer: `bp_pat_refused_${index}`,
    })
    if (answer.status === 401 || answer.status === 403) refused += 1
    progress.tick(requests + index + 1, requests * 2)
  })
  return { requests, refused, acceptedRssMB, refusedRssMB: rssMB(runtime.integrationPid) }
}
