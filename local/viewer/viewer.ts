import { createServer } from 'node:http'
import { Webhook } from 'standardwebhooks'
import { listen } from '../cloud/webhook-server'

export type ViewerRequest = {
  headers: Record<string, string | string[] | undefined>
  raw: string
  body: unknown
  /** undefined when no signing secret is configured */
  signatureValid?: boolean
  /** when it arrived (ms since the epoch) */
  receivedAt: number
}

export type Viewer = {
  url: string
  requests: ViewerRequest[]
  setSigningSecret(secret?: string): void
  close(): Promise<void>
}

const summary = (body: any): string => {
  const payload = body?.payload ?? {}
  switch (body?.type) {
    case 'text':
    case 'markdown':
      return JSON.stringify(payload.text ?? payload.markdown ?? '')
    case 'choice':
    case 'dropdown':
      return `${JSON.stringify(payload.text ?? '')} [${(payload.options ?? []).map((o: any) => o.label).join(' | ')}]`
    default:
      return JSON.stringify(payload).slice(0, 100)
  }
}

const typingSummary = (body: any): string =>
  body?.payload?.typing === true ? 'is typing…' : body?.payload?.typing === false ? 'stopped typing' : 'typing: ?'

const verify = (secret: string, raw: string, headers: ViewerRequest['headers']) => {
  try {
    new Webhook(secret).verify(raw, headers as Record<string, string>)
    return true
  } catch {
    return false
  }
}

/** The default Response Endpoint: answers 200 and prints each bot message it receives */
export const startViewer = async (options: {
  quiet?: boolean
  signingSecret?: string
  onRequest?: (request: ViewerRequest) => void
}): Promise<Viewer> => {
  let signingSecret = options.signingSecret
  const requests: ViewerRequest[] = []
  const server = createServer(async (req, res) => {
    const receivedAt = Date.now()
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch {
      body = raw
    }
    const signatureValid = signingSecret ? verify(signingSecret, raw, req.headers) : undefined
    const request = { headers: req.headers, raw, body, signatureValid, receivedAt }
    requests.push(request)
    options.onRequest?.(request)
    if (!options.quiet) {
      const signature =
        signatureValid === undefined ? 'unsigned' : signatureValid ? 'signature ✓' : 'signature ✗ INVALID'
      const { conversationId, type } = (body ?? {}) as { conversationId?: string; type?: string }
      const what = type === 'typing' ? typingSummary(body) : `${type}: ${summary(body)}`
      console.info(`◀ bot → conversation ${JSON.stringify(conversationId)}  ${what}  (${signature})`)
    }
    // No `id` in the answer: the integration then has nothing to store on the message
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}')
  })
  const port = await listen(server, 0)
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    setSigningSecret: (secret) => void (signingSecret = secret),
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
