// Disappearing messages between two browsers: Alice sets a 30-second timer from the
// conversation's menu, both see the notice and the timer in the header, both write,
// and the messages vanish from both pages when their time comes; the server's sweeper
// then deletes them from the database, keeping only the signed timer message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { logInAt, signUpAt } from './support/pages.js';
import { acceptRequest, messageTexts, openConversation, requestFriend, sendText } from './support/chat-steps.js';
import { WAIT_MS } from './support/wait.js';

/** The timer (30 s) plus the sweeper's period plus room for a loaded machine. */
const VANISH_MS = 90_000;

let server: ServerProcess;
let browser: Browser;
let alice: Page;
let bob: Page;
const BOB_PASS = 'bob forgets what was said kindly';

beforeAll(async () => {
  // The sweeper runs every second here, so the database is checked soon after the timer.
  server = await startServer({ REGISTRATION: 'open', RETENTION_SWEEP_SECONDS: '1' });
  browser = await launchBrowser();
  alice = await (await browser.newContext()).newPage();
  bob = await (await browser.newContext()).newPage();
  await signUpAt(alice, `${server.origin}/signup/`, 'vanish_alice', 'alice lets her words fade away');
  await signUpAt(bob, `${server.origin}/signup/`, 'vanish_bob', BOB_PASS);
  await requestFriend(alice, 'vanish_bob');
  await acceptRequest(bob, 'vanish_alice');
  await openConversation(alice, 'vanish_bob');
  await openConversation(bob, 'vanish_alice');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The messages the server's database holds: all, and those it was asked to delete at a time. */
async function storedMessages(): Promise<{ all: number; disappearing: number }> {
  const client = new pg.Client({ connectionString: server.dbUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ all: string; disappearing: string }>(
      'SELECT count(*) AS all, count("disappearsAt") AS disappearing FROM "Message"',
    );
    return { all: Number(rows[0]!.all), disappearing: Number(rows[0]!.disappearing) };
  } finally {
    await client.end();
  }
}

/** The notices' sentences (without the time kept for screen readers). */
const timerNotices = (page: Page) => page.locator('[data-testid=timer-notice] > span').allTextContents();
const timerMark = (page: Page) => page.getByTestId('timer-mark').getAttribute('data-timer', { timeout: WAIT_MS });

describe('disappearing messages in the browser', () => {
  it('Alice sets a 30-second timer; both see the notice and the timer in the header', async () => {
    await alice.getByRole('button', { name: 'Options for the conversation with vanish_bob' }).click();
    await alice.getByRole('button', { name: 'Disappearing messages', exact: true }).click();
    const dialog = alice.getByTestId('disappearing-dialog');
    await dialog.getByRole('radio', { name: '30 seconds' }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: WAIT_MS });

    await expect.poll(() => timerNotices(alice)).toEqual(['You set disappearing messages to 30 seconds']);
    await expect.poll(() => timerNotices(bob)).toEqual(['vanish_alice set disappearing messages to 30 seconds']);
    expect(await timerMark(alice)).toBe('30');
    expect(await timerMark(bob)).toBe('30');
  });

  it('both write; the messages vanish from both pages after 30 s, and from the database', async () => {
    await sendText(alice, 'this fades from alice');
    await expect.poll(() => messageTexts(bob)).toEqual(['this fades from alice']);
    await sendText(bob, 'and this from bob');
    const both = ['this fades from alice', 'and this from bob'];
    await expect.poll(() => messageTexts(alice)).toEqual(both);
    await expect.poll(() => messageTexts(bob)).toEqual(both);
    // Each is marked as disappearing, and the server was told when to delete it.
    for (const page of [alice, bob]) {
      await expect.poll(() => page.locator('[data-testid=message][data-disappears=true]').count()).toBe(2);
    }
    await expect.poll(() => storedMessages()).toEqual({ all: 3, disappearing: 2 });

    await expect.poll(() => messageTexts(alice), { timeout: VANISH_MS }).toEqual([]);
    await expect.poll(() => messageTexts(bob), { timeout: VANISH_MS }).toEqual([]);
    // The notice stays: it is how anyone reading later knows the timer.
    expect(await timerNotices(bob)).toEqual(['vanish_alice set disappearing messages to 30 seconds']);
    // Only the signed timer message is left on the server.
    await expect.poll(() => storedMessages(), { timeout: VANISH_MS }).toEqual({ all: 1, disappearing: 0 });
  });

  it('a page opened afterwards shows the timer and none of the messages', async () => {
    // Another browser: it logs in and reads the history afresh from the server.
    const later = await (await browser.newContext()).newPage();
    await logInAt(later, server.origin, 'vanish_bob', BOB_PASS);
    await openConversation(later, 'vanish_alice');
    await expect.poll(() => timerNotices(later)).toEqual(['vanish_alice set disappearing messages to 30 seconds']);
    expect(await timerMark(later)).toBe('30');
    expect(await messageTexts(later)).toEqual([]);
  });
});
