// Verified first contact: Bob hands out his contact link (username and key
// fingerprint in the fragment, which never reaches the server). Whoever adds him from
// it gets his keys checked against the link and marked verified at once; a server that
// presents other keys for him is caught before anything is left standing, and the page
// says so. Invite links carry the inviter's contact link the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createIdentity, encodePublicKeys, toBase64 } from '@onionchat/protocol';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { createInvite, fillAndSubmit, openAccount, signUpAt } from './support/pages.js';
import { acceptRequest, openConversation } from './support/chat-steps.js';
import { closeTampered, closeTamperedBrowser, tamperJson } from './support/tamper.js';
import { WAIT_MS } from './support/wait.js';

const PASS = {
  alice: 'she pastes links she trusts',
  bob: 'he hands out his own link',
  carol: 'her server tells her lies',
  dave: 'invited and verified at once',
};
type Name = keyof typeof PASS;

let server: ServerProcess;
let browser: Browser;
const pages: Partial<Record<Name, Page>> = {};
let bobLink = '';

beforeAll(async () => {
  server = await startServer({ REGISTRATION: 'open' });
  browser = await launchBrowser();
  for (const name of ['alice', 'bob', 'carol'] as const) {
    pages[name] = await (await browser.newContext()).newPage();
    await signUpAt(pages[name], `${server.origin}/signup/`, name, PASS[name]);
  }
}, 240_000);

afterAll(async () => {
  await closeTamperedBrowser(browser);
  await server?.stop();
});

/** The friend lists as the server holds them, fetched with `page`'s session. */
async function serverLists(page: Page): Promise<{ incoming: { user: { username: string } }[] }> {
  return page.evaluate(async () => (await fetch('/api/friends')).json());
}

/**
 * The server answers a friend request to `username` with keys of its own for them (a
 * valid self-signature under their id), and lists those keys wherever it mentions them.
 */
async function swapKeysOnRequest(context: BrowserContext, username: string): Promise<void> {
  const fake = createIdentity(username);
  let record = '';
  await context.route(
    (url) => url.pathname === '/api/friends/requests',
    async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      const response = await route.fetch();
      const body = (await response.json()) as {
        request?: { user: { id: string; username: string; publicKeys: string } };
      };
      if (body.request?.user.username === username) {
        record = toBase64(encodePublicKeys(fake, body.request.user.id));
        body.request.user.publicKeys = record;
      }
      await route.fulfill({ status: response.status(), json: body });
    },
  );
  // The lists get the same made-up keys, once there are any.
  await tamperJson(context, /^\/api\/friends$/, (body) => {
    if (!record) return;
    for (const list of ['friends', 'incoming', 'outgoing'] as const) {
      for (const entry of body[list] as { user: { username: string; publicKeys: string } }[]) {
        if (entry.user.username === username) entry.user.publicKeys = record;
      }
    }
  });
}

