import { describe, expect, it } from 'vitest'
import { skipBrowserTests, useChatPage } from './chat-browser'

// The page lists every conversation of the local bot (curl'd, greeted, its own), follows them live, and writes in them
describe.skipIf(skipBrowserTests)('chat page: every conversation', { timeout: 60_000 }, () => {
  const { open, say, url, output } = useChatPage(['--greet', 'greeted-1', '--bot', 'test/browser/test-bot.ts'])

  /** A message from a terminal, as the README's curl sends it */
  const curl = async (conversationId: string, text: string, userId = 'user-1') => {
    const webhookUrl = /Webhook URL: +(\S+)/.exec(output())![1]!
    const token = /Personal Access Token: +(\S+)/.exec(output())![1]!
    const body = { userId, messageId: `curl-${Math.random()}`, conversationId, type: 'text', text }
    const answer = await fetch(webhookUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(answer.status).toBe(200)
  }

  it('lists every conversation, newest activity first, follows new ones live, and switches between them', async () => {
    const view = await open()
    const { page, chat, inspector } = view
    const list = page.getByRole('list', { name: 'Conversations' })
    const item = (id: string) => list.getByRole('listitem').filter({ has: page.locator('code', { hasText: id }) })
    const ids = () => list.locator('code').allTextContents()
    const own = (await page.locator('#conversation-id').textContent())!
    // Greeted by npm start before the page opened; the page's own conversation, empty, on top
    await item('greeted-1').getByText('Bot: Hello! I am writing first').waitFor()
    expect((await ids()).slice(0, 2)).toEqual([own, 'greeted-1'])
    await item(own).getByText('No messages yet').waitFor()

    // A curl'd conversation and a greeted one appear as they happen, unread, newest first
    const curled = `curl-${Date.now()}`
    await curl(curled, 'Hello from a terminal')
    await item(curled).getByText('Bot: Try:').waitFor()
    const greeted = `greeted-${Date.now()}`
    const greet = await fetch(`${url()}api/greet`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: greeted }),
    })
    expect(greet.status).toBe(200)
    await item(greeted).getByText('Bot: Hello! I am writing first').waitFor()
    expect((await ids()).slice(0, 3)).toEqual([greeted, curled, own])
    expect(await item(curled).getByLabel('unread').count()).toBe(1)
    expect(await item(own).getByLabel('unread').count()).toBe(0)

    // Switching: its history is pulled, the mark goes; the page writes in it as its own user
    await item(curled).getByRole('button').click()
    expect(await page.locator('#conversation-id').textContent()).toBe(curled)
    await chat
      .locator('.message.other')
      .filter({ hasText: 'Hello from a terminal' })
      .getByText(/^user-1 · /)
      .waitFor()
    await chat.getByText('You said: Hello from a terminal').waitFor()
    await inspector.getByText(new RegExp(`^GET /webhooks/\\S+/conversations/${curled}/messages → 200`)).waitFor()
    expect(await item(curled).getByLabel('unread').count()).toBe(0)
    await say(view, 'the page joins in')
    await chat.getByText('You said: the page joins in').waitFor()
    // Another caller writes meanwhile: shown live, by its userId
    await curl(curled, 'and me again', 'user-2')
    await chat
      .locator('.message.other')
      .filter({ hasText: 'and me again' })
      .getByText(/^user-2 · /)
      .waitFor()
    await chat.getByText('You said: and me again').waitFor()
    expect((await ids())[0]).toBe(curled)

    // Back to the page's own conversation, still empty, then to the curl'd one, as it was left
    await item(own).getByRole('button').click()
    await page.locator('#empty-hint').waitFor()
    expect(await chat.getByRole('listitem').count()).toBe(0)
    await item(curled).getByRole('button').click()
    expect(await chat.getByText('You said: the page joins in').count()).toBe(1)
    const posts = await page.evaluate(`[...document.querySelectorAll('.entry.post')].length`)
    expect(posts).toBe(1)
  })
})
