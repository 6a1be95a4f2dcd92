// The steps of support/pages.ts, chat-steps.ts and file-steps.ts for Firefox pages driven
// by puppeteer: the same data-testid hooks, labels and waits. Every wait is on something
// the page shows, with a limit generous enough for tweetnacl without a JIT (Safer).
import { expect } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { rememberFileBytes, rememberText } from './secrets.js';
import { WAIT_MS } from './wait.js';

/** The first element matching `selector` whose text contains `text`, once there is one. */
async function elementWithText(page: Page, selector: string, text: string, timeout = WAIT_MS) {
  const handle = await page.waitForFunction(
    (sel: string, txt: string) =>
      Array.from(document.querySelectorAll(sel)).find((el) => el.textContent?.includes(txt)),
    { timeout, polling: 200 },
    selector,
    text,
  );
  return handle.asElement() as ElementHandle<Element>;
}

/** Clicks the button called `name` (its text or aria-label) inside `scope`. */
async function clickButton(scope: ElementHandle<Element>, name: string, timeout = WAIT_MS): Promise<void> {
  const find = () =>
    scope.evaluateHandle(
      (root, label) =>
        Array.from(root.querySelectorAll('button')).find(
          (b) => b.textContent?.trim() === label || b.getAttribute('aria-label') === label,
        ) ?? null,
      name,
    );
  await expect.poll(async () => (await find()).asElement() !== null, { timeout }).toBe(true);
  await ((await find()).asElement() as ElementHandle<Element>).click();
}

export async function fillAndSubmit(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [selector, value] of Object.entries(fields)) {
    if (selector.includes('passphrase')) rememberText('passphrase', value);
    await page.locator(selector).fill(value);
  }
  await page.locator('button[type=submit]').click();
}

async function waitForPath(page: Page, pattern: RegExp, timeout: number): Promise<void> {
  await expect.poll(() => new URL(page.url()).pathname + new URL(page.url()).hash, { timeout }).toMatch(pattern);
}

export async function signUpAt(page: Page, url: string, username: string, passphrase: string, timeout = WAIT_MS) {
  await page.goto(url);
  await fillAndSubmit(page, { '#username': username, '#passphrase': passphrase, '#passphrase-confirm': passphrase });
  await waitForPath(page, /^\/chat\/(#.*)?$/, timeout);
}

export async function logInAt(page: Page, origin: string, username: string, passphrase: string, timeout = WAIT_MS) {
  await page.goto(`${origin}/login/`);
  await fillAndSubmit(page, { '#username': username, '#passphrase': passphrase });
  await waitForPath(page, /^\/chat\/(#.*)?$/, timeout);
}

export async function requestFriend(page: Page, username: string): Promise<void> {
  await page.locator('#friend-username').fill(username);
  await page.locator('[data-testid=add-friend-form] button[type=submit]').click();
}

export async function acceptRequest(page: Page, from: string, timeout = WAIT_MS): Promise<void> {
  await clickButton(await elementWithText(page, '[data-testid=incoming-request]', from, timeout), 'Accept');
}

/** Opens the conversation with `friend` and waits until it is the one on screen. */
export async function openConversation(page: Page, friend: string, timeout = WAIT_MS): Promise<void> {
  await (await elementWithText(page, '[data-testid=friend]', friend, timeout)).click();
  await elementWithText(page, '.conversation-name', friend, timeout);
  await page.waitForSelector('#composer', { timeout });
}

export async function sendText(page: Page, text: string): Promise<void> {
  rememberText('message', text);
  await page.locator('#composer').fill(text);
  await page.focus('#composer');
  await page.keyboard.press('Enter');
}

export const messageTexts = (page: Page) =>
  page.$$eval('[data-testid=message] [data-testid=message-text]', (els) => els.map((el) => el.textContent ?? ''));

export async function expectConversation(page: Page, expected: string[], timeout = WAIT_MS): Promise<void> {
  await expect.poll(() => messageTexts(page), { timeout }).toEqual(expected);
}

const cardState = (page: Page, name: string) =>
  page.evaluate(
    (n) =>
      Array.from(document.querySelectorAll('[data-testid=file-card]'))
        .find((el) => el.textContent?.includes(n))
        ?.getAttribute('data-state') ?? null,
    name,
  );

/** Picks a file from disk in the composer, as a person does, and waits until it is sent. */
export async function sendFile(page: Page, name: string, bytes: Buffer, timeout = WAIT_MS): Promise<void> {
  rememberText('file name', name);
  rememberFileBytes(name, bytes);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'onionchat-firefox-upload-')), name);
  writeFileSync(file, bytes);
  const input = (await page.waitForSelector('input[type=file][data-testid=file-input]', {
    timeout,
  })) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(file);
  await expect.poll(() => cardState(page, name), { timeout }).toBe('sent');
}

/** Waits for the image preview in the file card `name`; returns its natural width. */
export async function previewWidth(page: Page, name: string, timeout = WAIT_MS): Promise<number> {
  const width = () =>
    page.evaluate((n) => {
      const card = Array.from(document.querySelectorAll('[data-testid=file-card]')).find((el) =>
        el.textContent?.includes(n),
      );
      const img = card?.querySelector<HTMLImageElement>('img[data-testid=file-preview]');
      return img && img.complete && img.src.startsWith('blob:') ? img.naturalWidth : 0;
    }, name);
  await expect.poll(width, { timeout }).toBeGreaterThan(0);
  return width();
}

/** Clicks Download on the card and returns the bytes Firefox saved. */
export async function downloadFile(page: Page, downloadDir: string, name: string, timeout = WAIT_MS): Promise<Buffer> {
  await expect.poll(() => cardState(page, name), { timeout }).toMatch(/^(ready|sent)$/);
  await clickButton(await elementWithText(page, '[data-testid=file-card]', name), 'Download');
  const saved = path.join(downloadDir, name);
  // Firefox writes beside the target (.part) and renames when done.
  await expect
    .poll(() => existsSync(saved) && !readdirSync(downloadDir).some((f) => f.endsWith('.part')), { timeout })
    .toBe(true);
  return readFileSync(saved);
}

/** Opens the safety-number dialog and returns the digits it shows, then closes it. */
export async function safetyDigits(page: Page, timeout = WAIT_MS): Promise<string> {
  await page.locator('[data-testid=verify-button]').click();
  const digits = await page.waitForSelector('[data-testid=safety-number]', { timeout });
  const label = await digits!.evaluate((el) => el.getAttribute('aria-label') ?? '');
  const dialog = await page.waitForSelector('[data-testid=safety-number-dialog]', { timeout });
  await clickButton(dialog!, 'Close');
  return label;
}
