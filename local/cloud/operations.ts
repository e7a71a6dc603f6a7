import { Agent, request } from 'node:http'

export type IntegrationContext = {
  botId: string
  botUserId: string
  integrationId: string
  integrationAlias: string
  webhookId: string
  configuration: Record<string, unknown>
}

export type Operation = 'webhook_received' | 'message_created' | 'register' | 'unregister' | 'action_triggered'

export type OperationResult = {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  durationMs: number
}

/** Calls the integration the way Botpress Cloud does: a POST to its server, the context in `x-bot-*`/`x-bp-*` headers */
export const createOperationCaller = (integrationUrl: string) => {
  // Kept alive between calls, and destroyed with the runtime
  const agent = new Agent({ keepAlive: true })

  const call = (ctx: IntegrationContext, operation: Operation, body: unknown, type?: string) =>
    send(ctx, operation, body, type).catch((thrown: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
      // A kept-alive socket the integration's server closed while idle resets before any answer: the operation never
      // reached it, so it is sent once more on a new socket (Node's documented pattern for reused sockets).
      if (thrown.reusedSocket && thrown.code === 'ECONNRESET') return send(ctx, operation, body, type)
      throw thrown
    })

  const send = (ctx: IntegrationContext, operation: Operation, body: unknown, type?: string) =>
    new Promise<OperationResult>((resolve, reject) => {
      const startedAt = performance.now()
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-bot-id': ctx.botId,
        'x-bot-user-id': ctx.botUserId,
        'x-integration-id': ctx.integrationId,
        'x-integration-alias': ctx.integrationAlias,
        'x-webhook-id': ctx.webhookId,
        'x-bp-operation': operation,
        'x-bp-configuration': Buffer.from(JSON.stringify(ctx.configuration)).toString('base64'),
        ...(type ? { 'x-bp-type': type } : {}),
      }
      const req = request(integrationUrl, { method: 'POST', headers, agent }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            durationMs: performance.now() - startedAt,
          })
        )
      })
      req.on('error', (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })))
      req.end(JSON.stringify(body))
    })

  return { call, close: () => agent.destroy() }
}
