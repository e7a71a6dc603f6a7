import { request, type IncomingHttpHeaders } from 'node:http'
import { assertWebhookExchange, webhookPath } from '../helpers/openapi-check'

export type RawResponse = { status: number; headers: IncomingHttpHeaders; text: string; durationMs: number }

/**
 * One HTTP request with exactly the bytes and headers given: unlike fetch, it sends invalid UTF-8, latin-1 header
 * values and any content-type untouched. An answer of the webhook is checked against openapi.yaml (see caller.ts).
 */
export const rawRequest = (
  url: string,
  { method = 'POST', body, headers = {} }: { method?: string; body?: Buffer | string; headers?: Record<string, string> }
): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const startedAt = performance.now()
    const bytes = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')
    const req = request(url, {
      method,
      headers: { ...(bytes && { 'content-length': String(bytes.length) }), ...headers },
      timeout: 15_000,
    })
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => {
        const answer = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
          durationMs: performance.now() - startedAt,
        }
        const path = webhookPath(url)
        try {
          if (path !== undefined) {
            assertWebhookExchange({ method, path, requestBody: bytes, ...answer, body: answer.text })
          }
          resolve(answer)
        } catch (violation) {
          reject(violation)
        }
      })
    })
    req.on('timeout', () => req.destroy(new Error(`No answer from ${url} within 15 s`)))
    req.on('error', reject)
    req.end(bytes)
  })

/** Runs `work` over `items` with at most `concurrency` in flight; results keep the items' order. */
export const mapConcurrently = async <TItem, TResult>(
  items: readonly TItem[],
  concurrency: number,
  work: (item: TItem, index: number) => Promise<TResult>
): Promise<TResult[]> => {
  const results = new Array<TResult>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
  return results
}
