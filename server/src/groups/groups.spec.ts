// Making a group and reading its records: POST /api/groups and GET /api/groups/:id/records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_MAX_MEMBERS, newUuid, randomBytes, toBase64, WRAPPED_ROOM_KEY_V2_BYTES } from '@onionchat/protocol';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { createGroup, joining, makeGroup, postRecord, TestGroup } from '../../test-support/groups.js';
import { befriend, collect, connectSocket, newUser, until, type User } from '../../test-support/social.js';
import { storedState, type StoredState } from '../../test-support/state.js';
import { groupBodyLimitBytes } from './group-limits.js';

let t: TestApp;
let state: StoredState;
let ann: User;
let ben: User;
let cy: User;
beforeAll(async () => {
  t = await startTestApp({ GROUP_RECORDS_PAGE_MAX: '2' });
  state = await storedState(t.dbUrl);
  [ann, ben, cy] = [await newUser(t, 'gr_ann'), await newUser(t, 'gr_ben'), await newUser(t, 'gr_cy')];
  await befriend(ann, ben);
  await befriend(ann, cy);
});
afterAll(async () => {
  await state?.close();
  await t?.close();
});

type Rooms = { rooms: { id: string; kind: string; epoch: number; members: { id: string }[] }[] };
type Records = { records: { index: number; record: string; afterSeq: number }[]; hasMore: boolean };

/** `by` posts a create record and keys as given; the answer and whether anything was stored. */
async function refusedCreate(by: User, body: unknown) {
  const before = await state.snapshot();
  const res = await by.client.post('/api/groups', body);
  expect(await state.snapshot(), `stored something: ${JSON.stringify(res.body)}`).toEqual(before);
  return res;
}

