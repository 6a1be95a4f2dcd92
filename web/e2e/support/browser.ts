// Debian's Chromium driven by playwright-core; each context is a brand-new profile,
// like Tor Browser after a restart.
import { chromium, type Browser } from 'playwright-core';
import { watchBrowser, watchContext } from './failure-report.js';
import { rememberText } from './secrets.js';
import { WAIT_MS } from './wait.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Session cookies are secrets too: the server may keep only their hashes. */
async function rememberSessionTokens(browser: Browser): Promise<void> {
  for (const context of browser.contexts()) {
    for (const cookie of await context.cookies()) rememberText('session token', cookie.value);
  }
}

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...extraArgs,
    ],
  });
  watchBrowser(browser);
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(WAIT_MS);
    watchContext(context);
    return context;
  };
  // Tests close the browser before stopping the server, so the tokens are known in time.
  const close = browser.close.bind(browser);
  browser.close = async (options) => {
    await rememberSessionTokens(browser).catch(() => undefined);
    return close(options);
  };
  return browser;
}
