// Group steps a person takes in the browser, shared by the group tests: make a group,
// open it, read its members and notices, manage it, leave it.
import { expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { PNG } from 'pngjs';
import type { Locator, Page } from 'playwright-core';
import { rememberText } from './secrets.js';
import { WAIT_MS } from './wait.js';

/** A real PNG of random pixels, larger than a group picture may be (so the page must shrink it). */
export function groupPng(width = 480, height = 320): Buffer {
  const image = new PNG({ width, height });
  image.data.set(randomBytes(image.data.length));
  for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
  return PNG.sync.write(image);
}

/** An all-white PNG: what Tor Browser's canvas protection hands back in place of any picture. */
export function whitePng(side = 64): Buffer {
  const image = new PNG({ width: side, height: side });
  image.data.fill(255);
  return PNG.sync.write(image);
}

export const groupItem = (page: Page, name: string) => page.locator('[data-testid=group-item]', { hasText: name });
export const groupTitle = (page: Page) => page.getByTestId('group-title');
export const groupWarning = (page: Page) => page.getByTestId('group-warning');
export const newGroupDialog = (page: Page) => page.getByTestId('new-group-dialog');
export const membersDialog = (page: Page) => page.getByTestId('members-dialog');
export const addMembersDialog = (page: Page) => page.getByTestId('add-members-dialog');

/** Picks contacts by name in a member picker (a dialog's checkboxes). */
async function choose(dialog: Locator, names: readonly string[]): Promise<void> {
  for (const name of names) await dialog.getByRole('checkbox', { name, exact: true }).check();
}

/** Opens the new-group dialog and fills it in (nothing is submitted). */
export async function fillNewGroup(
  page: Page,
  name: string,
  members: readonly string[],
  picture?: Buffer,
): Promise<Locator> {
  rememberText('group name', name);
  await page.getByTestId('new-group-button').click();
  const dialog = newGroupDialog(page);
  await dialog.waitFor({ state: 'visible' });
  await dialog.getByTestId('group-name-input').fill(name);
  if (picture) {
    await dialog
      .getByTestId('group-picture-input')
      .setInputFiles({ name: 'picture.png', mimeType: 'image/png', buffer: picture });
    await dialog.getByTestId('group-picture').waitFor({ state: 'visible' });
  }
  await choose(dialog, members);
  return dialog;
}

/** Makes a group with the given contacts and waits until it is the open conversation. */
export async function createGroup(
  page: Page,
  name: string,
  members: readonly string[],
  picture?: Buffer,
): Promise<void> {
  const dialog = await fillNewGroup(page, name, members, picture);
  await dialog.getByRole('button', { name: 'Create group' }).click();
  await dialog.waitFor({ state: 'hidden', timeout: WAIT_MS });
  await expect.poll(() => groupTitle(page).textContent(), { timeout: WAIT_MS }).toBe(name);
}

/** Opens the group called `name` from the list and waits until it is on screen. */
export async function openGroup(page: Page, name: string, timeout = WAIT_MS): Promise<void> {
  await groupItem(page, name).click({ timeout });
  await expect.poll(() => groupTitle(page).textContent(), { timeout }).toBe(name);
  await page.waitForSelector('#composer', { timeout });
}

/** The open group's members as its members dialog lists them ("You" becomes `me`), with role and check. */
export async function groupMembers(page: Page, me: string): Promise<string[]> {
  const rows = membersDialog(page).getByTestId('group-member');
  return rows.evaluateAll(
    (els, self) =>
      els.map((el) => {
        const name = el.querySelector('[data-testid=group-member-name]')?.textContent ?? '?';
        const check = el.querySelector('[data-testid=group-member-check]')?.getAttribute('data-check') ?? '?';
        return `${name === 'You' ? self : name} ${el.getAttribute('data-role')}${check === 'you' ? '' : ` ${check}`}`;
      }),
    me,
  );
}

/** The open group's membership notices, in order. */
export const groupNotices = (page: Page) =>
  page.locator('[data-testid=group-notice] > span:first-child').allTextContents();

/** Who the runs of other people's messages are from, in order. */
export const senderNames = (page: Page) => page.getByTestId('message-sender').allTextContents();

export async function openMembers(page: Page): Promise<Locator> {
  await page.getByTestId('members-button').click();
  const dialog = membersDialog(page);
  await dialog.waitFor({ state: 'visible' });
  return dialog;
}

export async function closeMembers(page: Page): Promise<void> {
  await membersDialog(page).getByRole('button', { name: 'Close' }).click();
  await membersDialog(page).waitFor({ state: 'hidden' });
}

/** An admin removes `name` through the members dialog, confirming. */
export async function removeMember(page: Page, name: string): Promise<void> {
  const dialog = await openMembers(page);
  await dialog.getByRole('button', { name: `Remove ${name}`, exact: true }).click();
  const confirm = page.getByRole('dialog', { name: `Remove ${name} from the group?` });
  await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
  await confirm.waitFor({ state: 'hidden', timeout: WAIT_MS });
  await closeMembers(page);
}

/** An admin opens "Add people" from the members dialog and picks contacts (nothing is submitted). */
export async function pickToAdd(page: Page, names: readonly string[]): Promise<Locator> {
  const members = await openMembers(page);
  await members.getByRole('button', { name: 'Add people' }).click();
  const dialog = addMembersDialog(page);
  await dialog.waitFor({ state: 'visible' });
  await choose(dialog, names);
  return dialog;
}

export async function addMembers(page: Page, names: readonly string[]): Promise<void> {
  const dialog = await pickToAdd(page, names);
  await dialog.getByRole('button', { name: 'Add to group' }).click();
  await dialog.waitFor({ state: 'hidden', timeout: WAIT_MS });
}

/** Chooses an entry of the open group's "⋮" menu. */
export async function groupMenu(page: Page, entry: string): Promise<void> {
  await page.getByRole('button', { name: /^Options for the group / }).click();
  await page.getByRole('button', { name: entry, exact: true }).click();
}

/** Leaves the open group, confirming. */
export async function leaveGroup(page: Page, title: string): Promise<void> {
  await groupMenu(page, 'Leave group');
  const confirm = page.getByRole('dialog', { name: `Leave ${title}?` });
  await confirm.getByRole('button', { name: 'Leave group' }).click();
  await confirm.waitFor({ state: 'hidden', timeout: WAIT_MS });
}

/** Typing is allowed, but nothing goes out: attach and send stay off, no pending message. */
export async function expectGroupSendingBlocked(page: Page, text: string): Promise<void> {
  await page.fill('#composer', text);
  await page.press('#composer', 'Enter');
  expect(await page.locator('.attach-button').isDisabled()).toBe(true);
  expect(await page.locator('.send-button').isDisabled()).toBe(true);
  expect(await page.locator('[data-testid=message][data-mine=true]', { hasText: text }).count()).toBe(0);
}
