// A visitor without a session opens the home, log-in and sign-up pages: nothing fails and
// nothing is logged in the console (the session is asked of GET /api/session, which
// answers a visitor with null rather than 401). In Chromium, and in Firefox ESR with Tor
// Browser's preferences over the onion. A browser with a session is still recognised.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { HTTPResponse } from 'puppeteer-core';
import { findTor } from '@onionchat/tor';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { signUpAt } from './support/pages.js';
import { FIREFOX_PATH, launchFirefox, type FirefoxPerson } from './support/firefox.js';
import { TOR_TIMEOUT, startOnionSite, type OnionSite } from './support/onion-site.js';
import { WAIT_MS } from './support/wait.js';

const PAGES = ['/', '/login/', '/signup/'];

describe('an anonymous visit in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ REGISTRATION: 'invite' });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each(PAGES)('%s logs nothing and no request fails', async (path) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    const asked: string[] = [];
    page.on(
      'console',
      (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(`${m.type()}: ${m.text()}`),
    );
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('requestfailed', (r) => {
      // Next.js prefetches the pages its links lead to (a fetch of the page's own address)
      // and drops a prefetch it no longer needs: the browser reports that as aborted,
      // though nothing failed. A failed document, script or API call still counts.
      const url = new URL(r.url());
      const prefetch = r.resourceType() === 'fetch' && PAGES.includes(url.pathname) && url.origin === server.origin;
      if (prefetch && r.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`failed: ${r.resourceType()} ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/')) asked.push(`${url.pathname} ${r.status()}`);
      if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
    });
    const session = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/session');
    await page.goto(`${server.origin}${path}`, { waitUntil: 'networkidle' });
    expect(await (await session).json()).toEqual({ user: null });
    expect(asked).toContain('/api/session 200');
    expect(asked.some((line) => line.startsWith('/api/account'))).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('still knows a browser that has a session, and asks for the passphrase after a reload', async () => {
    const open = await startServer({ REGISTRATION: 'open' });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signUpAt(page, `${open.origin}/signup/`, 'reloader', 'reloading forgets the keys');
      const session = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/session');
      await page.reload();
      const answer = (await (await session).json()) as { user: { username: string } | null };
      expect(answer.user?.username).toBe('reloader');
      await page.waitForURL(/\/login\/#next=/, { timeout: WAIT_MS });
      expect(await page.getByTestId('unlock-username').textContent({ timeout: WAIT_MS })).toBe('reloader');
      await context.close();
    } finally {
      await open.stop();
    }
  });
});

// Without tor or Firefox ESR this cannot run; CI installs both, so there it must.
describe.skipIf((!findTor() || !existsSync(FIREFOX_PATH)) && !process.env.CI)(
  'an anonymous visit in Firefox ESR with Tor Browser’s preferences, over the onion',
  () => {
    let site: OnionSite | undefined;
    let person: FirefoxPerson | undefined;

    beforeAll(async () => {
      site = await startOnionSite('anonymous-load');
      person = await launchFirefox('Safer', site.testnet.socksPort);
    }, TOR_TIMEOUT + 60_000);
    afterAll(async () => {
      await person?.close();
      await site?.stop();
    });

    it(
      'logs nothing and no request fails on the home, log-in and sign-up pages',
      async () => {
        const page = person!.page;
        const problems: string[] = [];
        const asked: string[] = [];
        page.on(
          'console',
          (m) => (m.type() === 'error' || m.type() === 'warn') && problems.push(`${m.type()}: ${m.text()}`),
        );
        page.on('pageerror', (e) => problems.push(`uncaught: ${String(e)}`));
        page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
        page.on('response', (r: HTTPResponse) => {
          const url = new URL(r.url());
          if (url.pathname.startsWith('/api/')) asked.push(`${url.pathname} ${r.status()}`);
          if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
        });
        for (const path of PAGES) {
          const session = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/session', {
            timeout: TOR_TIMEOUT,
          });
          await page.goto(`${site!.origin}${path}`, { timeout: TOR_TIMEOUT });
          expect(await (await session).json()).toEqual({ user: null });
          await page.waitForNetworkIdle({ idleTime: 1_000, timeout: TOR_TIMEOUT });
        }
        expect(asked.filter((line) => line === '/api/session 200')).toHaveLength(PAGES.length);
        expect(asked.some((line) => line.startsWith('/api/account'))).toBe(false);
        expect(problems).toEqual([]);
      },
      TOR_TIMEOUT * 3,
    );
  },
);
