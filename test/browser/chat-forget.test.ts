import { describe, expect, it } from 'vitest'
import { skipBrowserTests, useChatPage } from './chat-browser'

// "Forget this conversation": the page sends DELETE <webhook URL>/conversations/<id> and shows the answer
describe.skipIf(skipBrowserTests)('chat page: forget this conversation', { timeout: 60_000 }, () => {
  const { open, say } = useChatPage(['--no-endpoint'])

  it('erases the conversation (204 in the inspector), a repeat is 404, and the next message starts it again', async () => {
    const view = await open()
    const { page, chat, inspector } = view
    await say(view, 'remember me')
    await chat.getByText('You said: remember me').waitFor()
    const conversationId = (await page.locator('#conversation-id').textContent())!

    const forget = page.getByRole('button', { name: 'Forget this conversation' })
    await forget.click()
    const erasures = inspector.getByRole('listitem').filter({ hasText: /^DELETE \/webhooks\/\S+\/conversations\// })
    await erasures.filter({ hasText: `/conversations/${conversationId} → 204` }).waitFor()
    await inspector.getByText('Erased: the conversation and its messages are gone from Botpress').waitFor()
    expect(await chat.getByRole('listitem').count()).toBe(0)

    await forget.click()
    await erasures.filter({ hasText: '→ 404' }).waitFor()
    expect(await page.getByRole('alert').textContent()).toContain('not_found')

    await say(view, 'again')
    await chat.getByText('You said: again').waitFor()
    expect(await page.locator('#conversation-id').textContent()).toBe(conversationId)
    // The pull of the new conversation holds only what came after the erasure
    expect(await chat.getByText('You said: remember me').count()).toBe(0)
  })
})
