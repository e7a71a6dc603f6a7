// A Response Endpoint for the Messaging API integration: it checks each request's Standard Webhooks signature, drops
// repeats by `webhook-id`, and answers `{ "id" }` so that the integration stores this id on the bot's message. The
// bot's events (`type: "event"`) are told apart from its messages.
// Run: SIGNING_SECRET=whsec_... node receiver.mjs   (PORT, default 4100; HOST, default 127.0.0.1)
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { Webhook } from 'standardwebhooks'

const port = Number(process.env.PORT ?? 4100)
const host = process.env.HOST ?? '127.0.0.1'
const secret = process.env.SIGNING_SECRET
if (!secret?.startsWith('whsec_')) {
  console.error('Set SIGNING_SECRET to the signing secret of the integration (whsec_...).')
  process.exit(1)
}
const webhook = new Webhook(secret)

// The integration sends a message at most 3 times within 20 s, always with the same webhook-id; a signature is
// accepted for 5 minutes. Ids older than 10 minutes can go. With several copies of this server, keep them in a shared
// store instead (a unique key on webhook-id).
const keepMs = 10 * 60 * 1000
const seen = new Map() // webhook-id -> { id, at }
const forgetOld = (now) => {
  for (const [webhookId, { at }] of seen) {
    if (now - at < keepMs) break // a Map iterates in insertion order: the rest are newer
    seen.delete(webhookId)
  }
}

const maxBodyBytes = 1024 * 1024
const answer = (res, status, body) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))

const server = createServer(async (req, res) => {
  if (req.method !== 'POST') return answer(res, 405, { error: 'POST only' })
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > maxBodyBytes) return answer(res, 413, { error: 'too large' })
    chunks.push(chunk)
  }
  const raw = Buffer.concat(chunks).toString('utf8')

  let message
  try {
    // The signature covers the exact bytes sent: verify the raw body, then use what verify() parsed
    message = webhook.verify(raw, req.headers)
  } catch {
    console.log('✗ refused a request whose signature is missing, invalid or too old')
    return answer(res, 401, { error: 'invalid signature' })
  }

  if (message.type === 'typing') {
    // Only with Typing Indicator on: the bot started (payload.typing true) or stopped answering. Sent once, never
    // retried, each with a webhook-id of its own: nothing to de-duplicate. Hide a start after payload.timeoutMs.
    const state = message.payload.typing ? 'started' : 'stopped'
    console.log(`… typing ${state} in conversation ${message.conversationId}`)
    return answer(res, 200, {})
  }

  const webhookId = req.headers['webhook-id']
  const now = Date.now()
  forgetOld(now)
  const known = seen.get(webhookId)
  if (known) {
    // A retry of a message already handled (our first answer was lost or late): same answer, nothing done twice
    console.log(`↺ repeat of ${webhookId} dropped (answered id ${known.id} again)`)
    return answer(res, 200, { id: known.id })
  }
  const id = `ex_${randomUUID()}`
  seen.set(webhookId, { id, at: now })

  if (message.type === 'event') {
    // The bot's "Send Event to Your Back End" card: not a chat message but something to do (open the checkout...).
    // Its webhook-id is its eventId, so a retry was dropped above like a message's. The answer's body is ignored.
    console.log(`⚡ ${webhookId} event ${message.name} for conversation ${message.conversationId}`)
    return answer(res, 200, {})
  }

  // Your code goes here: hand the bot's message to your user
  const text = message.payload?.text ?? message.payload?.markdown ?? ''
  console.log(
    `✓ ${webhookId} ${message.type} for conversation ${message.conversationId}: ${JSON.stringify(text)} -> id ${id}`
  )
  answer(res, 200, { id })
})

server.listen(port, host, () => {
  // PORT=0 takes any free port: the one bound is printed
  const url = `http://${host}:${server.address().port}/`
  console.log(`Receiving bot messages on ${url} (signatures checked with standardwebhooks)`)
  console.log(`Try it, with the same SIGNING_SECRET in the environment: npm start -- --endpoint ${url}`)
})
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.closeAllConnections()
    server.close(() => process.exit(0))
  })
}
