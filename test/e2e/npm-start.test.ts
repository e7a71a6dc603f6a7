import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startEndpoint } from '../helpers/endpoint'
import { portIsFree } from '../helpers/process-tree'
import { printedPort, startNpmStart, type RunningProgram } from '../helpers/processes'
import { assertWebhookExchange, webhookPath } from '../helpers/openapi-check'

const started: RunningProgram[] = []

/** `npm start` as a person runs it, with its terminal output collected; stopped after each test. */
const npmStart = (args: string[]) => {
  const app = startNpmStart(args)
  started.push(app)
  return app
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((app) => app.stop()))
})

/** The printed curl command, sent as curl would send it; the exchange is checked against openapi.yaml. */
const runPrintedCurl = async (output: string) => {
  const [, url] = /curl -X POST '([^']+)'/.exec(output) ?? []
  const [, authorization] = /-H 'Authorization: ([^']+)'/.exec(output) ?? []
  const [, body] = /-d '([^']+)'/.exec(output) ?? []
  expect(url && authorization && body).toBeTruthy()
  const response = await fetch(url!, {
    method: 'POST',
    headers: { authorization: authorization!, 'content-type': 'application/json' },
    body,
  })
  const text = await response.text()
  const { status, headers } = response
  assertWebhookExchange({
    method: 'POST',
    path: webhookPath(url!) ?? '',
    requestBody: body,
    status,
    headers,
    body: text,
  })
  return { status }
}

