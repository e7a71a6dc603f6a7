import { existsSync } from 'node:fs'

export const installHint =
  'Chromium not found: the browser tests are skipped. Install it with `apt-get install -y chromium` (Debian/Ubuntu), or set PLAYWRIGHT_CHROMIUM_PATH'

/** PLAYWRIGHT_CHROMIUM_PATH when set, else the first Chromium of the usual Linux paths */
export const chromiumPath = (): string | undefined =>
  process.env.PLAYWRIGHT_CHROMIUM_PATH ||
  ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) => existsSync(path))

/** In CI the browser tests always run (a missing Chromium fails them); elsewhere they skip without one */
export const skipBrowserTests = !chromiumPath() && process.env.CI !== 'true'
