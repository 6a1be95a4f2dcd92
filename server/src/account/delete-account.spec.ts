// Deleting an account, on real PostgreSQL and the real file store: what goes, what stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { toBase64 } from '@onionchat/protocol';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { logIn } from '../../test-support/accounts.js';
import { makeGroup } from '../../test-support/groups.js';
import { rawRequest } from '../../test-support/raw-http.js';
import {
  befriend,
  collect,
  connectSocket,
  envelopeFor,
  newUser,
  until,
  type Friendship,
  type User,
} from '../../test-support/social.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_PASSPHRASE_CHANGES_PER_HOUR: '3' });
});
afterAll(() => t.close());

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
  const db = new pg.Client({ connectionString: t.dbUrl });
  await db.connect();
  try {
    return (await db.query<T>(sql, values)).rows;
  } finally {
    await db.end();
  }
}

const count = async (sql: string, values: unknown[]) =>
  Number((await query<{ n: string }>(`SELECT count(*)::text AS n FROM ${sql}`, values))[0]!.n);

async function send(u: User, room: Friendship | { roomId: string }, body?: { clientId: string; envelope: string }) {
  const res = await u.client.post(
    `/api/rooms/${room.roomId}/messages`,
    body ?? envelopeFor(u.account, room as Friendship),
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

async function upload(u: User, roomId: string, size = 1024): Promise<string> {
  const created = await u.client.post<{ file: { id: string } }>(`/api/rooms/${roomId}/files`, { size });
  expect(created.status).toBe(201);
  const id = created.body.file.id;
  const res = await rawRequest(
    t.baseUrl,
    u.client.cookie,
    'PUT',
    `/api/files/${id}/content?offset=0`,
    randomBytes(size),
    {
      'content-type': 'application/octet-stream',
    },
  );
  expect(res.status).toBe(200);
  return id;
}

const stored = (fileId: string) => existsSync(path.join(t.config.FILES_DIR, `${fileId}.bin`));
const deleteAccount = (u: User, authKey: Uint8Array) =>
  u.client.request('DELETE', '/api/account', { currentAuthKey: toBase64(authKey) });

describe('deleting an account', () => {
  it('removes the user, sessions, messages, files and bytes, and direct rooms; friends keep the rest', async () => {
    const [ann, ben, cy, eve] = (await Promise.all(
      ['del_ann', 'del_ben', 'del_cy', 'del_eve'].map((n) => newUser(t, n)),
    )) as [User, User, User, User];
    const withBen = await befriend(ann, ben);
    await befriend(ann, cy);
    const benAndCy = await befriend(ben, cy);
    // A request Ann sent and nobody answered: Eve's list loses it.
    expect((await ann.client.post('/api/friends/requests', { username: eve.account.username })).status).toBe(201);
    const group = await makeGroup(ann, [ben, cy]);

    await send(ann, withBen);
    await send(ben, withBen);
    await send(ben, benAndCy);
    await send(ann, group, group.message(ann.account));
    await send(cy, group, group.message(cy.account));
    const annFile = await upload(ann, withBen.roomId);
    const benFileWithAnn = await upload(ben, withBen.roomId);
    const annGroupFile = await upload(ann, group.roomId);
    const benFileWithCy = await upload(ben, benAndCy.roomId);

    const annElsewhere = t.client();
    await logIn(annElsewhere, ann.account);
    const annSocket = await connectSocket(t.baseUrl, annElsewhere);
    let annDisconnected = false;
    annSocket.on('disconnect', () => (annDisconnected = true));
    const [benSocket, eveSocket] = await Promise.all([
      connectSocket(t.baseUrl, ben.client),
      connectSocket(t.baseUrl, eve.client),
    ]);
    const toBen = collect(benSocket, 'friends:changed');
    const toEve = collect(eveSocket, 'friends:changed');

    const res = await deleteAccount(ann, ann.account.authKey);
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/^oc_session=;/);

    const id = ann.account.id;
    expect(await count('"User" WHERE id = $1', [id])).toBe(0);
    expect(await count('"Session" WHERE "userId" = $1', [id])).toBe(0);
    expect(await count('"Message" WHERE "senderId" = $1', [id])).toBe(0);
    expect(await count('"StoredFile" WHERE "uploaderId" = $1', [id])).toBe(0);
    expect(await count('"RoomMember" WHERE "userId" = $1', [id])).toBe(0);
    expect(await count('"RoomKey" WHERE "memberId" = $1', [id])).toBe(0);
    // The group key Ann wrapped for Ben and Cy is theirs: they still read the group with it.
    expect(await count('"RoomKey" WHERE "roomId" = $1 AND "memberId" <> $2', [group.roomId, id])).toBe(2);
    expect(await count('"FriendRequest" WHERE "fromId" = $1 OR "toId" = $1', [id])).toBe(0);
    expect(await count('"Room" WHERE "directKey" LIKE $1', [`%${id}%`])).toBe(0);
    // Both sides of the direct room went, Ben's half and his file in it too.
    expect(await count('"Room" WHERE id = $1', [withBen.roomId])).toBe(0);
    expect(await count('"Message" WHERE "roomId" = $1', [withBen.roomId])).toBe(0);
    for (const file of [annFile, benFileWithAnn, annGroupFile]) expect(stored(file), file).toBe(false);

    // Everything else of Ben's and Cy's is untouched.
    expect(await count('"Room" WHERE id = $1', [benAndCy.roomId])).toBe(1);
    expect(await count('"Message" WHERE "roomId" = $1', [benAndCy.roomId])).toBe(1);
    expect(stored(benFileWithCy)).toBe(true);
    expect(await count('"RoomMember" WHERE "roomId" = $1', [group.roomId])).toBe(2);
    expect(await count('"Message" WHERE "roomId" = $1 AND "senderId" = $2', [group.roomId, cy.account.id])).toBe(1);
    expect((await ben.client.get(`/api/rooms/${group.roomId}/messages`)).status).toBe(200);

    const benFriends = await ben.client.get<{ friends: { user: { id: string } }[] }>('/api/friends');
    expect(benFriends.body.friends.map((f) => f.user.id)).toEqual([cy.account.id]);
    await until(() => toBen.length > 0 && toEve.length > 0 && annDisconnected);

    // Every session of the account ended; logging in again finds nobody.
    expect((await ann.client.get('/api/account')).status).toBe(401);
    expect((await annElsewhere.get('/api/account')).status).toBe(401);
    expect((await logIn(t.client(), ann.account)).status).toBe(401);
    [annSocket, benSocket, eveSocket].forEach((s) => s.close());
  });

  it('deletes a group its last member leaves with the account, with the group files bytes', async () => {
    const [fay, gus] = (await Promise.all(['del_fay', 'del_gus'].map((n) => newUser(t, n)))) as [User, User];
    await befriend(fay, gus);
    const group = await makeGroup(fay, [gus]);
    const gusFile = await upload(gus, group.roomId);
    expect((await deleteAccount(gus, gus.account.authKey)).status).toBe(204);
    expect(await count('"Room" WHERE id = $1', [group.roomId])).toBe(1);
    const fayFile = await upload(fay, group.roomId);
    expect(stored(gusFile)).toBe(false);
    expect((await deleteAccount(fay, fay.account.authKey)).status).toBe(204);
    expect(await count('"Room" WHERE id = $1', [group.roomId])).toBe(0);
    expect(await count('"GroupRecord" WHERE "roomId" = $1', [group.roomId])).toBe(0);
    expect(stored(fayFile)).toBe(false);
  });

  it('refuses a wrong passphrase with a sentence and deletes nothing; the attempts are limited', async () => {
    const [hal, ida] = (await Promise.all(['del_hal', 'del_ida'].map((n) => newUser(t, n)))) as [User, User];
    const room = await befriend(hal, ida);
    await send(hal, room);
    const file = await upload(hal, room.roomId);

    const wrong = await deleteAccount(hal, randomBytes(32));
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'wrong_credentials', message: 'The current passphrase is wrong.' });
    expect(await count('"User" WHERE id = $1', [hal.account.id])).toBe(1);
    expect(await count('"Message" WHERE "senderId" = $1', [hal.account.id])).toBe(1);
    expect(await count('"Room" WHERE id = $1', [room.roomId])).toBe(1);
    expect(stored(file)).toBe(true);
    expect((await hal.client.get('/api/account')).status).toBe(200);

    const malformed = await hal.client.request('DELETE', '/api/account', {});
    expect(malformed.status).toBe(400);

    // The passphrase-change budget (3 here): two more guesses, then 429 even for the right one.
    expect((await deleteAccount(hal, randomBytes(32))).status).toBe(401);
    expect((await deleteAccount(hal, randomBytes(32))).status).toBe(401);
    expect((await deleteAccount(hal, hal.account.authKey)).status).toBe(429);
    expect(await count('"User" WHERE id = $1', [hal.account.id])).toBe(1);
  });
});
