// Chat steps a person takes in the browser, shared by the chat and onion tests.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { rememberText } from './secrets.js';
import { WAIT_MS } from './wait.js';

export async function requestFriend(page: Page, username: string): Promise<void> {
  await page.fill('#friend-username', username);
  await page.locator('[data-testid=add-friend-form] button[type=submit]').click();
}

export async function acceptRequest(page: Page, from: string, timeout = WAIT_MS): Promise<void> {
  const request = page.locator('[data-testid=incoming-request]', { hasText: from });
  await request.waitFor({ timeout });
  await request.getByTestId('accept-request').click();
}

/** Opens the conversation with `friend` and waits until it is the one on screen. */
export async function openConversation(page: Page, friend: string, timeout = WAIT_MS): Promise<void> {
  await page.locator('[data-testid=friend]', { hasText: friend }).click({ timeout });
  await page.locator('.conversation-name', { hasText: friend }).waitFor({ timeout });
  await page.waitForSelector('#composer', { timeout });
}

export async function sendText(page: Page, text: string): Promise<void> {
  rememberText('message', text);
  await page.fill('#composer', text);
  await page.press('#composer', 'Enter');
}

export const messageTexts = (page: Page) =>
  page.locator('[data-testid=message] [data-testid=message-text]').allTextContents();

export async function expectConversation(page: Page, expected: string[], timeout = WAIT_MS): Promise<void> {
  await expect.poll(() => messageTexts(page), { timeout }).toEqual(expected);
}

export const connectionState = (page: Page) => page.getAttribute('[data-testid=connection]', 'data-state');