/** Back to the chat without a page load (a load would forget the keys). */
async function backToChat(page: Page): Promise<void> {
  await page.getByRole('link', { name: /Back to your conversations/ }).click();
  await page.waitForURL(/\/chat\/(#.*)?$/, { timeout: WAIT_MS });
}

describe('contact links', () => {
  it('Bob’s account page shows his contact link, with a QR code and a copy button', async () => {
    const bob = pages.bob!;
    await openAccount(bob);
    const section = bob.getByTestId('contact-link-section');
    await section.waitFor({ timeout: WAIT_MS });
    bobLink = (await bob.getByTestId('contact-link').textContent())!.trim();
    const fingerprint = (await bob.getByTestId('fingerprint').textContent())!.replace(/\s+/g, '');
    expect(bobLink).toBe(`${server.origin}/chat/#add=bob&fp=${fingerprint}`);
    await expect.poll(() => bob.getByTestId('contact-link-qr').locator('path').getAttribute('d')).toMatch(/^M/);
    await section.getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => section.locator('[aria-live=polite]').textContent()).toMatch(/Copied|selected/);
    await backToChat(bob);
  });

  it('Alice adds Bob from the pasted link: the request goes out and Bob is verified from the start', async () => {
    const { alice, bob } = pages as Record<Name, Page>;
    await alice.fill('#friend-username', bobLink);
    await alice.locator('[data-testid=add-friend-form] button[type=submit]').click();
    await alice
      .getByText('bob’s keys match the link: they are verified. Friend request sent.')
      .waitFor({ timeout: WAIT_MS });
    await acceptRequest(bob, 'alice');
    await openConversation(alice, 'bob');
    await alice.getByTestId('verified-badge').waitFor({ timeout: WAIT_MS });
  });

  it('a server that swaps Bob’s keys: Carol, opening his link, gets a blocking warning and nothing is left sent', async () => {
    const carol = await browser.newContext().then(async (context) => {
      await swapKeysOnRequest(context, 'bob');
      return context.newPage();
    });
    // Opening the link loads the page, so she unlocks first and comes back to it.
    await carol.goto(bobLink);
    await carol.waitForURL(/\/login\//, { timeout: WAIT_MS });
    await fillAndSubmit(carol, { '#username': 'carol', '#passphrase': PASS.carol });
    const confirm = carol.getByTestId('contact-link-confirm');
    await confirm.waitFor({ timeout: WAIT_MS });
    expect(await confirm.textContent()).toContain('Add bob from their contact link?');
    expect(await carol.inputValue('#friend-username')).toBe(bobLink);
    await confirm.getByRole('button', { name: 'Add bob' }).click();

    const refused = carol.getByTestId('contact-link-refused');
    await refused.waitFor({ timeout: WAIT_MS });
    expect(await refused.getAttribute('role')).toBe('alertdialog');
    expect(await refused.textContent()).toContain(
      "The server's keys for bob do not match the link bob gave you. The friend request was withdrawn; nothing else was sent.",
    );
    await refused.getByRole('button', { name: 'I understand' }).click();

    // No request from carol is left on the real server, and her page lists none.
    expect((await serverLists(pages.bob!)).incoming.map((r) => r.user.username)).not.toContain('carol');
    await expect.poll(() => carol.locator('[data-testid=outgoing-request]').count()).toBe(0);
    expect(await carol.getByText('Friend request sent').count()).toBe(0);
    await closeTampered(carol.context());
  });

  it('an invite link carries the inviter: Dave signs up from Bob’s and adds him, verified, right after', async () => {
    const bob = pages.bob!;
    await openAccount(bob);
    const invite = await createInvite(bob);
    const fingerprint = (await bob.getByTestId('fingerprint').textContent())!.replace(/\s+/g, '');
    expect(invite).toMatch(new RegExp(`/signup/#invite=[^&]+&from=bob&fp=${fingerprint}$`));
    await backToChat(bob);

    const dave = await (await browser.newContext()).newPage();
    await dave.goto(invite);
    await dave.getByTestId('inviter-note').waitFor({ timeout: WAIT_MS });
    expect(await dave.getByTestId('inviter-note').textContent()).toContain('Invited by bob');
    await fillAndSubmit(dave, { '#username': 'dave', '#passphrase': PASS.dave, '#passphrase-confirm': PASS.dave });
    const confirm = dave.getByTestId('contact-link-confirm');
    await confirm.waitFor({ timeout: WAIT_MS });
    await confirm.getByRole('button', { name: 'Add bob' }).click();
    await dave
      .getByText('bob’s keys match the link: they are verified. Friend request sent.')
      .waitFor({ timeout: WAIT_MS });
    await acceptRequest(bob, 'dave');
    await openConversation(dave, 'bob');
    await dave.getByTestId('verified-badge').waitFor({ timeout: WAIT_MS });
    await closeTampered(dave.context());
  });
});
