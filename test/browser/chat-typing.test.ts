import { describe, expect, it } from 'vitest'
import { skipBrowserTests, useChatPage } from './chat-browser'

// "Bot is typing…" from the typing deliveries the built-in endpoint receives (npm start turns typingIndicator on)
describe.skipIf(skipBrowserTests)('chat page: typing', { timeout: 60_000 }, () => {
  const { open, say } = useChatPage(['--bot', 'test/browser/test-bot.ts'])

  it('shows "Bot is typing…" while a slow bot works, and hides it when the reply arrives', async () => {
    const view = await open()
    await say(view, 'slow please')
    const typing = view.page.getByRole('status').filter({ hasText: 'Bot is typing…' })
    await typing.waitFor()
    await view.chat.getByText('You said, slowly: slow please').waitFor()
    await typing.waitFor({ state: 'hidden' })
  })

  it('hides "Bot is typing…" when the bot stops without a reply', async () => {
    const view = await open()
    await say(view, 'silent')
    const typing = view.page.getByRole('status').filter({ hasText: 'Bot is typing…' })
    await typing.waitFor()
    await view.inspector.getByText('Delivery typing false').waitFor()
    await typing.waitFor({ state: 'hidden' })
    // No signing secret: each delivery says unsigned, never verified
    const deliveries = view.inspector.locator('.entry.delivery')
    expect(await deliveries.count()).toBeGreaterThanOrEqual(2)
    expect(await deliveries.filter({ hasText: 'unsigned' }).count()).toBe(await deliveries.count())
    expect(await view.inspector.getByText(/verified/).count()).toBe(0)
    expect(await view.chat.locator('.message.bot').count()).toBe(0)
  })

  it('hides "Bot is typing…" after timeoutMs when no stop comes', async () => {
    // The page's clock is Playwright's: the timeout passes when the test says so, not on a loaded machine's whim
    const view = await open({ fakeClock: true })
    await say(view, 'think 5000')
    const typing = view.page.getByRole('status').filter({ hasText: 'Bot is typing…' })
    // The runtime's start (no timeoutMs), then the bot's own with timeoutMs 5000
    await view.inspector.getByRole('listitem').filter({ hasText: 'Delivery typing true' }).nth(1).waitFor()
    expect(await typing.isVisible()).toBe(true)
    await view.page.clock.fastForward(4_000)
    expect(await typing.isVisible()).toBe(true)
    await view.page.clock.fastForward(1_000)
    await typing.waitFor({ state: 'hidden' })
    // Neither a reply nor a stop ended it: the bot works for 20 s more
    expect(await view.chat.getByText('Done thinking').count()).toBe(0)
    expect(await view.inspector.getByText('Delivery typing false').count()).toBe(0)
  })
})
