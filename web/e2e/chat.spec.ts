// Two people in separate browsers: request, accept, chat live both ways; one drops off
// the network, then closes the app entirely; everything sent meanwhile arrives on
// return, in order, exactly once. The server stores only ciphertext.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { fillAndSubmit, signUpAt } from './support/pages.js';
import { connectionState as connection, expectConversation, openConversation, sendText } from './support/chat-steps.js';
import { dumpDatabase } from '../../server/test-support/database.js';
import { WAIT_MS } from './support/wait.js';

const ALICE_PASS = 'alpine meadow sunrise 42 quietly';
const BOB_PASS = 'copper kettle whistles at noon';

let server: ServerProcess;
let browser: Browser;
let alice: { context: BrowserContext; page: Page };
let bob: { context: BrowserContext; page: Page };
const sentTexts: string[] = [];

beforeAll(async () => {
  server = await startServer({ REGISTRATION: 'open' });
  browser = await launchBrowser();
  alice = await person();
  bob = await person();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function person() {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

async function send(page: Page, text: string): Promise<void> {
  await sendText(page, text);
  sentTexts.push(text);
}

describe('chatting in the browser', () => {
  it('two people sign up; a friend request arrives live and is accepted', async () => {
    await signUpAt(alice.page, `${server.origin}/signup/`, 'alice', ALICE_PASS);
    await signUpAt(bob.page, `${server.origin}/signup/`, 'bob', BOB_PASS);
    await expect.poll(() => connection(bob.page), { timeout: 15_000 }).toBe('connected');
    await alice.page.fill('#friend-username', 'bob');
    await alice.page.locator('[data-testid=add-friend-form] button[type=submit]').click();
    await expect.poll(() => alice.page.locator('[data-testid=outgoing-request]').count()).toBe(1);
    const request = bob.page.locator('[data-testid=incoming-request]', { hasText: 'alice' });
    await request.waitFor({ timeout: 15_000 });
    await request.getByRole('button', { name: 'Accept' }).click();
    await bob.page.locator('[data-testid=friend]', { hasText: 'alice' }).waitFor({ timeout: 15_000 });
    await alice.page.locator('[data-testid=friend]', { hasText: 'bob' }).waitFor({ timeout: 15_000 });
    // Accepting opens the conversation; bob goes back to the list, so alice's first message is unread.
    await bob.page.locator('.conversation-name', { hasText: 'alice' }).waitFor({ timeout: 15_000 });
    await bob.page.goBack();
    await bob.page.locator('.chat-placeholder').waitFor({ timeout: 15_000 });
  });

  it('chats live both ways, with delivery state and unread badges', async () => {
    await openConversation(alice.page, 'bob');
    await send(alice.page, 'hello bob, this is alice');
    const badge = bob.page.locator('[data-testid=friend]', { hasText: 'alice' }).locator('[data-testid=unread]');
    await expect.poll(() => badge.textContent(), { timeout: 15_000 }).toBe('1');
    await openConversation(bob.page, 'alice');
    await expectConversation(bob.page, sentTexts);
    await expect.poll(() => badge.count()).toBe(0);
    await send(bob.page, 'hi alice! bob here');
    await expectConversation(alice.page, sentTexts);
    const mine = alice.page.locator('[data-testid=message][data-mine=true]');
    await expect.poll(() => mine.first().getAttribute('data-state')).toBe('sent');
    expect(await alice.page.locator('[data-testid=message][data-mine=false]').count()).toBe(1);
  });

  it('delivers what was sent while one side was off the network, in order, once', async () => {
    await bob.context.setOffline(true);
    await expect.poll(() => connection(bob.page), { timeout: WAIT_MS }).not.toBe('connected');
    for (const n of [1, 2, 3]) await send(alice.page, `while you were offline ${n}`);
    await expect
      .poll(() => alice.page.locator('[data-testid=message][data-mine=true][data-state=sent]').count(), {
        timeout: 15_000,
      })
      .toBe(4);
    await bob.context.setOffline(false);
    await expect.poll(() => connection(bob.page), { timeout: 60_000 }).toBe('connected');
    await expectConversation(bob.page, sentTexts);
  });

  it('queues what is typed while offline and sends it on return', async () => {
    await bob.context.setOffline(true);
    await expect.poll(() => connection(bob.page), { timeout: WAIT_MS }).not.toBe('connected');
    await send(bob.page, 'typed while offline');
    await bob.context.setOffline(false);
    await expectConversation(alice.page, sentTexts);
    await expect
      .poll(() => bob.page.locator('[data-testid=message][data-mine=true][data-state=sent]').count(), {
        timeout: 60_000,
      })
      .toBe(2);
  });

  it('catches up after the app was closed entirely and unlocked again', async () => {
    await bob.page.close();
    for (const n of [1, 2]) await send(alice.page, `while your app was closed ${n}`);
    bob.page = await bob.context.newPage();
    await bob.page.goto(`${server.origin}/chat/`);
    await bob.page.waitForSelector('#passphrase', { timeout: 15_000 });
    await fillAndSubmit(bob.page, { '#passphrase': BOB_PASS });
    await bob.page.waitForURL(/\/chat\//, { timeout: WAIT_MS });
    await openConversation(bob.page, 'alice');
    await expectConversation(bob.page, sentTexts);
    const seqs = await bob.page
      .locator('[data-testid=message]')
      .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-seq'))));
    expect(seqs).toEqual(sentTexts.map((_, i) => i + 1));
  });

  it('stored only ciphertext', async () => {
    const dump = await dumpDatabase(server.dbUrl);
    expect(dump).toContain('alice');
    for (const text of [...sentTexts, ALICE_PASS, BOB_PASS]) {
      expect(dump).not.toContain(text);
      expect(dump).not.toContain(Buffer.from(text).toString('hex'));
    }
    for (const text of sentTexts) expect(server.output()).not.toContain(text);
  });
});
