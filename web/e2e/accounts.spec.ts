// The account journey in a real browser, against the real server and database:
// first-account invite → sign up → close the browser → log in from a brand-new
// context → same key fingerprint; passphrase change; invites; nothing secret stored.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { createInvite, fillAndSubmit, logInAt, openAccount, signUpAt, storageContents } from './support/pages.js';
import { dumpDatabase } from '../../server/test-support/database.js';
import { WAIT_MS } from './support/wait.js';

const run = promisify(execFile);

const PASSPHRASE = 'violet harbour lantern 7 quietly';
const NEW_PASSPHRASE = 'another long passphrase for the cat 2';

let server: ServerProcess;
let browser: Browser;
const foreignRequests: string[] = [];

beforeAll(async () => {
  server = await startServer({ REGISTRATION: 'invite' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('request', (req) => {
    if (!req.url().startsWith(server.origin) && !req.url().startsWith('data:')) foreignRequests.push(req.url());
  });
  return { context, page };
}

async function logIn(page: Page, username: string, passphrase: string): Promise<void> {
  await logInAt(page, server.origin, username, passphrase);
}

async function logInToAccount(page: Page, username: string, passphrase: string): Promise<void> {
  await logIn(page, username, passphrase);
  await page.waitForURL(/\/chat\/(#.*)?$/, { timeout: WAIT_MS });
  await openAccount(page);
}

let firstLink: string | undefined;

/**
 * The server prints no invite when its output is not a terminal (it could be a log others
 * read); it says to run `npm run invite`, which is what an operator does, so the test does too.
 */
async function firstInviteLink(): Promise<string> {
  if (firstLink) return firstLink;
  await expect.poll(() => server.output(), { timeout: WAIT_MS }).toContain('No accounts yet. Make the single-use link');
  expect(server.output()).not.toMatch(/#invite=/);
  const { stdout } = await run(process.execPath, ['scripts/invite.mjs'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, DATABASE_URL: server.dbUrl, PUBLIC_ORIGIN: server.origin },
  });
  const match = stdout.match(/http:\/\/\S+\/signup\/#invite=[A-Za-z0-9_-]{43}/);
  if (!match) throw new Error(`npm run invite printed no link:\n${stdout}`);
  firstLink = match[0];
  return firstLink;
}

describe('accounts in the browser', () => {
  let fingerprint = '';

  it('signs up through an operator invite (the server’s piped output holds none)', async () => {
    const { context, page } = await newPage();
    await signUpAt(page, await firstInviteLink(), 'alice', PASSPHRASE);
    await openAccount(page);
    await expect.poll(() => page.textContent('[data-testid=account-username]')).toContain('alice');
    fingerprint = (await page.textContent('[data-testid=fingerprint]'))!.trim();
    expect(fingerprint).toMatch(/^([0-9A-F]{4} ){9}[0-9A-F]{4}$/);
    expect(await storageContents(page)).toEqual({ local: 0, session: 0, cookie: '', indexedDb: 0 });
    await context.close();
  });

  it('logs in from a brand-new context and shows the same public key fingerprint', async () => {
    const { context, page } = await newPage();
    await logInToAccount(page, 'alice', PASSPHRASE);
    await expect.poll(() => page.textContent('[data-testid=fingerprint]')).toBe(fingerprint);
    expect(await storageContents(page)).toEqual({ local: 0, session: 0, cookie: '', indexedDb: 0 });
    await context.close();
  });

  it('says so when the passphrase is wrong, and keeps what was typed', async () => {
    const { context, page } = await newPage();
    await logIn(page, 'alice', 'not the right passphrase at all');
    await expect
      .poll(() => page.textContent('[role=alert]'), { timeout: WAIT_MS })
      .toContain('Wrong username or passphrase');
    expect(await page.inputValue('#username')).toBe('alice');
    await context.close();
  });

  it('refuses a weak passphrase before anything is sent', async () => {
    const { context, page } = await newPage();
    await page.goto((await firstInviteLink()).replace(/#invite=.*/, '#invite=unused'));
    await fillAndSubmit(page, { '#username': 'weakling', '#passphrase': 'short', '#passphrase-confirm': 'short' });
    await expect.poll(() => page.textContent('[role=alert]')).toMatch(/passphrase/i);
    expect(page.url()).toContain('/signup/');
    await context.close();
  });

  it('changes the passphrase: the old one stops working, the new one opens the same keys', async () => {
    const { context, page } = await newPage();
    await logInToAccount(page, 'alice', PASSPHRASE);
    await page.click('text=Change passphrase');
    await page.waitForURL(`${server.origin}/account/passphrase/`);
    await fillAndSubmit(page, {
      '#current-passphrase': PASSPHRASE,
      '#new-passphrase': NEW_PASSPHRASE,
      '#new-passphrase-confirm': NEW_PASSPHRASE,
    });
    await expect.poll(() => page.textContent('[role=status]'), { timeout: WAIT_MS }).toMatch(/changed/i);
    await context.close();

    const old = await newPage();
    await logIn(old.page, 'alice', PASSPHRASE);
    await expect
      .poll(() => old.page.textContent('[role=alert]'), { timeout: WAIT_MS })
      .toContain('Wrong username or passphrase');
    await old.context.close();

    const fresh = await newPage();
    await logInToAccount(fresh.page, 'alice', NEW_PASSPHRASE);
    await expect.poll(() => fresh.page.textContent('[data-testid=fingerprint]')).toBe(fingerprint);
    await fresh.context.close();
  });

  it('lets a member invite a friend, who signs up with the link', async () => {
    const { context, page } = await newPage();
    await logInToAccount(page, 'alice', NEW_PASSPHRASE);
    const link = await createInvite(page);
    // The link names the inviter and their key's fingerprint, so the new account can add them verified.
    expect(link).toMatch(new RegExp(`^${server.origin}/signup/#invite=[A-Za-z0-9_-]{43}&from=alice&fp=[0-9A-F]{40}$`));
    await context.close();

    const friend = await newPage();
    await signUpAt(friend.page, link, 'bob', 'my friend has a fine passphrase');
    // The new account is offered to add the inviter from the link (contact-link.spec.ts
    // follows that through); here it is declined, and nothing is sent.
    const offer = friend.page.getByTestId('contact-link-confirm');
    await offer.waitFor({ timeout: WAIT_MS });
    expect(await offer.textContent()).toContain('Add alice from their contact link?');
    await offer.getByRole('button', { name: 'Cancel' }).click();
    await openAccount(friend.page);
    await expect.poll(() => friend.page.textContent('[data-testid=account-username]')).toContain('bob');
    await friend.page.getByRole('button', { name: 'Log out', exact: true }).click();
    await friend.page.waitForURL((url) => !url.pathname.startsWith('/account'), { timeout: 15_000 });
    await friend.context.close();
  });

  it('explains itself when JavaScript is off (Tor Browser "Safest")', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    const text = await page.textContent('body');
    expect(text).toMatch(/JavaScript/);
    expect(text).toMatch(/Safer/);
    await context.close();
  });

  it('made no request to any other origin, and the database holds no passphrase', async () => {
    expect(foreignRequests).toEqual([]);
    const dump = await dumpDatabase(server.dbUrl);
    expect(dump).toContain('alice');
    for (const secret of [PASSPHRASE, NEW_PASSPHRASE, 'my friend has a fine passphrase'])
      expect(dump).not.toContain(secret);
  });
});
