// Test support: npm start's chat page driven in a real Chromium (Debian's, through playwright-core's executablePath).
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { startNpmStart } from '../helpers/processes'
import { chromiumPath, installHint } from './chromium'

export { skipBrowserTests } from './chromium'

export type ChatPage = { page: Page; chat: ReturnType<Page['getByRole']>; inspector: ReturnType<Page['getByRole']> }

/** What serves the page: npm start, or a runtime and page server in the test's own process */
export type PageServer = { url: string; output(): string; stop(): Promise<void> }

const npmStart = async (args: string[]): Promise<PageServer> => {
  const app = startNpmStart(['--port', '0', ...args])
  const output = await app.waitFor(/Ctrl-C stops everything/, { timeoutMs: 60_000 })
  return { url: /Chat page: +(\S+)/.exec(output)![1]!, output: app.output, stop: app.stop }
}

/**
 * For one test file: `npm start` with these flags (or `{ start }`: another server of the page) and one browser,
 * started once; each test opens the page in a fresh browser context (so a new conversation) with `open()`, and fails
 * on any console error or uncaught page error.
 */
export const useChatPage = (args: string[] | (() => Promise<string[]>) | { start: () => Promise<PageServer> }) => {
  const state = {} as { app: PageServer; browser: Browser; url: string }
  const contexts: BrowserContext[] = []
  const problems: string[] = []

  beforeAll(async () => {
    state.app = 'start' in args ? await args.start() : await npmStart(Array.isArray(args) ? args : await args())
    state.url = state.app.url
    const executablePath = chromiumPath()
    if (!executablePath) throw new Error(`CI=true: the browser tests must run. ${installHint}`)
    // Root (CI) cannot use Chromium's sandbox
    state.browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] })
  })

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()))
    const seen = problems.splice(0)
    expect(seen, 'console errors and page errors').toEqual([])
  })

  afterAll(async () => {
    await state.browser?.close()
    await state.app?.stop()
  })

  /** The page in a new context; `fakeClock`: its timers run on Playwright's clock (`page.clock`) */
  const open = async ({ fakeClock = false } = {}): Promise<ChatPage> => {
    const context = await state.browser.newContext({ viewport: { width: 1280, height: 900 } })
    // Generous: a loaded 2-core machine runs the integration, npm start and Chromium at once
    context.setDefaultTimeout(20_000)
    contexts.push(context)
    const page = await context.newPage()
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`))
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    if (fakeClock) await page.clock.install()
    await page.goto(state.url)
    // Ready when the message box is enabled (in push mode: once the event stream is open)
    await page.getByRole('textbox', { name: 'Message' }).and(page.locator(':enabled')).waitFor()
    return {
      page,
      chat: page.getByRole('list', { name: 'Conversation', exact: true }),
      inspector: page.getByRole('region', { name: 'Inspector' }),
    }
  }

  /** Types into the message box and presses Enter, as a person does */
  const say = async ({ page }: ChatPage, text: string) => {
    const box = page.getByRole('textbox', { name: 'Message' })
    await box.fill(text)
    await box.press('Enter')
  }

  return { open, say, url: () => state.url, output: () => state.app.output() }
}
