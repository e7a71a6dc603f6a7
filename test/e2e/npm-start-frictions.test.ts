import { afterEach, describe, expect, it } from 'vitest'
import { startNpmStart, startProgram, type RunningProgram } from '../helpers/processes'

// What a newcomer trips on in `npm start`'s terminal output: secrets on the command line, the usage's columns,
// where --greet points its curls, colour codes in a file or a pipe.
const started: RunningProgram[] = []
const track = (app: RunningProgram) => (started.push(app), app)

afterEach(async () => {
  await Promise.all(started.splice(0).map((app) => app.stop()))
})

const webhookSecret = 'a-webhook-secret-of-mine'
const signingSecret = `whsec_${Buffer.from('a signing secret of 32 bytes!!!!').toString('base64')}`

describe('npm start: secrets', () => {
  it('warns, naming the flag and never the value, when a secret came on the command line', async () => {
    const args = ['--port', '0', '--webhook-secret', webhookSecret]
    const app = track(startNpmStart([...args, '--signing-secret', signingSecret]))
    const output = await app.waitFor(/Ctrl-C stops everything/)
    expect(output).toMatch(/Warning: --webhook-secret came on the command line.*WEBHOOK_SECRET=… npm start/)
    expect(output).toMatch(/Warning: --signing-secret came on the command line.*SIGNING_SECRET=… npm start/)
    for (const secret of [webhookSecret, signingSecret, signingSecret.slice('whsec_'.length)]) {
      expect(output).not.toContain(secret)
    }
  })

  it('does not warn when the secrets come from the environment, nor for a generated signing secret', async () => {
    const env = { WEBHOOK_SECRET: webhookSecret }
    const args = ['--import', 'tsx', 'local/start.ts', '--port', '0', '--signing-secret', 'generate']
    const app = track(startProgram(process.execPath, args, env))
    const output = await app.waitFor(/Ctrl-C stops everything/)
    expect(output).toMatch(/Webhook secret: .*not shown/)
    expect(output).not.toContain('Warning')
    expect(output).not.toContain(webhookSecret)
  })
})

describe('npm start: the terminal', () => {
  it('aligns every option of the usage on one column', async () => {
    const app = track(startNpmStart(['--help']))
    expect(await app.exited).toBe(0)
    const options = app
      .output()
      .split('\n')
      .filter((line) => line.startsWith('  --'))
    expect(options.length).toBeGreaterThanOrEqual(8)
    const columns = options.map((line) => /^ {2}--\S+(?: <[^>]+>)? +/.exec(line)![0].length)
    expect(new Set(columns).size, options.join('\n')).toBe(1)
    expect(options.some((line) => line.startsWith('  --greet <conversationId>'))).toBe(true)
  })

  it('writes no colour codes into a pipe', async () => {
    const app = track(startNpmStart(['--port', '0']))
    const output = await app.waitFor(/Ctrl-C stops everything/)
    expect(output).toContain('[integration] ')
    expect(output).not.toContain('\x1b[')
  })

  it('--greet prints a curl that pulls the greeted conversation, and it gives the greeting', async () => {
    const app = track(startNpmStart(['--port', '0', '--greet', 'order 42/x']))
    const output = await app.waitFor(/The bot wrote first[\s\S]*\/messages\?wait=8/)
    const greeting = output.slice(output.indexOf('The bot wrote first'))
    const [, pullUrl] = /curl '([^']+\/messages\?wait=8)'/.exec(greeting) ?? []
    const [, authorization] = /-H 'Authorization: ([^']+)'/.exec(greeting) ?? []
    expect(pullUrl).toContain('/conversations/order%2042%2Fx/messages')
    const response = await fetch(pullUrl!, { headers: { authorization: authorization! } })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { messages: Array<{ conversationId: string; payload: { text?: string } }> }
    expect(body.messages.map((message) => [message.conversationId, message.payload.text])).toEqual([
      ['order 42/x', 'Hello! I am writing first: answer me in this conversation.'],
    ])
  })
})
