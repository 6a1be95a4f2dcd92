// Four people in real Chromium against the real server: Alice makes a group with Bob
// and Carol (a name and a picture, sealed), they chat live; Alice removes Bob, who sees
// he is out and gets nothing sent afterwards (no key for it either); Alice adds Dave, who
// reads what comes after and nothing from before; Carol leaves. Every change is a notice
// in the conversation, and the member list each page shows is the one it verified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { signUpAt } from './support/pages.js';
import { rememberText } from './support/secrets.js';
import { downloadFile, sendFile } from './support/file-steps.js';
import { acceptRequest, messageTexts, openConversation, requestFriend, sendText } from './support/chat-steps.js';
import {
  addMembers,
  closeMembers,
  expectGroupSendingBlocked,
  fillNewGroup,
  groupItem,
  groupMembers,
  groupMenu,
  groupNotices,
  groupPng,
  whitePng,
  groupTitle,
  leaveGroup,
  newGroupDialog,
  openGroup,
  openMembers,
  pickToAdd,
  removeMember,
  senderNames,
} from './support/group-steps.js';
import { WAIT_MS } from './support/wait.js';

const PASS = {
  alice: 'she keeps the night shift going',
  bob: 'he brings coffee at midnight',
  carol: 'checks every source twice over',
  dave: 'joins the desk on friday morning',
};
type Name = keyof typeof PASS;
const NAMES = Object.keys(PASS) as Name[];
const GROUP = 'Night desk';

let server: ServerProcess;
let browser: Browser;
const page = {} as Record<Name, Page>;
let roomId = '';

