import { afterAll, describe, expect, it } from 'vitest'
import { startEndpoint, type Endpoint } from '../helpers/endpoint'
import { skipBrowserTests, useChatPage } from './chat-browser'

// npm start --endpoint <your endpoint>: the endpoint gets the pushes, the page reads the replies through the pull route
describe.skipIf(skipBrowserTests)('chat page (npm start --endpoint)', { timeout: 60_000 }, () => {
  let endpoint: Endpoint | undefined
  const { open, say } = useChatPage(async () => {
    endpoint = await startEndpoint()
    return ['--endpoint', endpoint.url, '--bot', 'local/chat/every-type-bot.ts']
  })
  afterAll(async () => {
    await endpoint?.close()
  })

  it('says the replies go to your endpoint, and shows them by pulling', async () => {
    const view = await open()
    expect(await view.page.locator('#mode').textContent()).toMatch(/your own Response Endpoint \(--endpoint\)/)
    await say(view, 'to my endpoint')
    await view.chat.getByText('You said: to my endpoint').waitFor()
    await view.inspector
      .getByText(/^GET \/webhooks\/\S+\/messages\?wait=8 → 200/)
      .first()
      .waitFor()
    await expect
      .poll(() =>
        endpoint!.received.some((request) => JSON.stringify(request.body).includes('You said: to my endpoint'))
      )
      .toBe(true)
  })
})
