import { afterAll, beforeAll, expect, it } from 'vitest'
import { startLocalRuntime, type LocalRuntime } from '../../local'

// The runtime around the real bundle (.botpress/dist/index.js): only the forwarding is checked here, not what the
// integration answers (its own tests do that)
let runtime: LocalRuntime
beforeAll(async () => {
  runtime = await startLocalRuntime({ quiet: true })
})
afterAll(() => runtime?.stop())

it('runs the bundle in its own process, healthy and registered', async () => {
  const health = await fetch(`${runtime.integrationUrl}/health`)
  expect(await health.text()).toBe('ok')
  expect(runtime.integrationPid).not.toBe(process.pid)
  expect(runtime.operations[0]).toMatchObject({ operation: 'register', status: 200 })
})

it('relays the integration answer to a webhook POST exactly as the integration gave it', async () => {
  const send = () =>
    fetch(runtime.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  const res = await send()
  const body = await res.text()
  const forwarded = runtime.operations.at(-1)!
  expect(forwarded).toMatchObject({ operation: 'webhook_received', status: res.status })
  // The same request again gives the same answer: no auth, so the integration touches no state
  const again = await send()
  expect([again.status, await again.text(), again.headers.get('content-type')]).toEqual([
    res.status,
    body,
    res.headers.get('content-type'),
  ])
})
