import { describe, expect, it } from 'vitest'
import { skipBrowserTests, useChatPage } from './chat-browser'
import { badUrls } from './test-bot'

// npm start with a signing secret and the bot that sends every type, the page in Chromium, a context per test
describe.skipIf(skipBrowserTests)('chat page (npm start, built-in endpoint)', { timeout: 60_000 }, () => {
  const { open, say, url, output } = useChatPage(['--signing-secret', 'generate', '--bot', 'test/browser/test-bot.ts'])

  it('echoes what you type; the inspector shows the POST, its answer and the delivery with a verified signature', async () => {
    // npm start prints the page's URL first, above the webhook URL and the curl
    expect(output()).toMatch(
      /running locally[^\n]*\n\n {2}Chat page: +http:\/\/127\.0\.0\.1:\d+\/ [\s\S]*Webhook URL:[\s\S]*curl/
    )
    const view = await open()
    await view.page.getByRole('textbox', { name: 'Your name' }).fill('Ada')
    await say(view, 'Hello page')
    await view.chat.getByText('You said: Hello page').waitFor()
    expect(await view.page.locator('#mode').textContent()).toContain('each signature is verified')

    const post = view.inspector.getByRole('listitem').filter({ hasText: /^POST \/webhooks\/\S+ → 200/ })
    await post.locator('summary').click()
    expect(await post.textContent()).toMatch(
      /"text": "Hello page",\s*"userName": "Ada"[\s\S]*Answer body[\s\S]*"cursor"/
    )
    expect(await post.textContent()).toMatch(/"tags": \{\s*"id": "web-user-\w+"\s*\},\s*"name": "Ada"/)
    // The token stays with the page server
    expect(await post.textContent()).toContain('Bearer <token: held by the page server, not shown>')

    const delivery = view.inspector.getByRole('listitem').filter({ hasText: 'Delivery text' })
    await delivery.getByText('signature verified ✓').waitFor()
    await delivery.getByText('1 attempt (answered 200)').waitFor()
    await delivery.locator('summary').click()
    expect(await delivery.textContent()).toMatch(
      /webhook-id: msg_\w+\nwebhook-timestamp: \d+\nwebhook-signature: v1,\S+[\s\S]*"text": "You said: Hello page"/
    )
  })

  it('renders every outgoing type as a person expects; a choice sends its value, shows its label, and is then answered', async () => {
    const view = await open()
    const { chat, page } = view
    await say(view, 'hi')
    await chat.getByRole('button', { name: 'Every message type' }).click()
    // The bloc comes last
    await chat.getByText('Also in the bloc').waitFor()

    await chat.getByText('Here is every message type, one per message.').waitFor()
    const markdown = chat.locator('.markdown')
    await markdown.locator('strong', { hasText: 'Bold' }).waitFor()
    await markdown.locator('em', { hasText: 'italic' }).waitFor()
    await markdown.locator('pre code', { hasText: 'const answer = 42' }).waitFor()
    expect(await markdown.locator('li').allTextContents()).toEqual(['one', 'two'])
    expect(await markdown.getByRole('link', { name: 'link' }).getAttribute('href')).toBe('https://botpress.com')

    expect(await chat.getByRole('img', { name: 'An image' }).getAttribute('src')).toMatch(/^data:image\/svg\+xml,/)
    expect(await chat.locator('audio[controls]').getAttribute('src')).toMatch(/^data:audio\/wav;base64,/)
    expect(await chat.locator('video[controls]').getAttribute('src')).toBe('https://example.com/clip.mp4')
    const file = chat.getByRole('link', { name: 'Price list (PDF)' })
    expect(await file.getAttribute('href')).toBe('https://example.com/files/price-list.pdf')

    const location = chat.locator('.location').first()
    expect(await location.textContent()).toContain('400 Boulevard De Maisonneuve Ouest, Montréal45.5017, -73.5673')
    expect(await location.getByRole('link', { name: 'Open in a map' }).getAttribute('href')).toContain(
      'openstreetmap.org/?mlat=45.5017&mlon=-73.5673'
    )

    const tShirt = chat.locator('.card').filter({ hasText: 'T-shirt' })
    await tShirt.getByRole('img', { name: 'T-shirt' }).waitFor()
    await tShirt.getByText('Organic cotton, printed in Québec').waitFor()
    expect(await tShirt.getByRole('button').allTextContents()).toEqual(['Buy', 'Tell me more'])
    expect(await tShirt.getByRole('link', { name: 'Open the shop' }).getAttribute('href')).toBe(
      'https://example.com/shop'
    )

    // The carousel's cards side by side: one row, left to right
    const boxes = await Promise.all(
      ['Hoodie', 'Cap', 'Mug'].map((title) => chat.locator('.carousel .card').filter({ hasText: title }).boundingBox())
    )
    expect(boxes.map((box) => box!.y)).toEqual([boxes[0]!.y, boxes[0]!.y, boxes[0]!.y])
    expect(boxes[0]!.x).toBeLessThan(boxes[1]!.x)
    expect(boxes[1]!.x).toBeLessThan(boxes[2]!.x)

    const sizes = chat.locator('.choice').last()
    expect(await sizes.getByRole('button').allTextContents()).toEqual(['S', 'M', 'L'])
    await sizes.getByRole('button', { name: 'M' }).click()
    await chat.getByText('You said: size M').waitFor()
    // The label clicked in the chat, the value in the POST
    expect(await chat.locator('.message.me .text').last().textContent()).toBe('M')
    const post = view.inspector
      .getByRole('listitem')
      .filter({ hasText: /^POST / })
      .last()
    await post.locator('summary').click()
    expect(await post.textContent()).toContain('"text": "size M"')
    // Answered: every choice shown before it, and the dropdown, take no more clicks; the bot's new menu is open
    const choices = chat.locator('.choice')
    await expect.poll(() => choices.count()).toBe(3)
    const enabled = (choice: typeof choices) =>
      choice.getByRole('button').evaluateAll((buttons) => buttons.map((button) => !(button as any).disabled))
    expect(await enabled(choices.nth(0))).toEqual([false, false, false])
    expect(await enabled(choices.nth(1))).toEqual([false, false, false])
    expect(await enabled(choices.nth(2))).toEqual([true, true, true])
    expect(await page.getByRole('combobox', { name: 'Pick a colour' }).isDisabled()).toBe(true)
  })

  it('a dropdown, a card postback and a say action send their value as your message', async () => {
    const view = await open()
    await say(view, 'types')
    await view.page.getByRole('combobox', { name: 'Pick a colour' }).selectOption({ label: 'Green' })
    await view.chat.getByRole('button', { name: 'Send choice' }).click()
    await view.chat.getByText('You said: colour green').waitFor()
    expect(await view.chat.locator('.message.me .text').last().textContent()).toBe('Green')
    const tShirt = view.chat.locator('.card').filter({ hasText: 'T-shirt' })
    await tShirt.getByRole('button', { name: 'Buy' }).click()
    await view.chat.getByText('You said: buy T-shirt').waitFor()
    await view.chat.locator('.card').filter({ hasText: 'Cap' }).getByRole('button', { name: 'Tell me more' }).click()
    await view.chat.getByText('You said: more about Cap').waitFor()
  })

  it('shows raw HTML in markdown as text and never runs it; a javascript: link is no link', async () => {
    const view = await open()
    await say(view, 'html')
    const message = view.chat.locator('.markdown').filter({ hasText: 'Raw HTML stays text' })
    await message.getByText('<script>window.__xss = 1</script> <img src=x onerror="window.__xss = 2">').waitFor()
    expect(await message.locator('script, img').count()).toBe(0)
    expect(await message.getByRole('link').count()).toBe(0)
    expect(await view.page.evaluate('window.__xss')).toBeUndefined()
  })

  it('works with the keyboard alone: Tab to the message box, Enter sends, Shift+Tab reaches the options', async () => {
    const view = await open()
    const { page } = view
    const focused = () => page.evaluate('document.activeElement?.id')
    for (let presses = 0; (await focused()) !== 'message'; presses++) {
      expect(presses, 'Tab presses to reach the message box').toBeLessThan(10)
      await page.keyboard.press('Tab')
    }
    await page.keyboard.type('keyboard only')
    await page.keyboard.press('Enter')
    await view.chat.getByText('You said: keyboard only').waitFor()
    await view.chat.getByRole('button', { name: 'Raw HTML in markdown' }).waitFor()
    // Backwards from the box: the last option of the bot's choice
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Enter')
    await view.chat.getByText('Raw HTML stays text').waitFor()
  })

  it("sends no empty message, and shows a refused request's error answer in words", async () => {
    const view = await open()
    const send = view.page.getByRole('button', { name: 'Send', exact: true })
    expect(await send.isDisabled()).toBe(true)
    await say(view, '  \t ')
    expect(await send.isDisabled()).toBe(true)
    await view.page.getByRole('button', { name: 'Send', exact: true }).click({ force: true })
    // userName is at most 200 characters: the integration refuses the message
    await view.page.getByRole('textbox', { name: 'Your name' }).fill('n'.repeat(201))
    await say(view, 'with a long name')
    const alert = view.page.getByRole('alert')
    await alert.getByText(/The integration refused the message \(HTTP 400, invalid_body\)/).waitFor()
    expect(await alert.textContent()).toMatch(/userName/)
    await view.inspector.getByText(/^POST \/webhooks\/\S+ → 400/).waitFor()
    // Nothing was sent for the blank text: one bubble, one POST
    expect(await view.chat.getByRole('listitem').count()).toBe(1)
    expect(await view.inspector.getByText(/^POST /).count()).toBe(1)
  })

  it('says what to do in an empty conversation, lets the bot write first, and starts a new conversation on demand', async () => {
    const view = await open()
    const first = await view.page.locator('#conversation-id').textContent()
    const hint = view.page.locator('#empty-hint')
    expect(await hint.textContent()).toMatch(/No messages yet\. Type one below[\s\S]*curl -X POST/)
    expect(await hint.textContent()).toContain(`"conversationId":"${first}"`)
    // The placeholder of "Your name" fits its box
    // (a string: the test's TypeScript has no DOM types)
    const placeholder = (await view.page.evaluate(`(() => {
      const input = document.getElementById('user-name')
      const style = getComputedStyle(input)
      const context = document.createElement('canvas').getContext('2d')
      context.font = style.fontSize + ' ' + style.fontFamily
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
      return { text: input.placeholder, width: context.measureText(input.placeholder).width, room }
    })()`)) as { text: string; width: number; room: number }
    expect(placeholder.text).toBe('optional: userName')
    expect(placeholder.width).toBeLessThanOrEqual(placeholder.room)
    await view.page.getByRole('button', { name: 'Bot writes first' }).click()
    await view.chat.getByText('Hello! I am writing first: answer me in this conversation.').waitFor()
    expect(await hint.isVisible()).toBe(false)
    await say(view, 'hi back')
    await view.chat.getByText('You said: hi back').waitFor()

    await view.page.getByRole('button', { name: 'New conversation' }).click()
    expect(await view.page.locator('#conversation-id').textContent()).not.toBe(first)
    expect(await view.chat.getByRole('listitem').count()).toBe(0)
    await say(view, 'fresh')
    await view.chat.getByText('You said: fresh').waitFor()
  })

  it('keeps the newest message in view unless you scrolled up; times each message and entry, and links them', async () => {
    const view = await open()
    const { chat, page, inspector } = view
    await say(view, 'types')
    await chat.locator('strong', { hasText: 'Also in the bloc' }).waitFor()
    await page.waitForFunction(`[...document.querySelectorAll('#messages img')].every((img) => img.complete)`)
    const list = page.locator('#messages')
    const belowView = () => list.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight)
    await expect.poll(belowView).toBeLessThanOrEqual(2)

    // A time on each message and each inspector entry
    expect(await chat.locator('.message .from time').count()).toBe(await chat.locator('.message').count())
    expect(await chat.locator('.message .from').first().textContent()).toMatch(/^You · \d\d:\d\d:\d\d$/)
    expect(await inspector.locator('.entry summary time').count()).toBe(await inspector.locator('.entry').count())

    // A message and the HTTP that carried it: clicking one highlights the other
    await chat.getByText('Here is every message type, one per message.').click()
    const delivery = inspector.locator('.entry.delivery').filter({ hasText: 'Delivery text' })
    expect(await delivery.getAttribute('class')).toContain('linked')
    await inspector.locator('.entry.post summary').first().click()
    expect(await chat.locator('.message.me').first().getAttribute('class')).toContain('linked')
    expect(await delivery.getAttribute('class')).not.toContain('linked')

    // Scrolled up: a message that arrives leaves the view where the person put it
    await list.evaluate((element) => (element.scrollTop = 0))
    await page.getByRole('button', { name: 'Bot writes first' }).click()
    await chat.getByText('Hello! I am writing first: answer me in this conversation.').waitFor()
    expect(await list.evaluate((element) => element.scrollTop)).toBe(0)
    // Sending follows the newest again
    await say(view, 'back down')
    await chat.getByText('You said: back down').waitFor()
    await expect.poll(belowView).toBeLessThanOrEqual(2)
  })

  it("shows a bot's data:, file: and ftp: addresses as text: no link, no media", async () => {
    const view = await open()
    await say(view, 'bad urls')
    await view.chat.getByText('bad urls sent').waitFor()
    const hrefs = await view.chat.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href')))
    const sources = await view.chat
      .locator('img, audio, video')
      .evaluateAll((media) => media.map((element) => element.getAttribute('src')))
    for (const url of badUrls) {
      expect(hrefs.filter((href) => href?.startsWith(url.split(':')[0]!))).toEqual([])
      expect(sources.filter((src) => src?.startsWith(url.split(':')[0]!))).toEqual([])
      await view.chat.getByText(`(image with an address this page does not load: ${url})`).waitFor()
    }
    const card = view.chat.locator('.card').filter({ hasText: 'Bad links' })
    expect(await card.getByText(/^bad link \d$/).count()).toBe(3)
    expect(await view.chat.getByText(/^bad file \d$/).count()).toBe(3)
  })

  it('serves a small bundle from its own origin, and refuses requests from another origin', async () => {
    const page = url()
    const sizes = await Promise.all(['app.js', 'app.css'].map(async (file) => (await fetch(`${page}${file}`)).text()))
    expect(sizes[0]!.length).toBeLessThan(200_000)
    expect(sizes[1]!.length).toBeLessThan(20_000)
    const foreign = await fetch(`${page}api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: '{}',
    })
    expect(foreign.status).toBe(403)
  })
})
