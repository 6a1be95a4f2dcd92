// A group's keys and messages across its epochs: after a leave a member who stays posts
// the next key through POST /api/rooms/:id/keys (once, complete); messages sealed under
// an ended epoch, or sent by someone no longer in the group, are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { makeGroup, naming, postRecord, type TestGroup } from '../../test-support/groups.js';
import { befriend, collect, connectSocket, emitWithAck, newUser, until, type User } from '../../test-support/social.js';

let t: TestApp;
let ann: User;
let ben: User;
let cy: User;
let dee: User;
beforeAll(async () => {
  t = await startTestApp({ RATE_MESSAGES_PER_MINUTE: '1000' });
  [ann, ben, cy, dee] = [
    await newUser(t, 'gk_ann'),
    await newUser(t, 'gk_ben'),
    await newUser(t, 'gk_cy'),
    await newUser(t, 'gk_dee'),
  ];
  for (const friend of [ben, cy]) await befriend(ann, friend);
});
afterAll(() => t?.close());

const postKeys = (by: User, group: TestGroup, epoch: number, keys: unknown) =>
  by.client.post(`/api/rooms/${group.roomId}/keys`, { epoch, keys });
const send = (by: User, group: TestGroup, epoch?: number) =>
  by.client.post(`/api/rooms/${group.roomId}/messages`, group.message(by.account, epoch));
type Keys = { keys: { epoch: number; wrapperId: string }[] };

/** A group of ann (admin), ben and cy that cy has just left: it is in epoch 2 with no key yet. */
async function afterCyLeft(): Promise<TestGroup> {
  const group = await makeGroup(ann, [ben, cy]);
  const leave = await postRecord(cy, group, group.record(cy.account, 'leave'));
  expect(leave.status, JSON.stringify(leave.body)).toBe(201);
  return group;
}

describe('the key after a leave', () => {
  it('is posted by a member who stays, once, for exactly the members who stay', async () => {
    const group = await afterCyLeft();
    const stay = [ann.account, ben.account];
    // Sealed under the ended epoch: refused with the code that says seal it again.
    const stale = await send(ben, group, 1);
    expect([stale.status, stale.body['code']]).toEqual([409, 'stale_epoch']);
    const missing = await postKeys(ben, group, 2, group.wrap(2, ben.account, stay).slice(1));
    expect([missing.status, missing.body['code']]).toEqual([400, 'invalid_record']);
    const leaver = await postKeys(ben, group, 2, group.wrap(2, ben.account, [...stay, cy.account]));
    expect([leaver.status, leaver.body['code']]).toEqual([400, 'invalid_record']);
    const byLeaver = await postKeys(cy, group, 2, group.wrap(2, cy.account, stay));
    expect(byLeaver.status).toBe(404);

    const socket = await connectSocket(t.baseUrl, ann.client);
    const heard = collect<{ roomId: string; epoch: number }>(socket, 'room:key');
    const first = await postKeys(ben, group, 2, group.wrap(2, ben.account, stay));
    expect([first.status, first.body]).toEqual([201, { epoch: 2 }]);
    await until(() => heard.length === 1);
    expect(heard).toEqual([{ roomId: group.roomId, epoch: 2 }]);
    socket.close();
    const second = await postKeys(ann, group, 2, group.wrap(2, ann.account, stay));
    expect([second.status, second.body['code']]).toEqual([409, 'epoch_taken']);
    expect(second.body['message']).toMatch(/already posted the keys of this group's current epoch/);
    const keys = await ann.client.get<Keys>(`/api/rooms/${group.roomId}/keys`);
    expect(keys.body.keys.map((k) => [k.epoch, k.wrapperId])).toEqual([
      [1, ann.account.id],
      [2, ben.account.id],
    ]);
    expect((await send(ann, group)).status).toBe(201);
  });

  it('lets exactly one of two members racing with complete sets win', async () => {
    const group = await afterCyLeft();
    const stay = [ann.account, ben.account];
    const answers = await Promise.all([
      postKeys(ann, group, 2, group.wrap(2, ann.account, stay)),
      postKeys(ben, group, 2, group.wrap(2, ben.account, stay)),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const keys = await ben.client.get<Keys>(`/api/rooms/${group.roomId}/keys`);
    expect(keys.body.keys.filter((k) => k.epoch === 2)).toHaveLength(1);
  });

  it('never moves a group to a new epoch without a record, nor takes keys for an epoch that has them', async () => {
    const group = await makeGroup(ann, [ben]);
    const members = [ann.account, ben.account];
    const ahead = await postKeys(ann, group, 2, group.wrap(2, ann.account, members));
    expect(ahead.status).toBe(400);
    expect(ahead.body['message']).toBe(
      'epoch: a group moves to a new key epoch only with a group record; its current epoch is 1.',
    );
    // A remove brings its epoch's keys; a role change or rename keeps the epoch, and its keys.
    const stay = [ann.account];
    const remove = group.record(ann.account, 'remove', [naming(ben.account)]);
    expect((await postRecord(ann, group, remove, group.wrap(2, ann.account, stay))).status).toBe(201);
    const rename = group.record(ann.account, 'rename');
    expect((await postRecord(ann, group, rename)).status).toBe(201);
    const ended = await postKeys(ann, group, 2, group.wrap(2, ann.account, stay));
    expect([ended.status, ended.body['code']]).toEqual([409, 'epoch_taken']);
    const rooms = await ann.client.get<{ rooms: { id: string; epoch: number }[] }>('/api/rooms');
    expect(rooms.body.rooms.find((r) => r.id === group.roomId)?.epoch).toBe(2);
  });

  it('answers 404 to someone outside the group', async () => {
    const group = await afterCyLeft();
    const res = await postKeys(dee, group, 2, group.wrap(2, dee.account, [ann.account, ben.account]));
    expect(res.status).toBe(404);
  });
});

describe('messages across epochs', () => {
  it('refuses a message under the epoch a remove ended, and any message from the removed member', async () => {
    const group = await makeGroup(ann, [ben, cy]);
    const socket = await connectSocket(t.baseUrl, cy.client);
    const sealedBefore = group.message(ann.account, 1);
    const removed = await postRecord(
      ann,
      group,
      group.record(ann.account, 'remove', [naming(cy.account)]),
      group.wrap(2, ann.account, [ann.account, ben.account]),
    );
    expect(removed.status).toBe(201);
    const stale = await ann.client.post(`/api/rooms/${group.roomId}/messages`, sealedBefore);
    expect([stale.status, stale.body['code']]).toEqual([409, 'stale_epoch']);
    const ack = await emitWithAck<{ ok: boolean; status?: number }>(socket, 'message:send', {
      roomId: group.roomId,
      ...group.message(cy.account, 2),
    });
    expect(ack).toMatchObject({ ok: false, status: 404 });
    socket.close();
    const fresh = await send(ben, group);
    expect(fresh.status).toBe(201);
    expect((fresh.body['message'] as { epoch: number }).epoch).toBe(2);
  });
});
