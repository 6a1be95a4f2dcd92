// Links handed out from a page opened at the loopback address: on a server that knows its
// onion address they point at the onion (a friend can use them); on one that does not,
// the page says plainly that they only work on this computer. And the first member of an
// invite-only server is pointed to invites, until they have made one.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { createInvite, openAccount, signUpAt } from './support/pages.js';

const run = promisify(execFile);
const ONION = `${'onionchatinvitelinks'.padEnd(52, 'x')}test.onion`.replace(/[^a-z2-7.]/g, 'q');
const FIRST_MEMBER =
  'You are the first member here. Registration is invite-only: make invite links on your account page.';
const LOCAL_ONLY = /^This link only works on this computer/;

/** What `npm run invite` prints, for the first account (links at the loopback address). */
async function operatorInvite(server: ServerProcess): Promise<string> {
  const { stdout } = await run(process.execPath, ['scripts/invite.mjs'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, DATABASE_URL: server.dbUrl, PUBLIC_ORIGIN: server.origin },
  });
  const match = stdout.match(/http:\/\/\S+\/signup\/#invite=[A-Za-z0-9_-]{43}/);
  if (!match) throw new Error(`npm run invite printed no link:\n${stdout}`);
  return match[0];
}

/** Client-side navigation back to the chat (a page load would forget the keys). */
async function openChat(page: Page): Promise<void> {
  await page.click('a[href="/chat/"]');
  await page.waitForURL(/\/chat\/$/);
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('on an invite-only server that knows its onion address, opened at loopback', () => {
  let server: ServerProcess;
  let page: Page;

  beforeAll(async () => {
    expect(ONION).toMatch(/^[a-z2-7]{56}\.onion$/);
    server = await startServer({ REGISTRATION: 'invite', PUBLIC_ORIGIN: `http://${ONION}` });
    page = await (await browser.newContext()).newPage();
  }, 60_000);
  afterAll(async () => {
    await page?.context().close();
    await server?.stop();
  });

  it('publishes the onion address in its public settings', async () => {
    const config = await (await fetch(`${server.origin}/api/config`)).json();
    expect(config).toMatchObject({ registration: 'invite', onionAddress: ONION });
  });

  it('points the first member to invites, with a note that can be dismissed', async () => {
    await signUpAt(page, await operatorInvite(server), 'pioneer', 'the very first member here');
    const note = page.getByTestId('first-member-note');
    await note.waitFor();
    expect(await note.textContent()).toContain(FIRST_MEMBER);
    await note.getByRole('button', { name: 'Dismiss' }).click();
    await note.waitFor({ state: 'detached' });
  });

  it('makes invite and contact links on the onion address, with no local-only note', async () => {
    // The note comes back on a later visit to the chat while no invite is made; its link leads to invites.
    await openAccount(page);
    await openChat(page);
    const note = page.getByTestId('first-member-note');
    await note.getByRole('link', { name: 'Make an invite link' }).click();
    await page.waitForURL(/\/account\/#invites$/);
    const link = await createInvite(page);
    expect(link).toMatch(
      new RegExp(`^http://${ONION.replace('.', '\\.')}/signup/#invite=[A-Za-z0-9_-]{43}&from=pioneer&fp=[0-9A-F]{40}$`),
    );
    const contact = (await page.getByTestId('contact-link').textContent())!.trim();
    expect(contact).toMatch(new RegExp(`^http://${ONION.replace('.', '\\.')}/chat/#add=pioneer&fp=[0-9A-F]{40}$`));
    expect(await page.getByTestId('invite-link-local-only').count()).toBe(0);
    expect(await page.getByTestId('contact-link-local-only').count()).toBe(0);
  });

  it('stops pointing to invites once one is made', async () => {
    const invites = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/invites');
    await openChat(page);
    expect((await invites).status()).toBe(200);
    await page.getByRole('heading', { name: 'No friends yet' }).waitFor();
    // One more render after the answer, then the note must still be absent.
    await page.waitForTimeout(500);
    expect(await page.getByTestId('first-member-note').count()).toBe(0);
  });
});

describe('on a server that knows no onion address, opened at loopback', () => {
  let server: ServerProcess;
  let page: Page;

  beforeAll(async () => {
    server = await startServer({ REGISTRATION: 'open' });
    page = await (await browser.newContext()).newPage();
  }, 60_000);
  afterAll(async () => {
    await page?.context().close();
    await server?.stop();
  });

  it('says plainly that its links only work on this computer', async () => {
    const config = await (await fetch(`${server.origin}/api/config`)).json();
    expect(config['onionAddress']).toBeNull();
    await signUpAt(page, `${server.origin}/signup/`, 'loner', 'nobody else is on here');
    // Open registration: nobody needs pointing to invites.
    await page.getByRole('heading', { name: 'No friends yet' }).waitFor();
    expect(await page.getByTestId('first-member-note').count()).toBe(0);
    await openAccount(page);
    const link = await createInvite(page);
    expect(link.startsWith(`${server.origin}/signup/#invite=`)).toBe(true);
    expect(await page.getByTestId('invite-link-local-only').textContent()).toMatch(LOCAL_ONLY);
    expect((await page.getByTestId('contact-link').textContent())!.trim().startsWith(`${server.origin}/chat/`)).toBe(
      true,
    );
    expect(await page.getByTestId('contact-link-local-only').textContent()).toMatch(LOCAL_ONLY);
  });
});
