// A person who opens more live connections than the server allows (WS_CONNECTIONS_PER_USER)
// is told why in the page, in the server's own words, and gets connected as soon as
// another tab closes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { fillAndSubmit, signUpAt } from './support/pages.js';
import { connectionState } from './support/chat-steps.js';
import { WAIT_MS } from './support/wait.js';

const PASS = 'one tab too many is one too many';
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ REGISTRATION: 'open', WS_CONNECTIONS_PER_USER: '1' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('live connections per account', () => {
  it('explains a refused connection and connects once the other tab is gone', async () => {
    const context = await browser.newContext();
    const first = await context.newPage();
    await signUpAt(first, `${server.origin}/signup/`, 'tabby', PASS);
    await expect.poll(() => connectionState(first), { timeout: WAIT_MS }).toBe('connected');

    const second = await context.newPage();
    await second.goto(`${server.origin}/chat/`);
    await second.waitForSelector('#passphrase', { timeout: 15_000 });
    await fillAndSubmit(second, { '#passphrase': PASS });
    const refusal = second.locator('[data-testid=connection-refusal]');
    await expect.poll(() => refusal.textContent(), { timeout: WAIT_MS }).toMatch(/already has 1 live connection/);
    expect(await connectionState(second)).toBe('offline');

    await first.close();
    // The page also retries by itself, so it may connect (and drop the button) before the click lands.
    const tryNow = second.getByRole('button', { name: 'Try now' });
    await tryNow.click({ timeout: 5_000 }).catch(async (err: unknown) => {
      if (await tryNow.count()) throw err;
    });
    await expect.poll(() => connectionState(second), { timeout: WAIT_MS }).toBe('connected');
    expect(await refusal.count()).toBe(0);
  });
});
