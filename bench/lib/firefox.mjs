// Debian's Firefox ESR (the engine Tor Browser is built on), headless, driven by
// puppeteer-core through WebDriver BiDi, at one of Tor Browser's security levels.
// Each launch gets a brand-new temporary profile, which puppeteer deletes on close.
import puppeteer from 'puppeteer-core';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * The preferences Tor Browser's security-level code sets, where they change how fast
 * a page's JavaScript runs (the same as web/e2e/support/firefox.ts): "Safer" turns off
 * both JIT tiers (baseline and Ion), the native regular-expression compiler, asm.js
 * and WebAssembly. The interpreters (C++ and baseline interpreter) stay on.
 */
export const LEVEL_PREFS = {
  Standard: {},
  Safer: {
    'javascript.options.baselinejit': false,
    'javascript.options.ion': false,
    'javascript.options.native_regexp': false,
    'javascript.options.asmjs': false,
    'javascript.options.wasm': false,
  },
};

/** A new headless Firefox at `level` with one page; `close` never throws. */
export async function launchFirefox(level, { protocolTimeoutMs }) {
  const prefs = LEVEL_PREFS[level];
  if (!prefs) throw new Error(`unknown security level ${level}`);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    protocolTimeout: protocolTimeoutMs,
    extraPrefsFirefox: { ...prefs },
  });
  const close = async () => {
    try {
      await browser.close();
    } catch {
      // Already gone, or hung: make sure the process does not outlive us.
      browser.process()?.kill('SIGKILL');
    }
  };
  try {
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    // puppeteer answers "firefox/153.8.0" over WebDriver BiDi.
    return { browser, page, version: (await browser.version()).replace(/^firefox\//i, ''), close };
  } catch (error) {
    await close();
    throw error;
  }
}
