import { join } from 'node:path'
import { Client } from '@botpress/client'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startLocalRuntime, type LocalRuntime } from '../../local'

// The runtime around a stand-in integration (built with the real SDK) that echoes what it receives
const ECHO_BUNDLE = join(__dirname, 'fixtures', 'echo-integration.js')

let runtime: LocalRuntime
beforeAll(async () => {
  runtime = await startLocalRuntime({ bundlePath: ECHO_BUNDLE, quiet: true })
})
afterAll(() => runtime?.stop())

const parsedLogs = (operation: string) =>
  runtime.integrationLogs.flatMap((line) => {
    try {
      const entry = JSON.parse(line)
      return entry.operation === operation ? [entry] : []
    } catch {
      return []
    }
  })

// The integration's stdout arrives on its own pipe, a moment after its HTTP answer: wait for the expected count
const logged = (operation: string, count = 1) =>
  vi.waitFor(
    () => {
      const entries = parsedLogs(operation)
      expect(entries.length).toBeGreaterThanOrEqual(count)
      return entries
    },
    { timeout: 10_000 }
  )

/** Writes a user message the way the integration would, with a Personal Access Token */
const userMessage = async (text: string) => {
  const client = new Client({ apiUrl: runtime.apiUrl, token: runtime.personalAccessToken, botId: runtime.botId })
  const { user } = await client.getOrCreateUser({ tags: { id: 'u1' } })
  const { conversation } = await client.getOrCreateConversation({ channel: 'channel', tags: { id: 'c1' } })
  const input = { type: 'text', payload: { text }, userId: user.id, conversationId: conversation.id }
  const { message } = await client.getOrCreateMessage({ ...input, tags: { id: text } })
  return { client, input, message, conversation }
}

describe('Botpress Cloud toward the integration', () => {
  it('sends register with the webhook URL and the bot context', async () => {
    const [register] = await logged('register')
    expect(register.webhookUrl).toBe(runtime.webhookUrl)
    expect(register.ctx).toMatchObject({
      botId: runtime.botId,
      botUserId: runtime.botUserId,
      integrationId: runtime.integrationId,
      webhookId: runtime.webhookUrl.split('/').at(-1),
      operation: 'register',
      configuration: { responseEndpointURL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/) },
    })
    expect(runtime.operations[0]).toMatchObject({ operation: 'register', status: 200 })
  })

  it('forwards any method and sub-path to the integration, and relays its answer verbatim', async () => {
    const res = await fetch(`${runtime.webhookUrl}/some/path?a=1&b=two`, {
      method: 'PUT',
      headers: { 'X-Custom': 'Value', 'content-type': 'text/plain' },
      body: 'raw { body',
    })
    expect(res.status).toBe(207)
    expect(res.headers.get('x-echo')).toBe('yes')
    const { req, ctx } = (await res.json()) as any
    expect(req).toMatchObject({ method: 'PUT', path: '/some/path', query: 'a=1&b=two', body: 'raw { body' })
    expect(req.headers).toMatchObject({ 'x-custom': 'Value', 'content-type': 'text/plain' })
    expect(ctx.operation).toBe('webhook_received')

    const root = (await (await fetch(runtime.webhookUrl)).json()) as any
    expect(root.req).toMatchObject({ method: 'GET', path: '/', query: '' })
    expect((await fetch(`${runtime.url}/webhooks/another-id`, { method: 'POST' })).status).toBe(404)
  })

  it('re-sends register when the configuration changes, and refuses an invalid one', async () => {
    const configuration = { responseEndpointURL: 'https://example.com/replies', webhookSecret: 's3cret' }
    await runtime.configure(configuration)
    expect((await logged('register', 2)).at(-1).ctx.configuration).toEqual(configuration)
    await expect(runtime.configure({ responseEndpointURL: 'ftp://nope' })).rejects.toThrow(/responseEndpointURL/)
    await runtime.configure({})
  })

  it.each([
    ['responseEndpointURL', { responseEndpointURL: 'mailto:ops@example.com' }],
    ['webhookSecret', { webhookSecret: 'two words' }],
    ['signingSecret', { signingSecret: 'not-a-secret' }],
    ['responseEndpointUrl', { responseEndpointUrl: 'https://example.com' }],
  ])(
    'checks a saved configuration against the JSON Schema bp deploy uploads: %s refused, register never sent',
    async (field, configuration) => {
      const operations = runtime.operations.length
      const registers = parsedLogs('register').length
      await expect(runtime.configure(configuration)).rejects.toThrow(new RegExp(`^Invalid configuration: .*${field}`))
      expect(runtime.operations.length).toBe(operations)
      expect(parsedLogs('register').length).toBe(registers)
    }
  )

  it('hands over a configuration its schema refuses when told to skip validation', async () => {
    const raw = { responseEndpointURL: 'https://example.com/replies', webhookSecret: 123456789 }
    const before = parsedLogs('register').length
    await runtime.configure(raw, { skipValidation: true })
    expect((await logged('register', before + 1)).at(-1).ctx.configuration).toEqual(raw)
    await runtime.configure({})
  })
})

