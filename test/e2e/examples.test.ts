import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Webhook } from 'standardwebhooks'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startNpmStart, startProgram, type RunningProgram } from '../helpers/processes'

// The example receivers of examples/, run as their READMEs say, behind `npm start -- --endpoint`: each reply of the
// bot is received, verified and answered with an id; a repeat of a webhook-id is dropped; a bad signature refused;
// the typing indicators (npm start turns them on) are verified and told apart from replies, and so are the bot's
// events.

const running: RunningProgram[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((program) => program.stop()))
})

let folder: string
let botScript: string
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'messaging-api-examples-'))
  botScript = join(folder, 'one-reply-bot.ts')
  writeFileSync(
    botScript,
    `export default ({ message }: { message: { payload: { text?: string } } }) =>
      [{ type: 'text', payload: { text: 're: ' + message.payload.text } }]\n`
  )
})
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const python = spawnSync('python3', ['--version']).status === 0
if (!python) console.info('examples: python3 is not on this machine; the Python receiver test is skipped')

/** Runs a receiver and npm start toward it; three messages give three replies; returns what the receiver printed */
const exerciseReceiver = async (command: string, file: string) => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`
  // PORT=0: the receiver binds any free port and prints it (a port drawn here could be taken before it binds)
  const receiver = startProgram(command, [file], { PORT: '0', SIGNING_SECRET: secret })
  running.push(receiver)
  const receiverUrl = /Receiving bot messages on (\S+)/.exec(await receiver.waitFor(/Receiving bot messages on/))![1]!

  // The secret in the environment, as the READMEs say (a flag would be printed by npm's banner)
  const args = ['--port', '0', '--endpoint', receiverUrl, '--bot', botScript]
  const app = startNpmStart(args, { SIGNING_SECRET: secret })
  running.push(app)
  const printed = await app.waitFor(/Ctrl-C stops everything/)
  const [, webhookUrl] = /curl -X POST '([^']+)'/.exec(printed) ?? []
  const [, authorization] = /-H 'Authorization: ([^']+)'/.exec(printed) ?? []
  for (const n of [1, 2, 3]) {
    const body = { userId: 'u-ex', conversationId: 'c-ex', messageId: `m-ex-${n}`, type: 'text', text: `hello ${n}` }
    const response = await fetch(webhookUrl!, {
      method: 'POST',
      headers: { authorization: authorization!, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(response.status).toBe(200)
  }

  // Received and verified: one line per reply, each answered with an id of the receiver's
  const lines = (await receiver.waitFor(/^✓ .*$/gm, { count: 3 })).match(/^✓ .*$/gm)!
  expect(lines).toHaveLength(3)
  const replies = lines.map((line) => {
    const [, webhookId, text, id] = /^✓ (msg_\w+) text for conversation c-ex: "(.*)" -> id (ex_[\w-]+)$/.exec(line)!
    return { webhookId: webhookId!, text, id: id! }
  })
  expect(replies.map((reply) => reply.text)).toEqual(['re: hello 1', 're: hello 2', 're: hello 3'])
  // npm start turns typing on: each turn's start and stop reach the receiver too, verified, and are not replies
  await receiver.waitFor(/^… typing stopped in conversation c-ex$/gm, { count: 3 })
  expect(receiver.output().match(/^… typing (started|stopped) in conversation c-ex$/gm)).toEqual(
    Array(3).fill(['… typing started in conversation c-ex', '… typing stopped in conversation c-ex']).flat()
  )
  // npm start's line per delivered reply
  await app.waitFor(/▶ reply msg_\w+ → endpoint: HTTP 200 in \d+ ms, 1 attempt$/gm, { count: 3 })

  // A repeat of a webhook-id, validly signed, is dropped and answered with the first id
  const webhook = new Webhook(secret)
  const [first] = replies
  const repeatBody = JSON.stringify({ type: 'text', payload: { text: 're: hello 1' }, conversationId: 'c-ex' })
  const signed = (id: string) => ({
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
    'webhook-signature': webhook.sign(id, new Date(), repeatBody),
  })
  const repeat = await fetch(receiverUrl, { method: 'POST', headers: signed(first!.webhookId), body: repeatBody })
  expect(repeat.status).toBe(200)
  expect(await repeat.json()).toEqual({ id: first!.id })
  await receiver.waitFor(new RegExp(`↺ repeat of ${first!.webhookId} dropped`))

  // A bot's event (type "event", webhook-id = eventId) is told apart from a message, and its repeat dropped too
  const eventId = 'evt_0c9d3a1e-1111-4222-8333-944445555666'
  const eventBody = JSON.stringify({
    type: 'event',
    name: 'checkout.open',
    payload: { cart: 'c-1' },
    conversationId: 'c-ex',
    botpressConversationId: 'conv_1',
    eventId,
  })
  const signedEvent = () => ({
    ...signed(eventId),
    'webhook-signature': webhook.sign(eventId, new Date(), eventBody),
  })
  for (let attempt = 0; attempt < 2; attempt++) {
    const delivered = await fetch(receiverUrl, { method: 'POST', headers: signedEvent(), body: eventBody })
    expect(delivered.status).toBe(200)
  }
  await receiver.waitFor(new RegExp(`↺ repeat of ${eventId} dropped`))
  expect(receiver.output().match(/^⚡ .*$/gm)).toEqual([`⚡ ${eventId} event checkout.open for conversation c-ex`])

  // A body that is not what was signed is refused
  const forged = await fetch(receiverUrl, {
    method: 'POST',
    headers: signed('msg_forged'),
    body: repeatBody.replace('hello 1', 'hello 9'),
  })
  expect(forged.status).toBe(401)
  await receiver.waitFor(/✗ refused a request/)
  expect(receiver.output().match(/^✓ /gm)).toHaveLength(3)
  expect(app.output()).not.toContain(secret)
  return receiver.output()
}

describe('example receivers behind npm start --endpoint', () => {
  it('Node (examples/node): receives, verifies and de-duplicates three replies', async () => {
    await exerciseReceiver(process.execPath, 'examples/node/receiver.mjs')
  }, 60_000)

  it.skipIf(!python)(
    'Python (examples/python): receives, verifies and de-duplicates three replies',
    async () => {
      const output = await exerciseReceiver('python3', 'examples/python/receiver.py')
      // It says which check it uses: the PyPI package when installed, else its standard-library fallback
      expect(output).toMatch(/^Signatures checked with the (standardwebhooks package|standard library)/)
    },
    60_000
  )
})
