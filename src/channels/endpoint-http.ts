/** The HTTP client that talks to the Response Endpoint: bounded in time and in what it reads. */
import { axios as axiosModule, axiosRetry as axiosRetryModule } from '@botpress/client'
import { Readable } from 'node:stream'

// The axios and axios-retry that @botpress/client re-exports: importing 'axios' here would bundle its ESM build beside
// the CommonJS build the client requires, about 95 KB more in .botpress/dist/index.js.
export const axios = axiosModule.default
export type AxiosError = axiosModule.AxiosError
const axiosRetry = axiosRetryModule.default

const defaultAttemptTimeoutMs = 10_000

// The answer matters only for an `{ "id" }` (see send-message), which fits well within this. Buffering an answer of any
// size would let an endpoint that streams gigabytes exhaust the integration's memory and overrun the time budget.
const maxResponseBytes = 64 * 1024

export const endpointHttp = axios.create({
  maxRedirects: 0,
  responseType: 'stream',
  transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: false },
  validateStatus: (status) => status >= 200 && status < 300,
})

/**
 * The answer's text, or '' when it is longer than `maxResponseBytes` or cannot be read to its end (cut off, or past
 * the attempt's clock): the 2xx status already said the message was delivered, the body only ever adds an id.
 */
const readCapped = async (body: Readable): Promise<string> => {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer)
      size += (chunk as Buffer).length
      if (size > maxResponseBytes) {
        return ''
      }
    }
    return Buffer.concat(chunks).toString('utf8')
  } catch {
    return ''
  } finally {
    body.destroy()
  }
}

// Each attempt's own clock (see below), stopped as soon as the attempt is over rather than left to run out
const attemptClocks = new WeakMap<object, NodeJS.Timeout>()
const stopClock = (config: object | undefined) => config && clearTimeout(attemptClocks.get(config))

endpointHttp.interceptors.response.use(
  async (response) => {
    try {
      return { ...response, data: await readCapped(response.data as Readable) }
    } finally {
      stopClock(response.config)
    }
  },
  (error: unknown) => {
    // A refused answer's body is never read: release its connection
    const data = axios.isAxiosError(error) ? error.response?.data : undefined
    if (data instanceof Readable) data.destroy()
    if (axios.isAxiosError(error)) stopClock(error.config)
    throw error
  }
)
axiosRetry(endpointHttp)
// axios's `timeout` stops bounding an attempt once the answer has begun (it becomes a socket idle timeout): an
// endpoint that trickles its body would hold the attempt, and the handler, past every limit. A signal bounds it.
// (AbortSignal.timeout would do, but its timer outlives the attempt: thousands pending at a high delivery rate.)
endpointHttp.interceptors.request.use((config) => {
  const controller = new AbortController()
  const clock = setTimeout(() => controller.abort(), Math.max(1, Math.ceil(config.timeout || defaultAttemptTimeoutMs)))
  clock.unref()
  attemptClocks.set(config, clock)
  config.signal = controller.signal
  return config
})
