import { describe, expect, it } from 'vitest'
import { skipBrowserTests, useChatPage } from './chat-browser'

// Events on the chat page: the form sends one (checked before sending), the bot's events show as events (not
// bubbles), and a message's metadata shows in the inspector.
describe.skipIf(skipBrowserTests)('chat page: events and metadata', { timeout: 60_000 }, () => {
  const { open, say } = useChatPage(['--bot', 'test/browser/events-bot.ts'])

  const eventForm = async ({ page }: Awaited<ReturnType<typeof open>>) => {
    await page.getByText('Send an event to the bot').click()
    return {
      name: page.getByRole('textbox', { name: 'Event' }),
      payload: page.getByRole('textbox', { name: 'Payload (JSON object)' }),
      send: page.getByRole('button', { name: 'Send event' }),
    }
  }

  it('sends an event from the form: shown as an event, the POST /events in the inspector, the bot answers it', async () => {
    const view = await open()
    const form = await eventForm(view)
    await form.name.fill('order.shipped')
    await form.payload.fill('{"order": "o-42"}')
    await form.send.click()

    const mine = view.chat.locator('.event.me')
    await mine.getByText('order.shipped').waitFor()
    expect(await mine.textContent()).toContain('"order": "o-42"')
    expect(await view.chat.locator('.message.me').count()).toBe(0)
    await view.chat.getByText('Your back end sent the event order.shipped').waitFor()

    const post = view.inspector.getByRole('listitem').filter({ hasText: /^POST \/webhooks\/\S+\/events → 200/ })
    await post.locator('summary').click()
    expect(await post.textContent()).toMatch(/"eventId": "web-evt-\w+",\s*"name": "order.shipped"[\s\S]*"event": \{/)
    expect(await form.name.inputValue()).toBe('')
  })

  it('checks the event before sending: a missing name, a payload that is not a JSON object', async () => {
    const view = await open()
    const form = await eventForm(view)
    const error = view.page.getByRole('alert')
    await form.send.click()
    await error.getByText('Give the event a name').waitFor()
    await form.name.fill('cart.updated')
    for (const [payload, said] of [
      ['{oops', 'The payload is not valid JSON'],
      ['[1, 2]', 'The payload must be a JSON object'],
    ]) {
      await form.payload.fill(payload!)
      await form.send.click()
      await error.getByText(said!).waitFor()
    }
    // Nothing was sent
    expect(await view.inspector.getByRole('listitem').count()).toBe(0)
    expect(await view.chat.locator('.event').count()).toBe(0)
  })

  it('shows the bot’s event as an event, not a chat bubble, and its delivery in the inspector', async () => {
    const view = await open()
    await say(view, 'event')
    const botEvent = view.chat.locator('.event.bot')
    await botEvent.getByText('bot.hello').waitFor()
    expect(await botEvent.textContent()).toContain('Event from the bot')
    await view.chat.getByText(/^I sent your back end the event bot\.hello/).waitFor()
    expect(await view.chat.locator('.message.bot').filter({ hasText: 'bot.hello' }).count()).toBe(1)

    const delivery = view.inspector.getByRole('listitem').filter({ hasText: 'Delivery event' })
    await delivery.locator('summary').click()
    expect(await delivery.textContent()).toMatch(/webhook-id: evt_[\w-]+[\s\S]*"type": "event",\s*"name": "bot.hello"/)
  })

  it('shows a message’s metadata in the inspector', async () => {
    const view = await open()
    await say(view, 'meta')
    await view.chat.getByText('With metadata').waitFor()
    const delivery = view.inspector.getByRole('listitem').filter({ hasText: 'Delivery text' })
    await delivery.locator('summary').click()
    expect(await delivery.textContent()).toMatch(/"metadata": \{\s*"page": "\/checkout",\s*"step": 2\s*\}/)
  })
})