describe('POST /api/groups', () => {
  it('makes a group of friends: answers its room, lists it as a group, files record 0 and epoch 1', async () => {
    const socket = await connectSocket(t.baseUrl, ben.client);
    const changed = collect<{ roomId: string; index: number }>(socket, 'group:changed');
    const { group, res } = await createGroup(ann, [ben, cy]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body['room']).toMatchObject({ id: group.roomId, kind: 'group', epoch: 1, lastSeq: 0, unread: 0 });
    const members = (res.body['room'] as { members: { id: string }[] }).members.map((m) => m.id).sort();
    expect(members).toEqual([ann, ben, cy].map((u) => u.account.id).sort());
    await until(() => changed.length === 1);
    expect(changed).toEqual([{ roomId: group.roomId, index: 0 }]);
    socket.close();

    const listed = (await cy.client.get<Rooms>('/api/rooms')).body.rooms.find((r) => r.id === group.roomId);
    expect(listed).toMatchObject({ kind: 'group', epoch: 1 });
    const records = await cy.client.get<Records>(`/api/groups/${group.roomId}/records`);
    expect(records.body).toEqual({ records: [{ index: 0, record: expect.any(String), afterSeq: 0 }], hasMore: false });
    const keys = await cy.client.get<{ keys: { epoch: number; wrapperId: string }[] }>(
      `/api/rooms/${group.roomId}/keys`,
    );
    expect(keys.body.keys.map((k) => [k.epoch, k.wrapperId])).toEqual([[1, ann.account.id]]);
    // A group is not a friendship.
    const friends = await ann.client.get<{ friends: { roomId: string }[] }>('/api/friends');
    expect(friends.body.friends.map((f) => f.roomId)).not.toContain(group.roomId);
    expect(friends.body.friends).toHaveLength(2);
  });

  it('refuses someone who is not a friend, naming them, and stores nothing', async () => {
    const dee = await newUser(t, 'gr_dee');
    const group = new TestGroup();
    const record = group.record(ann.account, 'create', [joining(ann.account, 'admin'), joining(dee.account)]);
    const res = await refusedCreate(ann, {
      record: toBase64(record),
      keys: group.wrap(1, ann.account, [ann.account, dee.account]),
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'not_friends' });
    expect(res.body['message']).toBe(
      `Only your friends can be added to a group, and user ${dee.account.id} is not your friend.`,
    );
  });

  it('refuses a user the caller blocked by name, and one who blocked the caller like a stranger', async () => {
    const [eve, fay] = [await newUser(t, 'gr_eve'), await newUser(t, 'gr_fay')];
    await befriend(ann, eve);
    await befriend(ann, fay);
    await ann.client.post('/api/blocks', { username: 'gr_eve' });
    await fay.client.post('/api/blocks', { username: 'gr_ann' });
    for (const [who, code, message] of [
      [eve, 'you_blocked', 'You blocked gr_eve. Unblock them before you add them to a group.'],
      [fay, 'not_friends', `Only your friends can be added to a group, and user ${fay.account.id} is not your friend.`],
    ] as const) {
      const group = new TestGroup();
      const record = group.record(ann.account, 'create', [joining(ann.account, 'admin'), joining(who.account)]);
      const res = await refusedCreate(ann, {
        record: toBase64(record),
        keys: group.wrap(1, ann.account, [ann.account, who.account]),
      });
      expect([res.status, res.body['code'], res.body['message']]).toEqual([403, code, message]);
    }
  });

  it("refuses a signing key that is not the member's published one (409 key_changed)", async () => {
    const group = new TestGroup();
    const wrongKey = { ...joining(ben.account), signPublicKey: randomBytes(32) };
    const record = group.record(ann.account, 'create', [joining(ann.account, 'admin'), wrongKey]);
    const res = await refusedCreate(ann, {
      record: toBase64(record),
      keys: group.wrap(1, ann.account, [ann.account, ben.account]),
    });
    expect([res.status, res.body['code']]).toEqual([409, 'key_changed']);
    expect(res.body['message']).toMatch(
      /^The signing key this record gives for gr_ben is not the one gr_ben publishes/,
    );
  });

  it('refuses a record signed in the name of someone else, a forged one, and bytes that are no record', async () => {
    const group = new TestGroup();
    const entries = [joining(ben.account, 'admin'), joining(ann.account)];
    const keys = group.wrap(1, ann.account, [ann.account, ben.account]);
    const byBen = group.record(ben.account, 'create', entries);
    const wrongSigner = await refusedCreate(ann, { record: toBase64(byBen), keys });
    expect([wrongSigner.status, wrongSigner.body['code']]).toEqual([403, 'wrong_signer']);
    expect(wrongSigner.body['message']).toMatch(/signed in the name of someone else/);

    const forged = group.record(ann.account, 'create', [joining(ann.account, 'admin'), joining(ben.account)]);
    const last = forged.length - 65; // the last byte of the info, under the signature
    forged[last] = forged[last]! ^ 1;
    const bad = await refusedCreate(ann, { record: toBase64(forged), keys });
    expect([bad.status, bad.body['code']]).toEqual([400, 'bad_signature']);
    expect(bad.body['message']).toMatch(/^record: Group record 0 is not signed by .*changed after it was signed/);

    const noise = await refusedCreate(ann, { record: toBase64(randomBytes(200)), keys });
    expect([noise.status, noise.body['code']]).toEqual([400, 'invalid_record']);
    expect(noise.body['message']).toMatch(/^record: /);
  });

  it('refuses a first record that is not a create at index 0, and keys that do not cover every member', async () => {
    const group = new TestGroup();
    const members = [ann.account, ben.account];
    const entries = [joining(ann.account, 'admin'), joining(ben.account)];
    const keys = group.wrap(1, ann.account, members);
    const notFirst = group.record(ann.account, 'create', entries, { index: 1 });
    const chain = await refusedCreate(ann, { record: toBase64(notFirst), keys });
    expect([chain.status, chain.body['code']]).toEqual([400, 'bad_chain']);
    const record = toBase64(group.record(ann.account, 'create', entries));
    const cases: [string, unknown][] = [
      ['a member missing', keys.slice(0, 1)],
      ['someone else', group.wrap(1, ann.account, [ann.account, cy.account])],
      ['another wrapper', group.wrap(1, ben.account, members)],
      ['another epoch', group.wrap(2, ann.account, members)],
    ];
    for (const [what, wrapped] of cases) {
      const res = await refusedCreate(ann, { record, keys: wrapped });
      expect([res.status, res.body['code']], what).toEqual([400, 'invalid_record']);
      expect(res.body['message'], what).toMatch(/^keys: /);
    }
    expect((await refusedCreate(ann, { record, keys: [] })).status).toBe(400);
  });

  it('answers 409 room_taken to a group whose id is in use', async () => {
    const taken = await makeGroup(ann, [ben]);
    const again = new TestGroup(taken.roomId);
    const record = again.record(ann.account, 'create', [joining(ann.account, 'admin'), joining(cy.account)]);
    const res = await refusedCreate(ann, {
      record: toBase64(record),
      keys: again.wrap(1, ann.account, [ann.account, cy.account]),
    });
    expect([res.status, res.body['code']]).toEqual([409, 'room_taken']);
  });

  it('takes a body over BODY_LIMIT_BYTES up to the group limit, on the group routes only', async () => {
    const limit = groupBodyLimitBytes(t.config);
    expect(limit).toBeGreaterThan(t.config.BODY_LIMIT_BYTES);
    const padding = 'A'.repeat(200_000);
    const big = await ann.client.post('/api/groups', { record: padding, keys: [] });
    expect(big.status).toBe(400);
    expect(big.body['message']).toMatch(/^record: must be at most/);
    const tooBig = await ann.client.post('/api/groups', { record: 'A'.repeat(limit + 10), keys: [] });
    expect([tooBig.status, tooBig.body['code']]).toEqual([413, 'body_too_large']);
    const elsewhere = await ann.client.post('/api/friends/requests', { username: padding });
    expect(elsewhere.status).toBe(413);
  });

  it('reads the largest create a full group can send: 100 entries, 64 KiB of info, 100 hybrid keys', async () => {
    const group = new TestGroup();
    const others = Array.from({ length: GROUP_MAX_MEMBERS - 1 }, () => newUuid());
    const entries = [
      joining(ann.account, 'admin'),
      ...others.map((userId) => ({ userId, role: 'member' as const, signPublicKey: randomBytes(32) })),
    ];
    const record = group.record(ann.account, 'create', entries, { info: randomBytes(0xffff) });
    const keys = [ann.account.id, ...others].map((memberId) => ({
      memberId,
      record: toBase64(randomBytes(WRAPPED_ROOM_KEY_V2_BYTES)),
    }));
    const body = JSON.stringify({ record: toBase64(record), keys });
    expect(body.length).toBeGreaterThan(t.config.BODY_LIMIT_BYTES * 2);
    const res = await refusedCreate(ann, { record: toBase64(record), keys });
    expect([res.status, res.body['code']]).toEqual([403, 'not_friends']);
  });
});

