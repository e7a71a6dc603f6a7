import { startApiServer } from './api/server'
import { newToken, newUuid, ulid } from './api/ids'
import { defaultBot } from './bot/default-bot'
import { createReactionQueue } from './bot/reaction-queue'
import { BotReplyError, createReactor } from './bot/react'
import { createBotApi } from './bot/bot-api'
import type { BotFunction } from './bot/types'
import { createTyping } from './bot/typing'
import { defaultBundlePath, ensureBundle } from './cloud/bundle'
import { createConfiguration } from './cloud/configuration'
import { startIntegrationCopies } from './cloud/integration-copies'
import { createEndpointTrace } from './cloud/endpoint-trace'
import { createMessageDelivery } from './cloud/message-delivery'
import type { IntegrationContext, Operation } from './cloud/operations'
import { startWebhookServer } from './cloud/webhook-server'
import { declaredTags, eventIssues, integrationName } from './definition'
import { dim } from './terminal'
import type { LocalRuntime, LocalRuntimeOptions, OperationRecord } from './types'

export type { ApiCall, Credential, Fault, FaultCall, FaultHook } from './api/server'
export type { BotApi, BotFunction, Incoming, Reply } from './bot/types'
export { BotApiError } from './bot/bot-api'
export type { Delivery } from './cloud/message-delivery'
export type { TypingEvent } from './bot/typing'
export type { ViewerRequest } from './viewer/viewer'
export type { ConfigureOptions, LocalRuntime, LocalRuntimeOptions, OperationRecord, StoredMessage } from './types'

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

  const botErrors: string[] = []
  const reactions = createReactionQueue((thrown) => {
    if (thrown instanceof BotReplyError) {
      botErrors.push(thrown.message)
      print(options.quiet, `✗ bot script error: ${thrown.message}`)
      return
    }
    print(options.quiet, `bot reaction failed: ${thrown instanceof Error ? thrown.stack : thrown}`)
  })

  try {
    // Bound before anything else: a taken port fails before the integration process starts, and no server of ours
    // can take the requested port first by drawing it as an ephemeral one
    const webhooks = await startWebhookServer(
      webhookId,
      (req) => callIntegration('webhook_received', { req }),
      options.port
    )
    cleanups.push(webhooks.close)
    const webhookUrl = `${webhooks.url}/webhooks/${webhookId}`

    const api = await startApiServer({
      integrationName,
      declaredTags,
      tokens: { [integrationToken]: botId, [personalAccessToken]: botId },
      integrationTokens: [integrationToken],
      latencyMs: options.apiLatencyMs,
      pageSize: options.apiPageSize,
      fault: options.fault,
      onMessageCreated: (messageBotId, message) => {
        options.onMessageStored?.({
          message,
          conversation: api.store.conversations.get(messageBotId, message.conversationId),
          user: api.store.users.get(messageBotId, message.userId),
        })
        if (message.direction !== 'incoming') return
        reactions.schedule(message.conversationId, () => react.message(messageBotId, message))
      },
      eventRules: eventIssues,
      // Like Botpress: an event in a conversation goes to the bot, in turn with that conversation's messages
      onEventCreated: (eventBotId, event) => {
        if (event.conversationId === undefined) return
        reactions.schedule(event.conversationId, () => react.event(eventBotId, event))
      },
    })
    cleanups.push(api.close)
    const botUser = api.store.users.botUser(botId)

    const context: IntegrationContext = {
      botId,
      botUserId: botUser.id,
      integrationId,
      integrationAlias: integrationName,
      webhookId,
      configuration: {},
    }

    const integrationLogs: string[] = []
    const endpointEvents = createEndpointTrace()
    const integration = await startIntegrationCopies(options.integrationCopies ?? 1, {
      bundlePath,
      apiUrl: api.url,
      token: integrationToken,
      env: options.integrationEnv,
      traceEndpoint: options.traceEndpoint,
      onLog: (line) => {
        integrationLogs.push(line)
        print(options.quiet, dim(`[integration] ${line}`))
      },
      onEndpointEvent: endpointEvents.record,
    })
    cleanups.push(integration.stop)

    const operations: OperationRecord[] = []
    const callIntegration = async (operation: Operation, body: unknown, type?: string) => {
      const result = await integration.call(context, operation, body, type)
      const record = { operation, status: result.status, durationMs: result.durationMs, copy: result.copy }
      operations.push(type === undefined || operation !== 'action_triggered' ? record : { ...record, type })
      return result
    }

    const { deliveries, deliver } = createMessageDelivery({
      store: api.store,
      botId,
      botUser,
      callIntegration,
      trace: endpointEvents,
      onDelivery: options.onDelivery,
    })
    const botApi = createBotApi({ store: api.store, botId, botUser, callIntegration, deliver })
    // Like Botpress: the bot's turn on a caller's message sits between startTypingIndicator and stopTypingIndicator
    const typing = createTyping({ callIntegration, implemented: options.implementsTyping, onTyping: options.onTyping })
    const react = createReactor({
      store: api.store,
      botId,
      botUser,
      currentBot: () => bot,
      deliver,
      api: botApi,
      around: typing.around,
    })

    const configuration = createConfiguration({
      context,
      register: () => callIntegration('register', { webhookUrl }),
      quiet: options.quiet,
      onViewerRequest: options.onViewerRequest,
    })
    cleanups.push(configuration.close)
    await configuration.configure(options.configuration ?? {}, { viewer: options.viewer })

    return {
      url: webhooks.url,
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
        events: () => api.store.all('events'),
        deleteConversation: (id) => api.store.conversations.delete(botId, id),
        deleteUser: (id) => api.store.users.delete(botId, id),
      },
      apiCalls: api.calls,
      clearApiCalls: () => void api.calls.splice(0),
      deliveries,
      typingEvents: typing.events,
      operations,
      get viewerRequests() {
        return configuration.viewerRequests()
      },
      integrationLogs,
      integrationPid: integration.pids[0]!,
      integrationUrl: integration.urls[0]!,
      integrationPids: integration.pids,
      botApi,
      botErrors,
      configure: configuration.configure,
      createPersonalAccessToken: () => {
        const token = newToken('bp_pat')
        api.addToken(token, botId)
        return token
      },
      setFault: api.setFault,
      setBot: (next) => void (bot = next === false ? undefined : (next ?? defaultBot)),
      setApiLatency: api.setLatency,
      setClock: (clock) => void (api.store.clock = clock),
      idle: reactions.idle,
      serve: webhooks.serve,
      stop,
    }
  } catch (thrown) {
    await stop()
    throw thrown
  }
}