describe('the bot', () => {
  it('answers a user message: each reply is a bot message sent to the integration as message_created, in order', async () => {
    const { conversation } = await userMessage('hello')
    await runtime.idle()

    const replies = runtime.store
      .messages()
      .filter((m) => m.conversationId === conversation.id && m.direction === 'outgoing')
    expect(replies.map((m) => m.type)).toEqual(['text', 'choice'])
    expect(replies[0]!.payload).toEqual({ text: 'You said: hello' })
    expect(runtime.deliveries.map((d) => [d.messageId, d.status])).toEqual(replies.map((m) => [m.id, 200]))

    const created = await logged('message_created', 2)
    expect(created.map((entry) => entry.message.id)).toEqual(replies.map((m) => m.id))
    expect(created[0]).toMatchObject({
      type: 'text',
      payload: { text: 'You said: hello' },
      conversation: { id: conversation.id, channel: 'channel', integration: 'messaging-api', tags: { id: 'c1' } },
      user: { id: runtime.botUserId },
      message: { userId: runtime.botUserId, direction: 'outgoing' },
      ctx: { operation: 'message_created', botUserId: runtime.botUserId },
    })
  })

  it('does not react again when get-or-create finds the message', async () => {
    const { client, input, message } = await userMessage('once')
    await runtime.idle()
    const deliveries = runtime.deliveries.length
    const again = await client.getOrCreateMessage({ ...input, tags: { id: 'once' } })
    expect(again.message.id).toBe(message.id)
    await runtime.idle()
    expect(runtime.deliveries.length).toBe(deliveries)
  })

  it('can be swapped or silenced', async () => {
    runtime.setBot(({ message }) => [{ type: 'markdown', payload: { markdown: `**${message.payload.text}**` } }])
    await userMessage('swapped')
    await runtime.idle()
    expect((await logged('message_created', runtime.deliveries.length)).at(-1)).toMatchObject({
      type: 'markdown',
      payload: { markdown: '**swapped**' },
    })

    runtime.setBot(false)
    const deliveries = runtime.deliveries.length
    await userMessage('silence')
    await runtime.idle()
    expect(runtime.deliveries.length).toBe(deliveries)
    runtime.setBot(undefined)
  })

  it("refuses a reply its type's SDK schema rejects, or of a type the channel lacks, as Botpress would", async () => {
    const cases = [
      { reply: { type: 'text', payload: {} }, issue: 'payload.text: Required' },
      {
        reply: { type: 'choice', payload: { text: 'pick', options: [{ label: 1 }] } },
        issue: 'payload.options.0.label',
      },
      { reply: { type: 'txt', payload: { text: 'hi' } }, issue: 'the channel "channel" has no message type "txt"' },
    ]
    for (const [index, { reply, issue }] of cases.entries()) {
      runtime.setBot(() => [{ type: 'text', payload: { text: 'fine' } }, reply])
      const errors = runtime.botErrors.length
      const outgoing = () => runtime.store.messages().filter((m) => m.direction === 'outgoing')
      const before = outgoing().length
      await userMessage(`bad reply ${index}`)
      await runtime.idle()
      expect(runtime.botErrors.slice(errors)).toEqual([
        expect.stringContaining(`reply 2 of 2 was refused, as Botpress would refuse it: ${issue}`),
      ])
      // The reply before it went out; the refused one was never stored nor delivered
      expect(
        outgoing()
          .slice(before)
          .map((m) => m.payload)
      ).toEqual([{ text: 'fine' }])
    }
    runtime.setBot(undefined)
  })
})

describe('tags', () => {
  it("stores the message tags the definition declares (the bot's turn among them), merged; refuses any other", async () => {
    const { client, message } = await userMessage('tags')
    const turnStartedAt = new Date().toISOString()
    const { message: updated } = await client.updateMessage({ id: message.id, tags: { turnStartedAt } })
    expect(updated.tags).toEqual({ ...message.tags, turnStartedAt })
    await expect(client.updateMessage({ id: message.id, tags: { turnState: 'open' } })).rejects.toMatchObject({
      type: 'InvalidPayload',
      message: expect.stringContaining('"turnState" not declared on messages'),
    })
    expect((await client.getMessage({ id: message.id })).message.tags).toEqual(updated.tags)
  })
})

describe('stop', () => {
  it('leaves nothing running', async () => {
    const other = await startLocalRuntime({ bundlePath: ECHO_BUNDLE, quiet: true })
    await other.stop()
    expect(() => process.kill(other.integrationPid, 0)).toThrow()
    for (const url of [other.url, other.apiUrl, other.integrationUrl]) {
      await expect(fetch(url)).rejects.toThrow()
    }
  })
})
