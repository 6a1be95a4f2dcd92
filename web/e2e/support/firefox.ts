// Debian's Firefox ESR, the engine of Tor Browser, driven by puppeteer-core through
// WebDriver BiDi, with Tor Browser's preferences where they change what a page can do.
// Every launch is a brand-new profile in private browsing, so a person who starts a new
// browser has nothing from before: no cookie, no storage, no cache.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { watchPuppeteerPage } from './failure-report.js';
import { rememberText } from './secrets.js';
import { WAIT_MS } from './wait.js';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Tor Browser's security levels, as the preferences its security-level code sets. */
export type SecurityLevel = 'Standard' | 'Safer' | 'Safest';

const LEVEL_PREFS: Record<SecurityLevel, Record<string, boolean>> = {
  Standard: {},
  // No JIT tiers, no native regexp compiler, no asm.js and no WebAssembly.
  Safer: {
    'javascript.options.baselinejit': false,
    'javascript.options.ion': false,
    'javascript.options.native_regexp': false,
    'javascript.options.asmjs': false,
    'javascript.options.wasm': false,
  },
  Safest: { 'javascript.enabled': false },
};

function torBrowserPrefs(socksPort: number, downloadDir: string): Record<string, unknown> {
  return {
    // Everything through tor's SOCKS port, names resolved by tor (onion names included).
    'network.proxy.type': 1,
    'network.proxy.socks': '127.0.0.1',
    'network.proxy.socks_port': socksPort,
    'network.proxy.socks_version': 5,
    'network.proxy.socks_remote_dns': true,
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': true,
    // An http onion page is a secure context, so WebCrypto exists there.
    'dom.securecontext.allowlist_onions': true,
    'browser.privatebrowsing.autostart': true,
    'browser.cache.disk.enable': false,
    'browser.cache.offline.enable': false,
    'permissions.memory_only': true,
    'browser.formfill.enable': false,
    'signon.rememberSignons': false,
    'privacy.resistFingerprinting': true,
    'dom.serviceWorkers.enabled': false,
    // Downloads land in a folder the test reads, without asking.
    'browser.download.folderList': 2,
    'browser.download.dir': downloadDir,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    'browser.download.start_downloads_in_tmp_dir': false,
  };
}

export interface FirefoxPerson {
  browser: Browser;
  page: Page;
  downloadDir: string;
  close: () => Promise<void>;
}

/** A new Firefox with a fresh profile at `level`, reaching the network only through tor. */
export async function launchFirefox(level: SecurityLevel, socksPort: number): Promise<FirefoxPerson> {
  const downloadDir = mkdtempSync(path.join(tmpdir(), 'onionchat-firefox-downloads-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: { ...torBrowserPrefs(socksPort, downloadDir), ...LEVEL_PREFS[level] },
  });
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  page.setDefaultTimeout(WAIT_MS);
  watchPuppeteerPage(browser, page);
  // In private browsing WebDriver BiDi cannot read the cookie jar, so the session
  // token is taken from the responses that set it.
  page.on('response', (response) => {
    for (const line of (response.headers()['set-cookie'] ?? '').split('\n')) {
      const value = line.split(';')[0]!.split('=').slice(1).join('=');
      if (value) rememberText('session token', value);
    }
  });
  const close = () => browser.close();
  return { browser, page, downloadDir, close };
}
