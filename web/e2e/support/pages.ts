// Steps a person takes, shared by the browser tests.
import type { Page } from 'playwright-core';
import { rememberText } from './secrets.js';
import { WAIT_MS } from './wait.js';

export async function fillAndSubmit(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [selector, value] of Object.entries(fields)) {
    if (selector.includes('passphrase')) rememberText('passphrase', value);
    await page.fill(selector, value);
  }
  await page.click('button[type=submit]');
}

export async function signUpAt(page: Page, url: string, username: string, passphrase: string): Promise<void> {
  await page.goto(url);
  await fillAndSubmit(page, { '#username': username, '#passphrase': passphrase, '#passphrase-confirm': passphrase });
  await page.waitForURL(/\/chat\/(#.*)?$/, { timeout: WAIT_MS });
}

export async function logInAt(page: Page, origin: string, username: string, passphrase: string): Promise<void> {
  await page.goto(`${origin}/login/`);
  await fillAndSubmit(page, { '#username': username, '#passphrase': passphrase });
}

/** Client-side navigation to the account page (a full page load would forget the keys). */
export async function openAccount(page: Page): Promise<void> {
  await page.click('a[href="/account/"]');
  await page.waitForURL(/\/account\/$/);
}

export async function storageContents(page: Page) {
  return page.evaluate(async () => ({
    local: Object.keys(localStorage).length,
    session: Object.keys(sessionStorage).length,
    cookie: document.cookie,
    indexedDb: (await indexedDB.databases()).length,
  }));
}

/**
 * On the account page: makes an invite link and returns it. Waits for the sessions and
 * invites to load first, so the cards above the button no longer grow under the click.
 */
export async function createInvite(page: Page): Promise<string> {
  await page.locator('#invites').waitFor({ timeout: WAIT_MS });
  await page.locator('.card .loading').first().waitFor({ state: 'detached', timeout: WAIT_MS });
  await page.getByRole('button', { name: 'Create invite link' }).click();
  return (await page.getByTestId('invite-link').first().textContent({ timeout: WAIT_MS }))!.trim();
}
