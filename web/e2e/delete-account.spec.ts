// Deleting an account in the browser, for both people in the conversation: Alice chats
// with Bob, sends him a file and writes in Bob's group, then deletes her account. Bob's
// page drops her, the group shows she left, she cannot log in again, and the database
// and file store hold nothing of hers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { logInAt, openAccount, signUpAt } from './support/pages.js';
import { acceptRequest, expectConversation, openConversation, requestFriend, sendText } from './support/chat-steps.js';
import { fileCard, sendFile } from './support/file-steps.js';
import { createGroup, groupItem, openGroup } from './support/group-steps.js';
import { WAIT_MS } from './support/wait.js';

const PASS = {
  alice: 'alpine meadow sunrise 42 quietly',
  bob: 'copper kettle whistles at noon',
  carol: 'seven tin lanterns glow',
};
type Name = keyof typeof PASS;

let server: ServerProcess;
let browser: Browser;
const page = {} as Record<Name, Page>;
let aliceId = '';

beforeAll(async () => {
  server = await startServer({ REGISTRATION: 'open' });
  browser = await launchBrowser();
  for (const name of Object.keys(PASS) as Name[]) page[name] = await (await browser.newContext()).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: server.dbUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function befriend(from: Name, to: Name): Promise<void> {
  await requestFriend(page[from], to);
  await acceptRequest(page[to], from);
  await page[from].locator('[data-testid=friend]', { hasText: to }).waitFor({ timeout: WAIT_MS });
  await page[to].locator('[data-testid=friend]', { hasText: from }).waitFor({ timeout: WAIT_MS });
}

/** What the database holds that names Alice, table by table (only the non-empty ones). */
async function rowsOfAlice(): Promise<Record<string, number>> {
  const [row] = await query<Record<string, string>>(
    `SELECT
       (SELECT count(*) FROM "User" WHERE id = $1)::text AS users,
       (SELECT count(*) FROM "Session" WHERE "userId" = $1)::text AS sessions,
       (SELECT count(*) FROM "Message" WHERE "senderId" = $1)::text AS messages,
       (SELECT count(*) FROM "StoredFile" WHERE "uploaderId" = $1)::text AS files,
       (SELECT count(*) FROM "RoomMember" WHERE "userId" = $1)::text AS memberships,
       (SELECT count(*) FROM "RoomKey" WHERE "memberId" = $1)::text AS "roomKeys",
       (SELECT count(*) FROM "Room" WHERE "directKey" LIKE '%' || $1 || '%')::text AS "directRooms",
       (SELECT count(*) FROM "FriendRequest" WHERE "fromId" = $1 OR "toId" = $1)::text AS requests,
       (SELECT count(*) FROM "Invite" WHERE "createdById" = $1)::text AS invites`,
    [aliceId],
  );
  return Object.fromEntries(
    Object.entries(row!)
      .filter(([, n]) => n !== '0')
      .map(([k, n]) => [k, Number(n)]),
  );
}

describe('deleting an account', () => {
  it('Alice chats with Bob, sends him a file and writes in his group', async () => {
    for (const name of Object.keys(PASS) as Name[])
      await signUpAt(page[name], `${server.origin}/signup/`, name, PASS[name]);
    await befriend('alice', 'bob');
    await befriend('carol', 'bob');
    aliceId = (await query<{ id: string }>(`SELECT id FROM "User" WHERE username = 'alice'`))[0]!.id;

    await openConversation(page.alice, 'bob');
    await sendText(page.alice, 'hello bob, soon I am gone');
    await sendFile(page.alice, 'farewell.bin', 'application/octet-stream', randomBytes(4096));
    await openConversation(page.bob, 'alice');
    await expectConversation(page.bob, ['hello bob, soon I am gone']);
    await fileCard(page.bob, 'farewell.bin').waitFor({ timeout: WAIT_MS });
    await sendText(page.bob, 'bye alice');
    await expectConversation(page.alice, ['hello bob, soon I am gone', 'bye alice']);

    await createGroup(page.bob, 'Trail', ['alice', 'carol']);
    await openGroup(page.alice, 'Trail');
    await sendText(page.alice, 'see you on the trail');
    await openGroup(page.carol, 'Trail');
    await expect
      .poll(() => page.carol.locator('[data-testid=message-text]').allTextContents(), { timeout: WAIT_MS })
      .toContain('see you on the trail');
    const files = await query<{ id: string }>(`SELECT id FROM "StoredFile" WHERE "uploaderId" = $1`, [aliceId]);
    expect(files).toHaveLength(1);
    expect(readdirSync(server.filesDir).some((name) => name.startsWith(files[0]!.id))).toBe(true);
  });

  it('refuses a wrong passphrase with a sentence, at the passphrase field, deleting nothing', async () => {
    await openAccount(page.alice);
    const card = page.alice.locator('section', { has: page.alice.getByRole('heading', { name: 'Delete account' }) });
    await card.waitFor({ timeout: WAIT_MS });
    await card.getByLabel(/Type your username/).fill('alice');
    await card.getByLabel('Your passphrase', { exact: true }).fill('not my passphrase at all');
    await card.getByRole('button', { name: 'Delete my account for good' }).click();
    await expect
      .poll(() => card.locator('[role=alert]').textContent(), { timeout: WAIT_MS })
      .toBe('That passphrase is wrong, so nothing was deleted.');
    await expect.poll(() => page.alice.evaluate(() => document.activeElement?.id)).toBe('delete-passphrase');
    expect(await card.getByLabel('Your passphrase', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect((await rowsOfAlice()).users).toBe(1);
  });

  it('deletes the account: Alice lands on the landing page, told it was deleted', async () => {
    const card = page.alice.locator('section', { has: page.alice.getByRole('heading', { name: 'Delete account' }) });
    await card.getByLabel('Your passphrase', { exact: true }).fill(PASS.alice);
    await card.getByRole('button', { name: 'Delete my account for good' }).click();
    await page.alice.waitForURL(`${server.origin}/`, { timeout: WAIT_MS });
    await expect
      .poll(() => page.alice.locator('.notice').textContent(), { timeout: WAIT_MS })
      .toContain('Your account was deleted');
  });

  it("is gone from Bob's page, and the group says Alice left", async () => {
    // Live: Bob's page is told, without a reload (which would forget his keys).
    await expect
      .poll(() => page.bob.locator('[data-testid=friend]').allTextContents(), { timeout: WAIT_MS })
      .toEqual([expect.stringContaining('carol')]);
    const actions = await query<{ action: string }>(
      `SELECT action FROM "GroupRecord" WHERE "signerId" = $1 ORDER BY index`,
      [aliceId],
    );
    expect(actions.map((a) => a.action)).toEqual(['leave']);
    await expect.poll(() => groupItem(page.carol, 'Trail').count(), { timeout: WAIT_MS }).toBe(1);
  });

  it('does not let Alice log in again, and leaves nothing of hers in the database or the file store', async () => {
    await logInAt(page.alice, server.origin, 'alice', PASS.alice);
    await expect
      .poll(() => page.alice.textContent('[role=alert]'), { timeout: WAIT_MS })
      .toContain('Wrong username or passphrase');
    expect(await rowsOfAlice()).toEqual({});
    expect(await query(`SELECT id FROM "StoredFile"`)).toEqual([]);
    expect(readdirSync(server.filesDir).filter((name) => name.endsWith('.bin'))).toEqual([]);
    // Bob and Carol keep their friendship and the group.
    expect(await query(`SELECT id FROM "Room" WHERE kind = 'direct'`)).toHaveLength(1);
    expect(await query(`SELECT id FROM "Room" WHERE kind = 'group'`)).toHaveLength(1);
  });
});
