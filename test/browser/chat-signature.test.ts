import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { startLocalRuntime, type LocalRuntime } from '../../local'
import { createChat } from '../../local/chat'
import { skipBrowserTests, useChatPage } from './chat-browser'

const secret = () => `whsec_${randomBytes(24).toString('base64')}`

// The built-in endpoint checks each signature with its own secret: here not the one the integration signs with
describe.skipIf(skipBrowserTests)('chat page: a signature that does not verify', { timeout: 60_000 }, () => {
  let runtime: LocalRuntime
  const { open, say } = useChatPage({
    start: async () => {
      const chat = createChat()
      runtime = await startLocalRuntime({
        quiet: true,
        configuration: { signingSecret: secret() },
        onViewerRequest: chat.onViewerRequest,
        onDelivery: chat.onDelivery,
        onMessageStored: chat.onMessageStored,
      })
      await runtime.configure({ signingSecret: secret() }, { viewerSigningSecret: secret() })
      const url = await chat.serve(runtime, { token: runtime.personalAccessToken, mode: 'push', signed: true })
      return { url, output: () => '', stop: () => runtime.stop() }
    },
  })

  it('records the delivery as invalid, and the inspector says so, never "verified"', async () => {
    const view = await open()
    await say(view, 'signed wrong')
    await view.chat.getByText('signed wrong', { exact: true }).waitFor()
    const delivery = view.inspector.locator('.entry.delivery').filter({ hasText: 'Delivery text' })
    await delivery.getByText('signature INVALID ✗').waitFor()
    expect(await view.inspector.getByText(/verified/).count()).toBe(0)
    const received = runtime.viewerRequests.filter((request) => (request.body as { type?: string }).type === 'text')
    expect(received.length).toBeGreaterThan(0)
    expect(received.map((request) => request.signatureValid)).toEqual(received.map(() => false))
  })
})
