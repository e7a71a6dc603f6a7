import type { Conversation, Message, User } from '@botpress/client'
import { startApiServer, type ApiCall, type FaultHook } from './api/server'
import { newToken, newUuid, ulid } from './api/ids'
import { defaultBot } from './bot/default-bot'
import type { BotFunction } from './bot/types'
import { defaultBundlePath, ensureBundle } from './cloud/bundle'
import { startIntegrationProcess } from './cloud/integration-process'
import { createOperationCaller, type IntegrationContext, type Operation } from './cloud/operations'
import { createWebhookServer, listen } from './cloud/webhook-server'
import { configurationIssues, declaredTags, integrationName } from './definition'
import { startViewer, type Viewer, type ViewerRequest } from './viewer/viewer'

export type { ApiCall, Fault, FaultCall, FaultHook } from './api/server'
export type { BotFunction, Incoming, Reply } from './bot/types'
export type { ViewerRequest } from './viewer/viewer'

export type LocalRuntimeOptions = {
  /** integration configuration; responseEndpointURL defaults to the built-in viewer */
  configuration?: Record<string, unknown>
  /** default <repo>/.botpress/dist/index.js, built with `npm run build` when missing */
  bundlePath?: string
  /** port of the webhook server; 0/undefined = a free port */
  port?: number
  apiLatencyMs?: number
  /** false = the bot never replies; undefined = the default echo bot */
  bot?: BotFunction | false
  fault?: FaultHook
  /** no terminal printing (tests) */
  quiet?: boolean
  integrationEnv?: Record<string, string>
}

export type Delivery = { messageId: string; status: number; body: string; durationMs: number }
export type OperationRecord = { operation: Operation; status: number; durationMs: number }

export type LocalRuntime = {
  url: string
  webhookUrl: string
  apiUrl: string
  personalAccessToken: string
  integrationToken: string
  botId: string
  botUserId: string
  integrationId: string
  store: {
    users(): User[]
    conversations(): Conversation[]
    messages(): Message[]
    /** deletes a conversation with its messages and states, as Botpress does (the integration is not told) */
    deleteConversation(id: string): void
  }
  apiCalls: ApiCall[]
  clearApiCalls(): void
  /** message_created results, one per bot message */
  deliveries: Delivery[]
  /** every operation sent to the integration (register, webhook_received, message_created) */
  operations: OperationRecord[]
  /** requests received by the built-in viewer (when it is the Response Endpoint) */
  viewerRequests: ViewerRequest[]
  integrationLogs: string[]
  integrationPid: number
  /** the integration process's own server (GET /health answers ok) */
  integrationUrl: string
  configure(configuration: Record<string, unknown>): Promise<void>
  /** another Personal Access Token accepted for this bot */
  createPersonalAccessToken(): string
  setFault(hook?: FaultHook): void
  setBot(bot?: BotFunction | false): void
  setApiLatency(ms: number): void
  /** resolves when every pending bot reaction and message_created delivery has finished */
  idle(): Promise<void>
  stop(): Promise<void>
}

const print = (quiet: boolean | undefined, line: string) => quiet || console.info(line)

