// File steps a person takes in the browser, shared by the file and onion tests.
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { rememberFileBytes, rememberText } from './secrets.js';

export const fileCard = (page: Page, name: string) => page.locator('[data-testid=file-card]', { hasText: name });

export async function sendFile(
  page: Page,
  name: string,
  mimeType: string,
  buffer: Buffer,
  timeout = 60_000,
): Promise<void> {
  rememberText('file name', name);
  rememberFileBytes(name, buffer);
  await page.setInputFiles('input[type=file][data-testid=file-input]', { name, mimeType, buffer });
  await expect.poll(() => fileCard(page, name).getAttribute('data-state'), { timeout }).toBe('sent');
}

export async function downloadFile(page: Page, name: string, timeout = 60_000): Promise<Buffer> {
  const card = fileCard(page, name);
  await expect.poll(() => card.getAttribute('data-state'), { timeout }).toMatch(/^(ready|sent)$/);
  const [saved] = await Promise.all([
    page.waitForEvent('download', { timeout }),
    card.getByRole('button', { name: 'Download' }).click(),
  ]);
  expect(saved.suggestedFilename()).toBe(name);
  return readFileSync((await saved.path())!);
}