describe('GET /api/groups/:id/records', () => {
  it('pages the records after an index, GROUP_RECORDS_PAGE_MAX at a time', async () => {
    const group = await makeGroup(ann, [ben]);
    for (let i = 0; i < 3; i++) {
      expect((await postRecord(ann, group, group.record(ann.account, 'rename'))).status).toBe(201);
    }
    const url = `/api/groups/${group.roomId}/records`;
    const first = await ben.client.get<Records>(url);
    expect([first.body.records.map((r) => r.index), first.body.hasMore]).toEqual([[0, 1], true]);
    const next = await ben.client.get<Records>(`${url}?after=1`);
    expect([next.body.records.map((r) => r.index), next.body.hasMore]).toEqual([[2, 3], false]);
    expect((await ben.client.get<Records>(`${url}?after=3`)).body).toEqual({ records: [], hasMore: false });
    for (const bad of ['-1', '1.5', 'x', '4294967296']) {
      const res = await ben.client.get(`${url}?after=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body['message'], bad).toMatch(/^after: /);
    }
  });

  it('answers 404 to a non-member, for a direct room, and for an id that is no room, alike', async () => {
    const group = await makeGroup(ann, [ben]);
    const direct = await befriend(ben, cy);
    const outsider = await cy.client.get(`/api/groups/${group.roomId}/records`);
    const directRoom = await cy.client.get(`/api/groups/${direct.roomId}/records`);
    const missing = await cy.client.get(`/api/groups/${newUuid()}/records`);
    expect([outsider.status, directRoom.status, missing.status]).toEqual([404, 404, 404]);
    expect(outsider.body).toEqual(missing.body);
    expect(directRoom.body).toEqual(missing.body);
    expect(missing.body['message']).toBe('No such group.');
  });
});
