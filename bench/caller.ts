import { Agent, request } from 'node:http'

export type Answer = { status: number; body: string; ms: number }

/** The caller's back end: POSTs to the webhook URL over kept-alive connections */
export const createCaller = (webhookUrl: string, token: string) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  const url = new URL(webhookUrl)

  // One request over the kept-alive agent, timed from its start to the end of its answer
  const exchange = (target: URL, method: 'GET' | 'POST', text?: string, bearer = token) =>
    new Promise<Answer>((resolve, reject) => {
      const startedAt = performance.now()
      const headers: Record<string, string> = { authorization: `Bearer ${bearer}` }
      if (text !== undefined) {
        headers['content-type'] = 'application/json'
        headers['content-length'] = String(Buffer.byteLength(text))
      }
      const req = request(target, { method, headers, agent }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const answer = { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }
          resolve({ ...answer, ms: performance.now() - startedAt })
        })
      })
      req.on('error', reject)
      req.end(text)
    })

  type PostOptions = { path?: string; query?: string; bearer?: string }
  /**
   * POST to the webhook URL or a path under it (`/events`); `query` (e.g. `?wait=8`) is appended; `bearer`: another
   * token than the caller's own
   */
  const post = (body: unknown, { path = '', query = '', bearer }: PostOptions = {}) =>
    exchange(
      new URL((path ? url.href.replace(/\/$/, '') + path : url.href) + query),
      'POST',
      JSON.stringify(body),
      bearer
    )

  /** GET on a path under the webhook URL (a pull) */
  const get = (path: string) => exchange(new URL(url.href.replace(/\/$/, '') + path), 'GET')

  /** Like post, but a non-200 answer is an error: the benchmark measures successes only */
  const postOk = async (body: unknown, options: PostOptions = {}) => {
    const answer = await post(body, options)
    if (answer.status !== 200) throw new Error(`The webhook answered ${answer.status}: ${answer.body.slice(0, 300)}`)
    return answer
  }

  return { post, postOk, get, close: () => agent.destroy() }
}

export type Caller = ReturnType<typeof createCaller>

let sequence = 0
/** A text message; ids are unique per benchmark run */
export const textMessage = (conversation: string, user = `u-${conversation}`) => {
  sequence += 1
  return {
    userId: user,
    conversationId: conversation,
    messageId: `m-${sequence}`,
    type: 'text',
    text: `hi ${sequence}`,
  }
}

/** Runs `total` tasks with at most `concurrency` at a time */
export const pool = async (
  total: number,
  concurrency: number,
  task: (index: number, worker: number) => Promise<void>
) => {
  let next = 0
  const worker = async (id: number) => {
    while (next < total) await task(next++, id)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, (_, id) => worker(id)))
}
