// Search through the conversations this tab has opened, for both people: a message in
// Persian (found with Arabic letter variants typed) and one in English (found without
// its accents), a result opens its conversation at that message, and a conversation the
// tab never opened is named as not searched. Searching writes nothing anywhere: after
// searching for a canary text, neither the browser's site storage, nor the browser's
// profile on disk, nor the server's database, files or output hold it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_PATH, launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { logInAt, signUpAt } from './support/pages.js';
import { acceptRequest, expectConversation, openConversation, requestFriend, sendText } from './support/chat-steps.js';
import { watchContext } from './support/failure-report.js';
import { browserStoragePlaces, filesIn, findSecrets } from './support/privacy-scan.js';
import { rememberText } from './support/secrets.js';
import { WAIT_MS } from './support/wait.js';

const ALICE_PASS = 'quiet lanterns drift over the bay';
const BOB_PASS = 'seven paper boats on a long river';
const CAROL_PASS = 'a violin case full of oranges';

const PERSIAN = 'سلام! فردا ساعت ۱۰ در کتابخانه‌ی مرکزی می‌بینمت';
const ENGLISH = 'Meet me at the Café Zürich after the rehearsal';
const CAROL_TEXTS = ['carol here, first of two', 'carol again with the harbour schedule'];
/** Typed into search only: no message holds it, so finding it anywhere means search kept or sent it. */
const CANARY = 'canary-search-7f3kq2-never-sent';

let server: ServerProcess;
let browser: Browser;
let alice: { context: BrowserContext; page: Page };
let bobFirst: { context: BrowserContext; page: Page };
let carol: { context: BrowserContext; page: Page };
/** Bob again, in a new browser profile kept on disk, so its files can be searched. */
let bobAgain: { context: BrowserContext; page: Page } | undefined;
const profileDir = mkdtempSync(path.join(tmpdir(), 'onionchat-search-profile-'));

beforeAll(async () => {
  server = await startServer({ REGISTRATION: 'open' });
  browser = await launchBrowser();
  alice = await person();
  bobFirst = await person();
  carol = await person();
});

afterAll(async () => {
  await bobAgain?.context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  rmSync(profileDir, { recursive: true, force: true });
});

