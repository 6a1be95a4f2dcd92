// The rough edges a new user found, each held in place: accepting a request opens the
// conversation and tells the requester; web and onion addresses in messages are links
// (and nothing else is); the safety-number dialog promises no scanner; a conversation
// with an image in its history opens at the newest message, with "Jump to latest" when
// scrolled up; and the conversation header fits a phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { fillAndSubmit, signUpAt } from './support/pages.js';
import { acceptRequest, expectConversation, openConversation, requestFriend, sendText } from './support/chat-steps.js';
import { sendFile } from './support/file-steps.js';
import { WAIT_MS } from './support/wait.js';

const ALICE_PASS = 'rough edges get smoothed over time';
const BART_PASS = 'he reads every link twice over';
// A normal-length name, long enough to have been cut on a phone.
const BART = 'bartholomew';
const ONION = 'duskgytldkxiuqc6nzxh5xnrxyvl4fvmpznqu7nzsnfhj4kngwd7ytad.onion';

let server: ServerProcess;
let browser: Browser;
let alice: Page;
let bartContext: BrowserContext;
let bart: Page;

beforeAll(async () => {
  server = await startServer({ REGISTRATION: 'open' });
  browser = await launchBrowser();
  alice = await (await browser.newContext()).newPage();
  bartContext = await browser.newContext();
  bart = await bartContext.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const conversationWith = (page: Page, name: string) =>
  page.locator('.conversation-name', { hasText: name }).waitFor({ timeout: WAIT_MS });

/** How far the newest message is below the bottom of the visible list, in pixels. */
const belowView = (page: Page) =>
  page.locator('.message-scroller').evaluate((el) => Math.round(el.scrollHeight - el.scrollTop - el.clientHeight));

describe('rough edges', () => {
  it('accepting a request opens the conversation, and the requester is told', async () => {
    await signUpAt(alice, `${server.origin}/signup/`, 'alice', ALICE_PASS);
    await signUpAt(bart, `${server.origin}/signup/`, BART, BART_PASS);
    await requestFriend(alice, BART);
    await acceptRequest(bart, 'alice');
    await conversationWith(bart, 'alice');
    await bart.locator('#composer').waitFor();

    const notice = alice.getByTestId('accepted-notice');
    await expect
      .poll(() => notice.textContent(), { timeout: WAIT_MS })
      .toContain(`${BART} accepted your friend request`);
    await notice.getByRole('button', { name: 'Open conversation' }).click();
    await conversationWith(alice, BART);
    expect(await notice.count()).toBe(0);
  });

  it('makes web and onion addresses links that open apart from the page, and nothing else', async () => {
    const text = `guide: https://example.org/guide?x=1. mirror ${ONION}/chat/ not javascript:alert(1) nor data:text/html,hi`;
    await sendText(alice, text);
    await expectConversation(bart, [text]);
    const message = bart.locator('[data-testid=message-text]');
    expect(await message.textContent()).toBe(text);
    const links = message.locator('a');
    expect(await links.count()).toBe(2);
    const attrs = await links.evaluateAll((els) =>
      els.map((a) => [a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel'), a.textContent]),
    );
    expect(attrs).toEqual([
      ['https://example.org/guide?x=1', '_blank', 'noopener noreferrer', 'https://example.org/guide?x=1'],
      [`http://${ONION}/chat/`, '_blank', 'noopener noreferrer', `${ONION}/chat/`],
    ]);
  });

  it('the safety-number dialog asks to compare digits and promises no scan', async () => {
    await alice.getByTestId('verify-button').click();
    const dialog = alice.getByTestId('safety-number-dialog');
    await dialog.getByTestId('safety-number').waitFor({ timeout: WAIT_MS });
    const words = await dialog.innerText();
    expect(words).toContain('Compare the digits');
    expect(words).not.toMatch(/scan/i);
    await dialog.getByRole('button', { name: 'Mark as verified' }).click();
    await alice.getByTestId('verified-badge').waitFor();
  });

  it('opens a history holding an image at the newest message, with "Jump to latest" when scrolled up', async () => {
    for (let n = 1; n <= 18; n += 1) await sendText(alice, `earlier message number ${n}`);
    const picture = await alice.screenshot({ clip: { x: 0, y: 0, width: 240, height: 320 } });
    await sendFile(alice, 'tall-picture.png', 'image/png', picture);
    await sendText(alice, 'that was the picture');
    await sendText(alice, 'and this is the newest message');
    // Sent in order, so the newest being sent means all are.
    const newest = alice.locator('[data-testid=message][data-mine=true]').last();
    await expect.poll(() => newest.getAttribute('data-state'), { timeout: WAIT_MS }).toBe('sent');

    // A fresh start: the history and the image's preview arrive anew.
    await bart.close();
    bart = await bartContext.newPage();
    await bart.goto(`${server.origin}/chat/`);
    await bart.waitForSelector('#passphrase', { timeout: WAIT_MS });
    await fillAndSubmit(bart, { '#passphrase': BART_PASS });
    await openConversation(bart, 'alice');
    const preview = bart.locator('img[data-testid=file-preview]');
    await expect
      .poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: WAIT_MS })
      .toBe(240);
    await expect.poll(() => belowView(bart)).toBeLessThanOrEqual(1);
    expect(await bart.getByTestId('jump-to-latest').count()).toBe(0);

    await bart.locator('.message-scroller').evaluate((el) => el.scrollTo({ top: 0 }));
    const jump = bart.getByTestId('jump-to-latest');
    await jump.click();
    await expect.poll(() => belowView(bart)).toBeLessThanOrEqual(1);
    expect(await jump.count()).toBe(0);
  });

  it('fits the conversation header on a phone: whole name, badge, one status line, a labelled dot', async () => {
    await alice.setViewportSize({ width: 375, height: 667 });
    await conversationWith(alice, BART);
    const name = alice.locator('.conversation-name-text');
    expect(await name.textContent()).toBe(BART);
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

    const badge = alice.getByTestId('verified-badge');
    expect(await badge.isVisible()).toBe(true);
    const heading = (await alice.locator('.conversation-name').boundingBox())!;
    const badgeBox = (await badge.boundingBox())!;
    expect(badgeBox.x + badgeBox.width).toBeLessThanOrEqual(heading.x + heading.width + 0.5);

    const status = alice.locator('.conversation-sub-text');
    expect(await status.textContent()).toBe('End-to-end encrypted');
    const fits = await status.evaluate((el) => {
      const lines = document.createRange();
      lines.selectNodeContents(el);
      return { lines: lines.getClientRects().length, whole: el.scrollWidth <= el.clientWidth };
    });
    expect(fits).toEqual({ lines: 1, whole: true });

    const dot = alice.getByRole('img', { name: 'Live connection: Connected' });
    expect(await dot.isVisible()).toBe(true);
    const menu = alice.getByRole('button', { name: `Options for the conversation with ${BART}` });
    const dotBox = (await dot.boundingBox())!;
    for (const neighbour of [alice.locator('.conversation-name'), menu]) {
      const box = (await neighbour.boundingBox())!;
      const apart = dotBox.x >= box.x + box.width || dotBox.x + dotBox.width <= box.x;
      expect(apart).toBe(true);
    }

    // The safety number is still one tap away, in the menu.
    expect(await alice.getByTestId('verify-button').count()).toBe(0);
    await menu.click();
    await alice.getByRole('button', { name: 'Safety number', exact: true }).click();
    await alice.getByTestId('safety-number-dialog').getByTestId('safety-number').waitFor({ timeout: WAIT_MS });
  });
});