beforeAll(async () => {
  // A small limit, so the size error can be met with four people.
  server = await startServer({ REGISTRATION: 'open', GROUP_MAX_MEMBERS: '3' });
  browser = await launchBrowser();
  await Promise.all(
    NAMES.map(async (name) => {
      page[name] = await (await browser.newContext()).newPage();
      await signUpAt(page[name], `${server.origin}/signup/`, name, PASS[name]);
    }),
  );
  for (const [i, friend] of (['bob', 'carol', 'dave'] as const).entries()) {
    await requestFriend(page.alice, friend);
    await page.alice.getByTestId('outgoing-request').nth(i).waitFor({ timeout: WAIT_MS });
  }
  await Promise.all((['bob', 'carol', 'dave'] as const).map((name) => acceptRequest(page[name], 'alice')));
  await page.alice.getByTestId('friend').nth(2).waitFor({ timeout: WAIT_MS });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function send(from: Page, text: string): Promise<void> {
  await sendText(from, text);
  await expect
    .poll(() => from.locator('[data-testid=message][data-mine=true][data-state=sent]', { hasText: text }).count())
    .toBe(1);
}

const texts = (name: Name) => messageTexts(page[name]);
const unread = (name: Name) => groupItem(page[name], GROUP).getByTestId('unread');

/** The room keys the server holds for the group, as "epoch:username". */
async function wrappedKeys(): Promise<string[]> {
  const client = new pg.Client({ connectionString: server.dbUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ epoch: number; username: string }>(
      `SELECT k.epoch, u.username FROM "RoomKey" k JOIN "User" u ON u.id = k."memberId" WHERE k."roomId" = $1`,
      [roomId],
    );
    return rows.map((row) => `${row.epoch}:${row.username}`).sort();
  } finally {
    await client.end();
  }
}

/** What a page's own session gets when it asks the server for the group's messages and keys. */
async function serverAnswers(from: Page): Promise<number[]> {
  return from.evaluate(async (id) => {
    const messages = await fetch(`/api/rooms/${id}/messages?after=0&limit=100`);
    const keys = await fetch(`/api/rooms/${id}/keys`);
    return [messages.status, keys.status];
  }, roomId);
}

describe('a group in the browser', () => {
  it('is made from friends with a name and a picture; the size limit is a clear error', async () => {
    // A picture that comes out blank (as Tor Browser's canvas protection makes any) is refused with how to allow it.
    await page.alice.getByTestId('new-group-button').click();
    const first = newGroupDialog(page.alice);
    await first
      .getByTestId('group-picture-input')
      .setInputFiles({ name: 'white.png', mimeType: 'image/png', buffer: whitePng() });
    await expect.poll(() => first.getByRole('alert').first().textContent()).toContain('came out blank');
    await first.getByRole('button', { name: 'Cancel' }).click();
    await first.waitFor({ state: 'hidden' });
    const dialog = await fillNewGroup(page.alice, GROUP, ['bob', 'carol', 'dave'], groupPng());
    // Four members (Alice and three) over a limit of three: said at once, and Create changes nothing.
    await expect.poll(() => dialog.locator('.alert').textContent()).toContain('at most 3 members');
    await dialog.getByRole('button', { name: 'Create group' }).click();
    expect(await dialog.isVisible()).toBe(true);
    // Nothing typed or chosen is lost: the name and the picture are still there.
    expect(await dialog.getByTestId('group-name-input').inputValue()).toBe(GROUP);
    const picture = (await dialog.getByTestId('group-picture').getAttribute('src'))!;
    expect(picture).toMatch(/^data:image\/jpeg;base64,/);
    expect(picture.length).toBeLessThanOrEqual(48_000);
    rememberText('group picture', picture.slice(-400));
    await dialog.getByRole('checkbox', { name: 'dave', exact: true }).uncheck();
    await expect.poll(() => dialog.locator('.alert').textContent()).toBe('');
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await newGroupDialog(page.alice).waitFor({ state: 'hidden', timeout: WAIT_MS });
    await expect.poll(() => groupTitle(page.alice).textContent(), { timeout: WAIT_MS }).toBe(GROUP);
    roomId = (await groupItem(page.alice, GROUP).getAttribute('data-room-link'))!;
    expect(roomId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.alice.getByTestId('group-picture').first().getAttribute('src')).toBe(picture);
    expect(await groupNotices(page.alice)).toEqual(['You created the group']);
    expect(await wrappedKeys()).toEqual(['1:alice', '1:bob', '1:carol']);
  });

  it('shows all three the same verified members, name and picture, and they chat live with names on messages', async () => {
    await Promise.all([openGroup(page.bob, GROUP), openGroup(page.carol, GROUP)]);
    const picture = await page.alice
      .locator('[data-testid=group-header] [data-testid=group-picture]')
      .getAttribute('src');
    const expected = ['alice admin', 'bob member', 'carol member'];
    for (const name of ['alice', 'bob', 'carol'] as const) {
      expect(
        await page[name].locator('[data-testid=group-header] [data-testid=group-picture]').getAttribute('src'),
      ).toBe(picture);
      expect(await page[name].getByTestId('group-member-count').textContent()).toBe('3 members');
      await openMembers(page[name]);
      const listed = (await groupMembers(page[name], name)).map((row) => row.split(' ').slice(0, 2).join(' '));
      expect(listed.sort()).toEqual(expected);
      await closeMembers(page[name]);
    }
    // Each contact's keys are as the chain holds them: for Bob, Alice is a contact and Carol someone Alice added.
    expect((await groupMembers(page.bob, 'bob')).sort()).toEqual([
      'alice admin contact',
      'bob member',
      'carol member added-by',
    ]);
    expect(await groupNotices(page.bob)).toEqual(['alice created the group']);
    expect(await page.dave.locator('[data-testid=group-item]').count()).toBe(0);

    await send(page.alice, 'evening all, this is the desk');
    await send(page.bob, 'bob here, on it');
    await send(page.bob, 'and a second line from bob');
    await expect
      .poll(() => texts('carol'))
      .toEqual(['evening all, this is the desk', 'bob here, on it', 'and a second line from bob']);
    expect(await senderNames(page.carol)).toEqual(['alice', 'bob']);
    await expect.poll(() => texts('alice')).toHaveLength(3);
    expect(await senderNames(page.alice)).toEqual(['bob']);
    // Both members have the group open: their signed receipts say they read bob's messages.
    const bobsLast = page.bob.locator('[data-testid=message][data-mine=true]', {
      hasText: 'and a second line from bob',
    });
    await expect.poll(() => bobsLast.getByTestId('delivery').textContent()).toBe('Read by all 2');

    // Carol looks elsewhere: what comes in meanwhile counts as unread in the list.
    await openConversation(page.carol, 'alice');
    await send(page.bob, 'carol, are you there?');
    await expect.poll(() => unread('carol').textContent(), { timeout: WAIT_MS }).toBe('1');
    await openGroup(page.carol, GROUP);
    await expect.poll(() => unread('carol').count()).toBe(0);
    await expect.poll(() => texts('carol')).toContain('carol, are you there?');
  });

  it('removes Bob: he sees he is out, gets nothing sent afterwards and holds no key for it', async () => {
    await removeMember(page.alice, 'bob');
    await expect.poll(() => groupNotices(page.alice)).toContain('You removed bob; a new key is in use');
    await expect
      .poll(() => groupNotices(page.carol), { timeout: WAIT_MS })
      .toContain('alice removed bob; a new key is in use');
    await page.bob.getByTestId('group-gone').waitFor({ timeout: WAIT_MS });
    expect(await page.bob.getByTestId('group-gone').textContent()).toContain('You are no longer in this group');
    await expectGroupSendingBlocked(page.bob, 'bob tries to write after removal');
    await expect.poll(() => page.carol.getByTestId('group-member-count').textContent()).toBe('2 members');

    await send(page.alice, 'after bob left: the source is confirmed');
    await expect.poll(() => texts('carol')).toContain('after bob left: the source is confirmed');
    expect(await texts('bob')).not.toContain('after bob left: the source is confirmed');
    expect(await page.bob.content()).not.toContain('the source is confirmed');
    expect(await texts('alice')).not.toContain('bob tries to write after removal');
    // The server answers him as a stranger, and the new epoch's key was never wrapped for him.
    expect(await serverAnswers(page.bob)).toEqual([404, 404]);
    expect(await wrappedKeys()).toEqual(['1:alice', '1:bob', '1:carol', '2:alice', '2:carol']);
  });

  it('adds Dave within the limit: he reads what comes after, nothing from before', async () => {
    // Bob is Alice's contact but would make four: refused with the limit, nothing posted.
    const tooMany = await pickToAdd(page.alice, ['bob', 'dave']);
    await expect.poll(() => tooMany.locator('.alert').textContent()).toContain('at most 3 members');
    await tooMany.getByRole('button', { name: 'Cancel' }).click();
    await addMembers(page.alice, ['dave']);
    await expect.poll(() => groupNotices(page.alice)).toContain('You added dave');
    await expect.poll(() => groupNotices(page.carol), { timeout: WAIT_MS }).toContain('alice added dave');
    await groupItem(page.dave, GROUP).waitFor({ timeout: WAIT_MS });
    await openGroup(page.dave, GROUP);
    await send(page.carol, 'welcome dave, from carol');
    await expect.poll(() => texts('dave'), { timeout: WAIT_MS }).toEqual(['welcome dave, from carol']);
    expect(await senderNames(page.dave)).toEqual(['carol']);
    const content = await page.dave.content();
    for (const earlier of ['this is the desk', 'bob here', 'the source is confirmed'])
      expect(content).not.toContain(earlier);
    expect(await groupNotices(page.dave)).toContain('alice added you');
    expect(await page.dave.getByTestId('group-member-count').textContent()).toBe('3 members');
    expect(await wrappedKeys()).toContain('3:dave');
    expect((await wrappedKeys()).filter((key) => key.endsWith(':dave'))).toEqual(['3:dave']);
    // Bob, removed, never hears of any of it.
    expect(await page.bob.content()).not.toContain('welcome dave');
  });

  it('lets Carol leave: the others see it, the list and the member count follow', async () => {
    await leaveGroup(page.carol, GROUP);
    await expect.poll(() => groupItem(page.carol, GROUP).count(), { timeout: WAIT_MS }).toBe(0);
    await expect.poll(() => groupNotices(page.dave), { timeout: WAIT_MS }).toContain('carol left; a new key is in use');
    await expect.poll(() => page.alice.getByTestId('group-member-count').textContent()).toBe('2 members');
    await openMembers(page.alice);
    expect(await groupMembers(page.alice, 'alice')).toEqual(['alice admin', 'dave member contact']);
    await closeMembers(page.alice);

    // Dave looks away; Alice writes; the badge counts it, and opening the group clears it.
    await openConversation(page.dave, 'alice');
    await send(page.alice, 'just the two of us now');
    await expect.poll(() => unread('dave').textContent(), { timeout: WAIT_MS }).toBe('1');
    await openGroup(page.dave, GROUP);
    await expect.poll(() => texts('dave')).toEqual(['welcome dave, from carol', 'just the two of us now']);
    await expect.poll(() => unread('dave').count()).toBe(0);
    expect(await page.carol.content()).not.toContain('just the two of us now');
    expect(await serverAnswers(page.carol)).toEqual([404, 404]);
  });

  it('carries a file: Alice sends one with progress, Dave downloads it byte for byte', async () => {
    const bytes = randomBytes(300_000);
    await sendFile(page.alice, 'minutes.pdf', 'application/pdf', bytes);
    expect((await downloadFile(page.dave, 'minutes.pdf')).equals(bytes)).toBe(true);
  });

  it('makes Dave an admin (the last admin cannot step down), who is offered only his own contacts and renames the group', async () => {
    const members = await openMembers(page.alice);
    await members.getByRole('button', { name: 'Step down as admin' }).click();
    await expect.poll(() => members.locator('.alert').textContent()).toContain('the group’s only admin');
    await members.getByRole('button', { name: 'Make admin (dave)' }).click();
    await expect.poll(() => groupNotices(page.dave), { timeout: WAIT_MS }).toContain('alice made you an admin');
    await expect.poll(() => members.locator('.alert').textContent()).toBe('');
    await closeMembers(page.alice);
    await expect.poll(() => groupMembers(page.dave, 'dave')).toEqual(['alice admin contact', 'dave admin']);

    // Bob and Carol are Alice's contacts, not Dave's: he is not offered them.
    const add = await pickToAdd(page.dave, []);
    expect(await add.getByRole('checkbox').count()).toBe(0);
    expect(await add.textContent()).toContain('None of your contacts can be added');
    await add.getByRole('button', { name: 'Cancel' }).click();

    rememberText('group name', 'Night desk, weekends');
    await groupMenu(page.dave, 'Name and picture');
    const edit = page.dave.getByTestId('group-info-dialog');
    await edit.getByLabel('Group name').fill('Night desk, weekends');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden', timeout: WAIT_MS });
    await expect.poll(() => groupTitle(page.alice).textContent(), { timeout: WAIT_MS }).toBe('Night desk, weekends');
    expect(await groupNotices(page.alice)).toContain('dave renamed the group');
    // The picture stays as it was.
    expect(await page.alice.locator('[data-testid=group-header] [data-testid=group-picture]').count()).toBe(1);
  });
});