async function person() {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

async function openSearch(page: Page, how: 'button' | 'keys'): Promise<void> {
  if (how === 'keys') await page.keyboard.press('Control+K');
  else await page.getByRole('button', { name: 'Search messages' }).click();
  await page.locator('[data-testid=search-dialog][open]').waitFor();
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
    .toBe('search-input');
}

async function search(page: Page, query: string): Promise<void> {
  rememberText('search query', query);
  await page.fill('[data-testid=search-input]', query);
}

const hitTexts = (page: Page) => page.locator('[data-testid=search-hit]').allTextContents();
const marks = (page: Page) => page.locator('[data-testid=search-mark]').allTextContents();
const status = (page: Page) => page.locator('[data-testid=search-status]').textContent();

/** The chosen message is the one in view, focused and marked. */
async function expectShownMessage(page: Page, text: string): Promise<void> {
  const row = page.locator('[data-testid=message][data-search-hit=true]');
  await expect.poll(() => row.locator('[data-testid=message-text]').textContent(), { timeout: WAIT_MS }).toBe(text);
  const placement = () =>
    row.evaluate((element) => {
      const scroller = element.closest('.message-scroller')!.getBoundingClientRect();
      const box = element.getBoundingClientRect();
      return {
        inView: box.top >= scroller.top - 1 && box.bottom <= scroller.bottom + 1,
        focused: document.activeElement === element,
        scrolledUp: (() => {
          const el = element.closest('.message-scroller')!;
          return el.scrollHeight - el.scrollTop - el.clientHeight > 50;
        })(),
      };
    });
  await expect.poll(placement).toEqual({ inView: true, focused: true, scrolledUp: true });
}

describe('search', () => {
  it('three people become friends: bob with alice and with carol', async () => {
    await signUpAt(alice.page, `${server.origin}/signup/`, 'alice', ALICE_PASS);
    await signUpAt(bobFirst.page, `${server.origin}/signup/`, 'bob', BOB_PASS);
    await signUpAt(carol.page, `${server.origin}/signup/`, 'carol', CAROL_PASS);
    await requestFriend(alice.page, 'bob');
    await acceptRequest(bobFirst.page, 'alice');
    await requestFriend(carol.page, 'bob');
    await acceptRequest(bobFirst.page, 'carol');
    await alice.page.locator('[data-testid=friend]', { hasText: 'bob' }).waitFor({ timeout: WAIT_MS });
    await carol.page.locator('[data-testid=friend]', { hasText: 'bob' }).waitFor({ timeout: WAIT_MS });
  });

  it('alice writes in Persian and English with many messages after; carol writes twice', async () => {
    await openConversation(alice.page, 'bob');
    await sendText(alice.page, PERSIAN);
    await sendText(alice.page, ENGLISH);
    const filler = Array.from({ length: 24 }, (_, i) => `filler line number ${i + 1} to push the others up`);
    for (const text of filler) await sendText(alice.page, text);
    await expectConversation(alice.page, [PERSIAN, ENGLISH, ...filler]);
    await openConversation(carol.page, 'bob');
    for (const text of CAROL_TEXTS) await sendText(carol.page, text);
    await expectConversation(carol.page, CAROL_TEXTS);
  });

  it('alice finds her own messages in the conversation she opened', async () => {
    await openSearch(alice.page, 'button');
    // Arabic kaf and yeh typed, no zero-width non-joiner: the Persian message is found all the same.
    await search(alice.page, 'كتابخانهي');
    await expect.poll(() => hitTexts(alice.page)).toHaveLength(1);
    expect(await marks(alice.page)).toEqual(['کتابخانه‌ی']);
    await expect.poll(() => status(alice.page)).toBe('1 message found in 1 conversation.');
    await search(alice.page, 'cafe zurich');
    await expect.poll(() => marks(alice.page)).toEqual(['Café Zürich']);
    expect(await alice.page.locator('[data-testid=search-unopened]').count()).toBe(0);
    await alice.page.keyboard.press('Escape');
    await alice.page.locator('[data-testid=search-dialog][open]').waitFor({ state: 'detached' });
  });

  it('bob, in a new browser, searches: found in the conversation he opened, carol’s named as not searched', async () => {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync'],
    });
    context.setDefaultTimeout(WAIT_MS);
    watchContext(context);
    bobAgain = { context, page: context.pages()[0] ?? (await context.newPage()) };
    const { page } = bobAgain;
    await logInAt(page, server.origin, 'bob', BOB_PASS);
    await page.waitForURL(/\/chat\/(#.*)?$/, { timeout: WAIT_MS });
    await openConversation(page, 'alice');
    await expect.poll(() => page.locator('[data-testid=message]').count(), { timeout: WAIT_MS }).toBe(26);
    await page.locator('[data-testid=friend]', { hasText: 'carol' }).waitFor();

    await openSearch(page, 'keys');
    await search(page, 'فردا ساعت 10');
    await expect.poll(() => marks(page)).toEqual(['فردا ساعت ۱۰']);
    const unopened = page.locator('[data-testid=search-unopened]');
    await expect.poll(() => unopened.textContent()).toContain('carol');
    expect(await unopened.textContent()).not.toContain('alice');

    await search(page, 'CAFÉ');
    await expect.poll(() => marks(page)).toEqual(['Café']);
    // From the field, ↓ reaches the result and Enter opens it at that message.
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search-hit');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=search-dialog][open]').waitFor({ state: 'detached' });
    await expectShownMessage(page, ENGLISH);

    // Opening carol's conversation makes it searchable here.
    await openSearch(page, 'button');
    await search(page, 'harbour schedule');
    await expect.poll(() => unopened.textContent()).toContain('carol');
    await page.keyboard.press('Escape');
    await openConversation(page, 'carol');
    await expectConversation(page, CAROL_TEXTS);
    await openSearch(page, 'keys');
    await search(page, 'carol');
    await expect.poll(() => hitTexts(page)).toHaveLength(2);
    expect(await unopened.count()).toBe(0);

    // Persian from a result in another conversation: it opens alice's conversation there.
    await search(page, 'کتابخانه');
    await expect.poll(() => hitTexts(page)).toHaveLength(1);
    await page.locator('[data-testid=search-hit]').click();
    await expectShownMessage(page, PERSIAN);
  });

  it('a search for the canary leaves it nowhere: not in site storage, the profile on disk or the server', async () => {
    const { page, context } = bobAgain!;
    await openSearch(page, 'button');
    await search(page, CANARY);
    await expect.poll(() => status(page)).toBe('No messages found.');
    await search(page, `${CANARY} again`);
    await page.keyboard.press('Escape');
    const canary = [{ what: `search canary "${CANARY}"`, bytes: Buffer.from(CANARY) }];
    expect(findSecrets(canary, await browserStoragePlaces(page))).toEqual([]);
    // Closing the browser writes out whatever it keeps; then every file of its profile is read.
    await context.close();
    bobAgain = undefined;
    const files = filesIn(profileDir, 'browser profile file');
    expect(files.length).toBeGreaterThan(0);
    expect(findSecrets(canary, files)).toEqual([]);
    // The server's database, stored files and output are searched for it when the server stops (see afterAll).
  });
});
