import { describe, expect, it } from 'vitest'
import { skipBrowserTests, useChatPage } from './chat-browser'

// npm start --no-endpoint: nothing is pushed, the page long-polls the integration's pull route with the cursor
describe.skipIf(skipBrowserTests)('chat page (npm start --no-endpoint)', { timeout: 60_000 }, () => {
  const { open, say, output } = useChatPage(['--no-endpoint', '--bot', 'local/chat/every-type-bot.ts'])

  it('says it pulls, and shows the replies it long-polls for with the cursor', async () => {
    const view = await open()
    expect(await view.page.locator('#mode').textContent()).toMatch(/^Pull-only \(--no-endpoint\)/)
    await say(view, 'pull me')
    await view.chat.getByText('You said: pull me').waitFor()
    await view.chat.getByRole('button', { name: 'Every message type' }).waitFor()
    // Shown once each, though every pull from the start lists the message this page sent
    expect(await view.chat.getByText('pull me', { exact: true }).count()).toBe(1)

    const pulls = view.inspector.getByRole('listitem').filter({ hasText: /^GET \/webhooks\/\S+\/conversations\/web-/ })
    const first = pulls.filter({ hasText: /→ 200 · [1-9]\d* messages? · cursor / }).first()
    await first.waitFor()
    // The next pull goes on from the cursor the last answer gave
    const cursor = JSON.parse((await first.locator('pre').last().textContent())!).cursor as string
    await pulls
      .filter({ hasText: `after=${encodeURIComponent(cursor).slice(0, 10)}` })
      .first()
      .waitFor()
    expect(await view.inspector.getByText(/^Delivery/).count()).toBe(0)
  })

  it('shows the bot writing first, pulled like any reply', async () => {
    const view = await open()
    await view.page.getByRole('button', { name: 'Bot writes first' }).click()
    await view.chat.getByText('Hello! I am writing first: answer me in this conversation.').waitFor()
    await say(view, 'types')
    await view.chat.getByText('Also in the bloc').waitFor()
  })

  it("lists a conversation curl'd meanwhile, and pulls it when opened", async () => {
    const view = await open()
    const webhookUrl = /Webhook URL: +(\S+)/.exec(output())![1]!
    const token = /Personal Access Token: +(\S+)/.exec(output())![1]!
    const conversationId = `pulled-${Date.now()}`
    const body = { userId: 'user-1', messageId: 'm-1', conversationId, type: 'text', text: 'pulled hello' }
    await fetch(webhookUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const item = view.page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').first()
    await item.getByText(conversationId).waitFor()
    await item.getByText('Bot: Try:').waitFor()
    await item.getByRole('button').click()
    await view.chat.getByText('You said: pulled hello').waitFor()
    await view.inspector
      .getByText(new RegExp(`^GET /webhooks/\\S+/conversations/${conversationId}/messages\\?wait=8 → 200`))
      .first()
      .waitFor()
  })
})
