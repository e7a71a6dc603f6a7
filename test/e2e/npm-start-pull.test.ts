import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { expect, it, onTestFinished } from 'vitest'
import { freePort } from '../../local/ports'

const root = join(__dirname, '..', '..')

it('npm start --no-endpoint prints a second curl that pulls the bot’s replies', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'local/start.ts', '--port', String(await freePort()), '--no-endpoint'],
    { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } }
  )
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  await expect.poll(() => output, { timeout: 20_000 }).toContain('Ctrl-C stops everything')
  expect(output).toContain('No Response Endpoint (--no-endpoint): bot messages are not pushed, pull them.')

  const [, postUrl] = /curl -X POST '([^']+)'/.exec(output) ?? []
  const [, authorization] = /-H 'Authorization: ([^']+)'/.exec(output) ?? []
  const [, body] = /-d '([^']+)'/.exec(output) ?? []
  const [, pullUrl] = /curl '([^']+\/messages\?wait=8)'/.exec(output) ?? []
  expect(postUrl && authorization && body && pullUrl).toBeTruthy()
  const headers = { authorization: authorization! }

  const posted = await fetch(postUrl!, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body,
  })
  expect(posted.status).toBe(200)
  // The echo bot answers twice; the pull waits for them if they are not in yet.
  await expect
    .poll(async () => {
      const pulled = (await (await fetch(pullUrl!, { headers })).json()) as { messages: Array<{ payload: any }> }
      return pulled.messages.map((message) => message.payload.text)
    })
    .toEqual(['Hello bot', 'You said: Hello bot', 'Did that work?'])
})