describe('npm start', () => {
  it('prints a webhook URL, a token and a curl whose reply then shows on the terminal', async () => {
    const app = npmStart(['--port', '0', '--signing-secret', 'generate'])
    const output = await app.waitFor(/Ctrl-C stops everything/)
    const port = printedPort(output)
    expect(port).toBeGreaterThan(0)

    const response = await runPrintedCurl(output)
    expect(response.status).toBe(200)
    await app.waitFor(/You said: Hello bot.*signature ✓/)

    app.child.kill('SIGINT')
    expect(await app.exited).toBe(0)
    // Everything it started is gone: the port is free again.
    expect(await portIsFree(port)).toBe(true)
  })

  it('never echoes a webhook secret or signing secret given to it; the curl takes the secret in place of a placeholder', async () => {
    const webhookSecret = 'local-secret-1'
    const signingSecret = `whsec_${Buffer.from('a signing secret of 32 bytes!!!!').toString('base64')}`
    const app = npmStart(['--port', '0', '--webhook-secret', webhookSecret, '--signing-secret', signingSecret])
    const output = await app.waitFor(/Ctrl-C stops everything/)
    expect(output).toContain("Authorization: Bearer <your webhook secret>'")
    expect(output).toMatch(/Webhook secret: .*\(14 characters, not shown\)/)
    expect(output).toMatch(/Signing secret: whsec_… \(\d+ characters, not shown\)/)
    const response = await runPrintedCurl(output.replace('<your webhook secret>', webhookSecret))
    expect(response.status).toBe(200)
    await app.waitFor(/You said: Hello bot.*signature ✓/)
    for (const secret of [webhookSecret, signingSecret, signingSecret.slice('whsec_'.length)]) {
      expect(app.output()).not.toContain(secret)
    }
  })

  it('prints the usage and exits non-zero on an unknown or misspelled flag, or a stray argument', async () => {
    const contradicting = ['--no-endpoint', '--endpoint', 'http://127.0.0.1:9/']
    for (const args of [['--prot', '4000'], ['--port'], ['--endpiont=http://127.0.0.1:9/'], ['start'], contradicting]) {
      const app = npmStart(args)
      expect(await app.exited, args.join(' ')).toBe(2)
      expect(app.output()).toContain('Usage: npm start -- [options]')
      expect(app.output()).toMatch(
        /^npm start: (Unknown option|Option|Unexpected argument|--no-endpoint and --endpoint)/
      )
      // A message, not a Node stack trace
      expect(app.output()).not.toMatch(/\n\s+at /)
    }
  })

  it("refuses a bot script's reply that its type's SDK schema rejects, and says why", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'messaging-api-bot-'))
    const script = join(folder, 'broken-bot.ts')
    writeFileSync(script, `export default () => [{ type: 'text', payload: {} }]\n`)
    try {
      const app = npmStart(['--port', '0', '--bot', script])
      const output = await app.waitFor(/Ctrl-C stops everything/)
      expect((await runPrintedCurl(output)).status).toBe(200)
      // The SDK's own words for the text schema: payload.text is required
      await app.waitFor(
        /✗ bot script error: reply 1 of 1 was refused, as Botpress would refuse it: payload\.text: Required/
      )
      expect(app.output()).toContain(`the reply: {"type":"text","payload":{}}`)
      // No reply reached the viewer; the typing indicator did, and stopped
      expect(app.output()).not.toMatch(/◀ bot → conversation \S+ {2}text:/)
      await app.waitFor(/◀ bot → conversation "conv-1" {2}stopped typing/)
      expect(app.output()).not.toMatch(/\n\s+at /)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('runs a bot script given with --bot', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'messaging-api-bot-'))
    const script = join(folder, 'shout-bot.ts')
    writeFileSync(
      script,
      `export default ({ message }: { message: { payload: { text?: string } } }) =>
        [{ type: 'text', payload: { text: 'SHOUTED: ' + String(message.payload.text).toUpperCase() } }]\n`
    )
    try {
      const app = npmStart(['--port', '0', '--bot', script])
      const output = await app.waitFor(/Ctrl-C stops everything/)
      expect((await runPrintedCurl(output)).status).toBe(200)
      await app.waitFor(/SHOUTED: HELLO BOT/)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('delivers the replies to the endpoint given with --endpoint, as openapi.yaml describes them', async () => {
    const endpoint = await startEndpoint()
    try {
      const args = ['--endpoint', endpoint.url, '--signing-secret', 'generate']
      const app = npmStart(['--port', '0', ...args])
      expect((await runPrintedCurl(await app.waitFor(/Ctrl-C stops everything/))).status).toBe(200)
      // Typing is on in npm start: the endpoint hears it start, the two replies, then it stop; all signed
      await expect
        .poll(() => endpoint.received.map((request) => (request.body as { type: string }).type), { timeout: 10_000 })
        .toEqual(['typing', 'text', 'choice', 'typing'])
      expect(endpoint.received.map((request) => request.headers['webhook-signature'] !== undefined)).toEqual([
        true,
        true,
        true,
        true,
      ])
      expect(
        endpoint.received.map((request) => (request.body as { payload: { typing?: boolean } }).payload.typing)
      ).toEqual([true, undefined, undefined, false])
      await app.waitFor(/… the bot is typing \(conversation conv_[\s\S]*▶ reply[\s\S]*… the bot stopped typing/)
      // npm start turns it on; where that shows, it says a Botpress install starts with it off
      expect(app.output()).toMatch(/Typing indicator: on here .*a new install has it off/)
    } finally {
      await endpoint.close()
    }
  })

  it('says once, and only that, when the endpoint refuses the typing indicator (no "the bot is typing")', async () => {
    // As an endpoint whose signing secret differs: a 401 for each typing request; the replies are taken
    const endpoint = await startEndpoint((request) =>
      (request.body as { type: string }).type === 'typing' ? { status: 401 } : { status: 200, body: '{}' }
    )
    try {
      const app = npmStart(['--port', '0', '--endpoint', endpoint.url])
      const output = await app.waitFor(/Ctrl-C stops everything/)
      expect((await runPrintedCurl(output)).status).toBe(200)
      // A second turn: once it has started, whatever npm start printed for the first one is out
      const second = output.replace(/"messageId":"[^"]+"/, '"messageId":"msg-second"')
      expect((await runPrintedCurl(second)).status).toBe(200)
      const refused = /could not send the typing indicator \(start\) for message msg_\w+: 127\.0\.0\.1:\d+: HTTP 401/g
      await app.waitFor(refused, { count: 2 })
      await app.waitFor(/▶ reply/g, { count: 2 })
      expect(app.output().match(/could not send the typing indicator \(stop\)/g)?.length).toBeGreaterThanOrEqual(1)
      expect(app.output()).not.toMatch(/the bot (is|stopped) typing/)
    } finally {
      await endpoint.close()
    }
  })

  it('shows the bot typing while a slow bot script works, then its reply, then the typing stop', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'messaging-api-bot-'))
    const script = join(folder, 'slow-bot.ts')
    writeFileSync(
      script,
      `export default async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_500))
        return [{ type: 'text', payload: { text: 'Thought about it' } }]
      }\n`
    )
    try {
      const app = npmStart(['--port', '0', '--bot', script])
      expect((await runPrintedCurl(await app.waitFor(/Ctrl-C stops everything/))).status).toBe(200)
      const output = await app.waitFor(/stopped typing/)
      const lines = output.split('\n').filter((line) => line.startsWith('◀ bot'))
      expect(lines.map((line) => /\s{2}(is typing…|stopped typing|text: .*?)\s{2}\(/.exec(line)?.[1])).toEqual([
        'is typing…',
        'text: "Thought about it"',
        'stopped typing',
      ])
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('says so clearly when the port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address() as { port: number }
    try {
      const app = npmStart(['--port', String(port)])
      expect(await app.exited).not.toBe(0)
      expect(app.output()).toMatch(new RegExp(`Port ${port} is already in use`))
      expect(app.output()).toContain('or --port 0 for any free port')
    } finally {
      blocker.close()
    }
  })

  it('takes a free port with --port 0, also while 127.0.0.1:3000 (the default) is taken', async () => {
    // Held by this test, or already by something else: either way 3000 cannot be had
    const holder = createServer()
    const held = await new Promise<boolean>((resolve) => {
      holder.once('error', () => resolve(false))
      holder.listen(3000, '127.0.0.1', () => resolve(true))
    })
    try {
      expect(await portIsFree(3000)).toBe(false)
      const app = npmStart(['--port', '0'])
      const port = printedPort(await app.waitFor(/Ctrl-C stops everything/))
      expect(port).toBeGreaterThan(0)
      expect(port).not.toBe(3000)
      expect((await runPrintedCurl(app.output())).status).toBe(200)
    } finally {
      if (held) holder.close()
    }
  })
})

describe('npm start --greet', () => {
  it('makes the bot write first to that conversationId, and prints a curl that answers in it', async () => {
    const app = npmStart(['--port', '0', '--greet', 'order-42'])
    const output = await app.waitFor(/The bot wrote first to conversationId "order-42"[\s\S]*-d '[^']+'/)
    expect(output).toContain('(getOrCreateConversation → Botpress conversation conv_')
    // The built-in viewer printed the bot's first message
    await app.waitFor(/I am writing first/)
    const greetCurl = output.slice(output.indexOf('The bot wrote first'))
    expect(greetCurl).toContain('"conversationId":"order-42"')
    expect((await runPrintedCurl(greetCurl)).status).toBe(200)
    await app.waitFor(/You said: Hi, bot/)
  })

  it('says why when the conversationId is refused, and keeps running', async () => {
    const app = npmStart(['--port', '0', '--greet', 'x'.repeat(256)])
    await app.waitFor(/Could not greet: .*conversation\.conversationId/)
    expect((await runPrintedCurl(app.output())).status).toBe(200)
  })
})

describe('npm start --no-endpoint', () => {
  it('pushes nothing and prints a second curl that pulls the bot’s replies', async () => {
    const app = npmStart(['--port', '0', '--no-endpoint'])
    const output = await app.waitFor(/Ctrl-C stops everything/)
    expect(output).toContain('Response Endpoint: none (--no-endpoint): bot messages are not pushed, pull them')
    // Nothing to send it to
    expect(output).not.toContain('Typing indicator')
    const [, authorization] = /-H 'Authorization: ([^']+)'/.exec(output) ?? []
    const [, pullUrl] = /curl '([^']+\/messages\?wait=8)'/.exec(output) ?? []
    expect(authorization && pullUrl).toBeTruthy()

    expect((await runPrintedCurl(output)).status).toBe(200)
    // The echo bot answers twice; the printed pull waits for them if they are not in yet.
    const pull = async () => {
      const response = await fetch(pullUrl!, { headers: { authorization: authorization! } })
      const body = (await response.json()) as { messages: Array<{ payload: { text?: string } }> }
      return body.messages.map((message) => message.payload.text)
    }
    await expect.poll(pull).toEqual(['Hello bot', 'You said: Hello bot', 'Did that work?'])
    expect(app.output()).not.toMatch(/viewer|▶ reply/)
  })
})
