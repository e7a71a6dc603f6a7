// `npm start`: Botpress Cloud on localhost, with the integration bundle, an echo bot and a reply viewer.
import { randomBytes } from 'node:crypto'
import { loadBot } from './bot/load-bot'
import { typingLine } from './bot/typing'
import { createChat } from './chat'
import { deliveryLine, maskSecret, parseArgsOrUsage, secretFlagWarnings, typingRefused, usageError } from './cli'
import { defaultBundlePath, needsBuild } from './cloud/bundle'
import { greet } from './greet'
import { startLocalRuntime, type LocalRuntime } from './index'
import { stopAsAWhole } from './process-tree'

const HELP = `Usage: npm start -- [options]

  --port <n>                webhook server port (env PORT, default 3000; 0: any free port)
  --endpoint <url>          Response Endpoint URL (env RESPONSE_ENDPOINT_URL; default: a viewer that prints replies)
  --webhook-secret <s>      callers authenticate with this instead of a Personal Access Token (env WEBHOOK_SECRET)
  --signing-secret <s>      Standard Webhooks secret whsec_…, or "generate" (env SIGNING_SECRET; default: unsigned)
  --bot <file>              a script whose default export is (incoming) => replies (default: an echo bot)
  --no-endpoint             no Response Endpoint: replies are only pulled (GET …/conversations/<id>/messages)
  --latency <ms>            latency added to every Botpress API call (default 0)
  --greet <conversationId>  the bot writes first to this conversationId (getOrCreateConversation, then a message)

Secrets belong in the environment (WEBHOOK_SECRET=… SIGNING_SECRET=… npm start): npm prints the command line.
`

const main = async () => {
  const { values } = parseArgsOrUsage(HELP, {
    options: {
      port: { type: 'string' },
      endpoint: { type: 'string' },
      'webhook-secret': { type: 'string' },
      'signing-secret': { type: 'string' },
      bot: { type: 'string' },
      'no-endpoint': { type: 'boolean' },
      latency: { type: 'string' },
      greet: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.info(HELP)
    return
  }
  for (const warning of secretFlagWarnings(values)) console.warn(warning)
  const env = process.env
  const port = Number(values.port ?? env.PORT ?? 3000)
  const webhookSecret = values['webhook-secret'] ?? env.WEBHOOK_SECRET
  let signingSecret = values['signing-secret'] ?? env.SIGNING_SECRET
  // A generated secret is shown in full (the endpoint needs it); one the user gave is never echoed back
  const signingSecretGenerated = signingSecret === 'generate'
  if (signingSecretGenerated) signingSecret = `whsec_${randomBytes(24).toString('base64')}`
  const configuration = Object.fromEntries(
    Object.entries({
      responseEndpointURL: values.endpoint ?? env.RESPONSE_ENDPOINT_URL,
      webhookSecret,
      signingSecret,
      // The endpoint (the viewer too) hears when the bot starts and stops typing
      typingIndicator: true,
    }).filter(([, value]) => value)
  )

  const pullOnly = values['no-endpoint'] === true
  if (pullOnly && configuration.responseEndpointURL) {
    usageError('--no-endpoint and --endpoint (or RESPONSE_ENDPOINT_URL) contradict each other: give one', HELP)
  }
  if (needsBuild(defaultBundlePath)) console.info('Building the integration bundle (npm run build)…')
  const chat = createChat()
  let runtime: LocalRuntime | undefined
  stopAsAWhole(async () => runtime?.stop())
  try {
    runtime = await startLocalRuntime({
      configuration,
      port,
      viewer: pullOnly ? false : undefined,
      apiLatencyMs: Number(values.latency ?? 0),
      bot: values.bot ? await loadBot(values.bot) : undefined,
      onViewerRequest: chat.onViewerRequest,
      onMessageStored: chat.onMessageStored,
      onDelivery: (delivery) => {
        chat.onDelivery(delivery)
        // With the user's own endpoint there is no viewer: a line per reply it took
        const line = configuration.responseEndpointURL && deliveryLine(delivery)
        if (line) console.info(line)
      },
      // A start or stop the endpoint refused is the integration's own warning line, and only that
      onTyping: configuration.responseEndpointURL
        ? (event) =>
            // The warning comes on the integration's output, written before its answer: let it be read
            setImmediate(() => typingRefused(runtime?.integrationLogs ?? [], event) || console.info(typingLine(event)))
        : undefined,
    })
  } catch (thrown) {
    const portTaken = (thrown as NodeJS.ErrnoException).code === 'EADDRINUSE'
    const hint = portTaken ? ` (npm start -- --port <another port>, or --port 0 for any free port)` : ''
    console.error(`Could not start: ${thrown instanceof Error ? thrown.message : thrown}${hint}`)
    process.exit(1)
  }

  const token = webhookSecret ? '<your webhook secret>' : runtime.personalAccessToken
  const chatMode = pullOnly ? 'pull' : configuration.responseEndpointURL ? 'own-endpoint' : 'push'
  const chatPage = await chat
    .serve(runtime, { token: webhookSecret ?? token, mode: chatMode, signed: Boolean(signingSecret) })
    .then((url) => `${url}   (open it in a browser: chat with the bot, see every request)`)
    .catch((thrown: Error) => `unavailable (${thrown.message})`)
  const body = {
    userId: 'user-1',
    messageId: `msg-${Date.now()}`,
    conversationId: 'conv-1',
    type: 'text',
    text: 'Hello bot',
  }
  // Said where it shows, so that nobody expects it from an install left as it came
  const typingIndicatorLine =
    'Typing indicator: on here (the endpoint hears the bot start and stop typing); ' +
    'in Botpress a new install has it off until you turn on Typing Indicator'
  const endpointLine =
    configuration.responseEndpointURL ??
    (pullOnly
      ? 'none (--no-endpoint): bot messages are not pushed, pull them'
      : 'built-in viewer (replies are printed below)')
  console.info(`
Messaging API running locally (no Botpress account needed)

  Chat page:     ${chatPage}
  Webhook URL:   ${runtime.webhookUrl}
  ${webhookSecret ? `Webhook secret: ${maskSecret(webhookSecret)}` : `Personal Access Token: ${token}`}
  Response Endpoint: ${endpointLine}${
    signingSecret ? `\n  Signing secret: ${signingSecretGenerated ? signingSecret : maskSecret(signingSecret)}` : ''
  }${pullOnly ? '' : `\n  ${typingIndicatorLine}`}

Send a message (change messageId for each new message; a repeated one is deduplicated):

  curl -X POST '${runtime.webhookUrl}' \\
    -H 'Authorization: Bearer ${token}' \\
    -H 'Content-Type: application/json' \\
    -d '${JSON.stringify(body)}'

Pull the conversation's messages, the bot's replies among them (waits up to 8 s when there is nothing yet;
add after=<cursor from an answer> to get only what came after it):

  curl '${runtime.webhookUrl}/conversations/${body.conversationId}/messages?wait=8' \\
    -H 'Authorization: Bearer ${token}'
${webhookSecret ? '\n  (put the webhook secret you gave in place of <your webhook secret>: it is not printed back)\n' : ''}
Ctrl-C stops everything.
`)
  if (values.greet !== undefined) {
    const greeted = await greet(runtime, values.greet, token).catch(
      (thrown: Error) => `Could not greet: ${thrown.message}`
    )
    console.info(greeted)
  }
}

void main()