/** Botpress Cloud on localhost: in-memory API, the integration bundle in its own process, a bot and a reply viewer */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const bundlePath = options.bundlePath ?? defaultBundlePath
  ensureBundle(bundlePath)

  const botId = newUuid()
  const integrationId = `intver_${ulid()}`
  const webhookId = newUuid()
  const integrationToken = newToken('bp_int')
  const personalAccessToken = newToken('bp_pat')
  let bot: BotFunction | undefined = options.bot === false ? undefined : (options.bot ?? defaultBot)

  const cleanups: Array<() => unknown> = []
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await Promise.resolve(cleanup()).catch(() => {})
    }
  }

  // Bot reactions run one after another per conversation, so replies reach the integration in order
  const chains = new Map<string, Promise<void>>()
  const pending = new Set<Promise<void>>()
  const schedule = (key: string, work: () => Promise<void>) => {
    const next = (chains.get(key) ?? Promise.resolve()).then(work).catch((thrown) => {
      print(options.quiet, `bot reaction failed: ${thrown instanceof Error ? thrown.stack : thrown}`)
    })
    chains.set(key, next)
    pending.add(next)
    void next.finally(() => {
      pending.delete(next)
      if (chains.get(key) === next) chains.delete(key)
    })
  }

  try {
    const api = await startApiServer({
      integrationName,
      declaredTags,
      tokens: { [integrationToken]: botId, [personalAccessToken]: botId },
      latencyMs: options.apiLatencyMs,
      fault: options.fault,
      onMessageCreated: (messageBotId, message) => {
        if (message.direction === 'incoming') schedule(message.conversationId, () => react(messageBotId, message))
      },
    })
    cleanups.push(api.close)
    const botUser = api.store.botUser(botId)

    // Bound first, so that a taken port fails before the integration process starts
    const server = createWebhookServer(webhookId, (req) => callIntegration('webhook_received', { req }))
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        })
    )
    const port = await listen(server, options.port ?? 0).catch((thrown: NodeJS.ErrnoException) => {
      throw thrown.code === 'EADDRINUSE'
        ? new Error(`Port ${options.port} is already in use on 127.0.0.1: stop what uses it or choose another port`)
        : thrown
    })
    const url = `http://127.0.0.1:${port}`
    const webhookUrl = `${url}/webhooks/${webhookId}`

    let viewer: Viewer | undefined
    const context: IntegrationContext = {
      botId,
      botUserId: botUser.id,
      integrationId,
      integrationAlias: integrationName,
      webhookId,
      configuration: {},
    }

    const integrationLogs: string[] = []
    const integration = await startIntegrationProcess({
      bundlePath,
      apiUrl: api.url,
      token: integrationToken,
      env: options.integrationEnv,
      onLog: (line) => {
        integrationLogs.push(line)
        print(options.quiet, `\x1b[2m[integration] ${line}\x1b[0m`)
      },
    })
    cleanups.push(integration.stop)
    const caller = createOperationCaller(integration.url)
    cleanups.push(caller.close)

    const operations: OperationRecord[] = []
    const callIntegration = async (operation: Operation, body: unknown, type?: string) => {
      const result = await caller.call(context, operation, body, type)
      operations.push({ operation, status: result.status, durationMs: result.durationMs })
      return result
    }

    const deliveries: Delivery[] = []
    const deliver = async (message: Message) => {
      const conversation = api.store.getConversation(botId, message.conversationId)
      const body = { type: message.type, payload: message.payload, conversation, user: botUser, message }
      const startedAt = performance.now()
      const result = await callIntegration('message_created', body, message.type).catch((thrown: Error) => ({
        status: 0,
        body: thrown.message,
        durationMs: performance.now() - startedAt,
      }))
      deliveries.push({
        messageId: message.id,
        status: result.status,
        body: result.body,
        durationMs: result.durationMs,
      })
    }

    // The bot's replies are written straight into the store (not through HTTP), so apiCalls and faults are the
    // integration's alone
    const react = async (reactBotId: string, message: Message) => {
      const current = bot
      if (!current || reactBotId !== botId) return
      const conversation = api.store.getConversation(botId, message.conversationId)
      const user = api.store.getUser(botId, message.userId)
      for (const reply of await current({ message, conversation, user })) {
        const created = api.store.createMessage(botId, {
          type: reply.type,
          payload: reply.payload,
          userId: botUser.id,
          conversationId: conversation.id,
          tags: {},
        })
        await deliver(created)
      }
    }

    // Like saving the configuration in Botpress: validated, then `register` is sent to the integration
    const configure = async (configuration: Record<string, unknown>) => {
      let resolved = configuration
      if (!configuration.responseEndpointURL) {
        if (!viewer) {
          viewer = await startViewer({ quiet: options.quiet })
          cleanups.push(viewer.close)
        }
        resolved = { ...configuration, responseEndpointURL: viewer.url }
      }
      const issues = configurationIssues(resolved)
      if (issues.length) throw new Error(`Invalid configuration: ${issues.join('; ')}`)
      viewer?.setSigningSecret(typeof resolved.signingSecret === 'string' ? resolved.signingSecret : undefined)
      context.configuration = resolved
      const result = await callIntegration('register', { webhookUrl })
      if (result.status < 200 || result.status >= 300) {
        throw new Error(`The integration refused the configuration (register: HTTP ${result.status} ${result.body})`)
      }
    }
    await configure(options.configuration ?? {})

    return {
      url,
      webhookUrl,
      apiUrl: api.url,
      personalAccessToken,
      integrationToken,
      botId,
      botUserId: botUser.id,
      integrationId,
      store: {
        users: () => api.store.all('users'),
        conversations: () => api.store.all('conversations'),
        messages: () => api.store.all('messages'),
        deleteConversation: (id) => api.store.deleteConversation(botId, id),
      },
      apiCalls: api.calls,
      clearApiCalls: () => void api.calls.splice(0),
      deliveries,
      operations,
      get viewerRequests() {
        return viewer?.requests ?? []
      },
      integrationLogs,
      integrationPid: integration.pid,
      integrationUrl: integration.url,
      configure,
      createPersonalAccessToken: () => {
        const token = newToken('bp_pat')
        api.addToken(token, botId)
        return token
      },
      setFault: api.setFault,
      setBot: (next) => void (bot = next === false ? undefined : (next ?? defaultBot)),
      setApiLatency: api.setLatency,
      idle: async () => {
        while (pending.size) await Promise.allSettled([...pending])
      },
      stop,
    }
  } catch (thrown) {
    await stop()
    throw thrown
  }
}
