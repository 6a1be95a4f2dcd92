// Reactions, replies, edits, deletion for everyone and receipts between two browsers:
// what one person does, the other sees; a deleted message is gone from the other
// page, from a fresh log-in, and its ciphertext from the server's database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { logInAt, signUpAt } from './support/pages.js';
import { acceptRequest, openConversation, requestFriend, sendText } from './support/chat-steps.js';
import { WAIT_MS } from './support/wait.js';

let server: ServerProcess;
let browser: Browser;
let alice: Page;
let bob: Page;
const BOB_PASS = 'bob answers every question kindly';
const ORIGINAL = 'meet at the old bridge at nine';
const EDITED = 'meet at the new bridge at nine';

beforeAll(async () => {
  server = await startServer({ REGISTRATION: 'open' });
  browser = await launchBrowser();
  alice = await (await browser.newContext()).newPage();
  bob = await (await browser.newContext()).newPage();
  await signUpAt(alice, `${server.origin}/signup/`, 'acts_alice', 'alice takes back what she said');
  await signUpAt(bob, `${server.origin}/signup/`, 'acts_bob', BOB_PASS);
  await requestFriend(alice, 'acts_bob');
  await acceptRequest(bob, 'acts_alice');
  await openConversation(alice, 'acts_bob');
  await openConversation(bob, 'acts_alice');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The message whose own text holds `text` (a reply quoting it is another message). */
const message = (page: Page, text: string): Locator =>
  page
    .locator('[data-testid=message]')
    .filter({ has: page.locator('[data-testid=message-text]', { hasText: text }) })
    .last();

/** Runs one of a message's actions as a person does: hover it, press the button. */
async function act(page: Page, row: Locator, name: string): Promise<void> {
  await row.hover();
  await row.getByTestId('message-toolbar').getByRole('button', { name, exact: true }).click();
}

async function erasedRows(): Promise<{ erased: number; emptyEnvelopes: number }> {
  const client = new pg.Client({ connectionString: server.dbUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ erased: string; empty: string }>(
      `SELECT count("erasedAt") AS erased, count(*) FILTER (WHERE length(envelope) = 0) AS empty FROM "Message"`,
    );
    return { erased: Number(rows[0]!.erased), emptyEnvelopes: Number(rows[0]!.empty) };
  } finally {
    await client.end();
  }
}

describe('message actions in the browser', () => {
  it("bob's reaction reaches alice, and his reply quotes her message", async () => {
    await sendText(alice, ORIGINAL);
    const onBob = message(bob, ORIGINAL);
    await onBob.waitFor({ timeout: WAIT_MS });

    await act(bob, onBob, 'React');
    await bob.getByRole('button', { name: 'React with 👍' }).click();
    const chip = message(alice, ORIGINAL).locator('[data-testid=reaction][data-emoji="👍"]');
    await chip.waitFor({ timeout: WAIT_MS });
    expect(await chip.getAttribute('aria-label')).toContain('acts_bob');
    expect(await message(bob, ORIGINAL).locator('[data-testid=reaction]').getAttribute('aria-pressed')).toBe('true');

    await act(bob, message(bob, ORIGINAL), 'Reply');
    await expect.poll(() => bob.getByTestId('composer-target').textContent()).toContain('Replying to acts_alice');
    await sendText(bob, 'which bridge?');
    const reply = message(alice, 'which bridge?');
    await reply.waitFor({ timeout: WAIT_MS });
    expect(await reply.getByTestId('reply-quote').textContent()).toContain(ORIGINAL);
    // Pressing the quote shows the original.
    await reply.getByTestId('reply-quote').click();
    await expect.poll(() => message(alice, ORIGINAL).evaluate((row) => row === document.activeElement)).toBe(true);
  });

  it("alice's message says Read once bob has seen it", async () => {
    await expect
      .poll(() => message(alice, ORIGINAL).getByTestId('delivery').textContent(), { timeout: WAIT_MS })
      .toContain('Read');
  });

  it('alice edits her message: bob sees the new words marked edited, in his reply too', async () => {
    await act(alice, message(alice, ORIGINAL), 'Edit');
    await expect.poll(() => alice.inputValue('#composer')).toBe(ORIGINAL);
    await alice.fill('#composer', EDITED);
    await alice.press('#composer', 'Enter');
    const onBob = message(bob, EDITED);
    await onBob.waitFor({ timeout: WAIT_MS });
    expect(await onBob.getByTestId('message-edited').textContent()).toBe('edited');
    await expect
      .poll(() => message(bob, 'which bridge?').getByTestId('reply-quote').textContent(), { timeout: WAIT_MS })
      .toContain(EDITED);
    expect(await bob.locator('[data-testid=message-text]', { hasText: ORIGINAL }).count()).toBe(0);
  });

  it('alice deletes it for everyone: gone from both pages, a fresh log-in and the database', async () => {
    await act(alice, message(alice, EDITED), 'Delete for everyone');
    await alice.getByRole('dialog').getByRole('button', { name: 'Delete for everyone' }).click();
    await alice.getByTestId('message-deleted').waitFor({ timeout: WAIT_MS });
    await bob.getByTestId('message-deleted').waitFor({ timeout: WAIT_MS });
    expect(await bob.getByTestId('message-deleted').textContent()).toBe('This message was deleted');
    await expect
      .poll(() => message(bob, 'which bridge?').getByTestId('reply-quote').textContent(), { timeout: WAIT_MS })
      .toContain('deleted');
    expect(await bob.content()).not.toContain('bridge at nine');
    // The original and its edit are erased from the server's database, rows kept for their places.
    await expect.poll(erasedRows, { timeout: WAIT_MS }).toEqual({ erased: 2, emptyEnvelopes: 2 });

    const fresh = await (await browser.newContext()).newPage();
    try {
      await logInAt(fresh, server.origin, 'acts_bob', BOB_PASS);
      await openConversation(fresh, 'acts_alice');
      await fresh.getByTestId('message-deleted').waitFor({ timeout: WAIT_MS });
      await message(fresh, 'which bridge?').waitFor({ timeout: WAIT_MS });
      expect(await fresh.content()).not.toContain('bridge at nine');
      expect(await fresh.getByTestId('sequence-notice').count()).toBe(0);
    } finally {
      await fresh.context().close();
    }
  });

  it("bob cannot edit or delete alice's messages: his toolbar offers neither", async () => {
    await sendText(alice, 'one more thing');
    const row = message(bob, 'one more thing');
    await row.waitFor({ timeout: WAIT_MS });
    await row.hover();
    const names = await row
      .getByTestId('message-toolbar')
      .getByRole('button')
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label')));
    expect(names).toEqual(['React', 'Reply']);
  });
});

describe('read receipts turned off', () => {
  it("bob turns them off: alice's next message says Delivered, never Read, and bob sees no Read either", async () => {
    await bob.getByRole('button', { name: 'Settings' }).click();
    const box = bob.getByTestId('read-receipts');
    expect(await box.isChecked()).toBe(true);
    await box.uncheck();
    await bob.getByRole('dialog').getByRole('button', { name: 'Done' }).click();

    await sendText(alice, 'are you reading this?');
    await message(bob, 'are you reading this?').waitFor({ timeout: WAIT_MS });
    await expect
      .poll(() => message(alice, 'are you reading this?').getByTestId('delivery').textContent(), { timeout: WAIT_MS })
      .toContain('Delivered');
    // Bob's page has shown it for a while: still not Read.
    await bob.waitForTimeout(3_000);
    expect(await message(alice, 'are you reading this?').getByTestId('delivery').textContent()).not.toContain('Read');
    // Both ways: alice's read receipts do not show on bob's messages.
    await sendText(bob, 'I see nothing');
    await message(alice, 'I see nothing').waitFor({ timeout: WAIT_MS });
    await bob.waitForTimeout(3_000);
    expect(await message(bob, 'I see nothing').getByTestId('delivery').textContent()).not.toContain('Read');
  });
});

describe('settings saved with the account', () => {
  it('bob logs in from a brand-new browser (a Tor Browser restart): read receipts still off, sound and language as he left them', async () => {
    // Each choice goes into his sealed key bundle a moment after it is made.
    const bundleSaved = () =>
      bob.waitForResponse(
        (response) =>
          new URL(response.url()).pathname === '/api/account/bundle' && response.request().method() === 'POST',
        { timeout: WAIT_MS },
      );
    let saved = bundleSaved();
    await bob.getByRole('button', { name: 'Settings' }).click();
    await bob.getByTestId('notify-sound').uncheck();
    await bob.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
    expect((await saved).status()).toBe(204);
    saved = bundleSaved();
    await bob.locator('.chat-sidebar [data-testid=language-switcher]').selectOption('es');
    expect((await saved).status()).toBe(204);

    const fresh = await (await browser.newContext()).newPage();
    try {
      await logInAt(fresh, server.origin, 'acts_bob', BOB_PASS);
      await fresh.waitForURL(/\/chat\/(#.*)?$/, { timeout: WAIT_MS });
      // His language comes back with his keys.
      await expect.poll(() => fresh.evaluate(() => document.documentElement.lang), { timeout: WAIT_MS }).toBe('es');
      await fresh.getByTestId('notification-settings-button').click();
      await expect.poll(() => fresh.getByTestId('read-receipts').isChecked(), { timeout: WAIT_MS }).toBe(false);
      expect(await fresh.getByTestId('notify-sound').isChecked()).toBe(false);
    } finally {
      await fresh.context().close();
    }
    // Nothing of it in the browser's storage, and the server holds only the sealed bundle.
    expect(await bob.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  });
});
