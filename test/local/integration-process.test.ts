import { createServer, type Server } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { defaultBundlePath, ensureBundle } from '../../local/cloud/bundle'
import { startIntegrationProcess } from '../../local/cloud/integration-process'
import { freePort } from '../../local/ports'

// A port drawn free can be taken before the integration process binds it (any connection's ephemeral port): the
// start is tried again on another port instead of failing the run
let taken: Server
let takenPort: number
beforeAll(async () => {
  ensureBundle(defaultBundlePath)
  // The health checks of the first try reach it: they are cut at once
  taken = createServer((socket) => socket.destroy())
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  takenPort = (taken.address() as { port: number }).port
})
afterAll(() => new Promise((resolve) => taken.close(resolve)))

it('starts on another port when the one drawn was taken meanwhile', async () => {
  const drawn: number[] = []
  const logs: string[] = []
  const integration = await startIntegrationProcess({
    bundlePath: defaultBundlePath,
    apiUrl: 'http://127.0.0.1:9',
    token: 'unused',
    onLog: (line) => logs.push(line),
    drawPort: async () => {
      const port = drawn.length === 0 ? takenPort : await freePort()
      drawn.push(port)
      return port
    },
  })
  try {
    expect(drawn).toHaveLength(2)
    expect(logs.join('\n')).toContain('EADDRINUSE')
    expect(integration.url).toBe(`http://127.0.0.1:${drawn[1]}`)
    expect(await (await fetch(`${integration.url}/health`)).text()).toBe('ok')
  } finally {
    await integration.stop()
  }
}, 30_000)
