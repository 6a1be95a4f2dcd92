// Changing a group: POST /api/groups/:id/records. Every record continues the chain under
// the protocol's rules; adds bring only friends with their published keys, within
// GROUP_MAX_MEMBERS; a remove or a leave takes effect at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, toBase64 } from '@onionchat/protocol';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { annAndFriends, joining, makeGroup, naming, postRecord, type TestGroup } from '../../test-support/groups.js';
import { befriend, collect, connectSocket, newUser, until, type User } from '../../test-support/social.js';
import { storedState, type StoredState } from '../../test-support/state.js';

let t: TestApp;
let state: StoredState;
let ann: User;
let ben: User;
let cy: User;
let dee: User;
let serial = 0;
beforeAll(async () => {
  t = await startTestApp({ GROUP_MAX_MEMBERS: '3', RATE_MESSAGES_PER_MINUTE: '1000' });
  state = await storedState(t.dbUrl);
  [ann, ben, cy, dee] = await annAndFriends(t, 'gc');
});
afterAll(async () => {
  await state?.close();
  await t?.close();
});

const friendOf = async (user: User) => {
  const pal = await newUser(t, `gc_pal${++serial}`);
  await befriend(user, pal);
  return pal;
};
type Rooms = { rooms: { id: string; epoch: number }[] };
const roomOf = async (user: User, group: TestGroup) =>
  (await user.client.get<Rooms>('/api/rooms')).body.rooms.find((r) => r.id === group.roomId);

/** Posts a record that must be refused, checks nothing was stored, and returns the answer. */
async function refused(by: User, group: TestGroup, record: Uint8Array, keys?: { memberId: string; record: string }[]) {
  const before = await state.snapshot();
  const res = await postRecord(by, group, record, keys);
  expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
  expect(await state.snapshot()).toEqual(before);
  return res;
}

describe('adding members', () => {
  it('adds a friend with the new epoch keys: they join at once, everyone hears of it', async () => {
    const group = await makeGroup(ann, [ben]);
    const sockets = await Promise.all([ben, cy].map((u) => connectSocket(t.baseUrl, u.client)));
    const [toBen, toCy] = sockets.map((s) => collect<{ roomId: string; index: number }>(s, 'group:changed'));
    const record = group.record(ann.account, 'add', [joining(cy.account)]);
    const res = await postRecord(
      ann,
      group,
      record,
      group.wrap(
        2,
        ann.account,
        [ann, ben, cy].map((u) => u.account),
      ),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({ index: 1, epoch: 2, afterSeq: 0 });
    await until(() => toBen!.length === 1 && toCy!.length === 1);
    expect(toCy).toEqual([{ roomId: group.roomId, index: 1 }]);
    sockets.forEach((s) => s.close());
    expect(await roomOf(cy, group)).toMatchObject({ epoch: 2 });
    const keys = await cy.client.get<{ keys: { epoch: number }[] }>(`/api/rooms/${group.roomId}/keys`);
    expect(keys.body.keys.map((k) => k.epoch)).toEqual([2]);
    expect((await cy.client.post(`/api/rooms/${group.roomId}/messages`, group.message(cy.account))).status).toBe(201);
  });

  it('refuses to go past GROUP_MAX_MEMBERS with 422 and a sentence', async () => {
    const group = await makeGroup(ann, [ben, cy]);
    const everyone = [ann, ben, cy, dee].map((u) => u.account);
    const res = await refused(
      ann,
      group,
      group.record(ann.account, 'add', [joining(dee.account)]),
      group.wrap(2, ann.account, everyone),
    );
    expect([res.status, res.body['code']]).toEqual([422, 'group_full']);
    expect(res.body['message']).toBe('A group can have at most 3 members on this server; this change would make it 4.');
  });

  it('refuses a non-friend, a blocked user and a key that is not the published one', async () => {
    const group = await makeGroup(ann, [ben]);
    const stranger = await newUser(t, `gc_stranger${++serial}`);
    const blocked = await friendOf(ann);
    await ann.client.post('/api/blocks', { username: blocked.account.username });
    const add = (who: User, entry = joining(who.account)) =>
      refused(
        ann,
        group,
        group.record(ann.account, 'add', [entry]),
        group.wrap(2, ann.account, [ann.account, ben.account, who.account]),
      );
    const notFriend = await add(stranger);
    expect([notFriend.status, notFriend.body['code']]).toEqual([403, 'not_friends']);
    expect(notFriend.body['message']).toContain(stranger.account.id);
    const block = await add(blocked);
    expect([block.status, block.body['code']]).toEqual([403, 'you_blocked']);
    const mismatch = await add(cy, { ...joining(cy.account), signPublicKey: randomBytes(32) });
    expect([mismatch.status, mismatch.body['code']]).toEqual([409, 'key_changed']);
    expect(mismatch.body['message']).toContain('gc_cy');
  });

  it("refuses an add by a member who is not an admin, or of someone who is not the adder's friend", async () => {
    const group = await makeGroup(ann, [ben]);
    const bensPal = await friendOf(ben);
    const everyone = [ann.account, ben.account, bensPal.account];
    const byMember = await refused(
      ben,
      group,
      group.record(ben.account, 'add', [joining(bensPal.account)]),
      group.wrap(2, ben.account, everyone),
    );
    expect([byMember.status, byMember.body['code']]).toEqual([403, 'not_entitled']);
    expect(byMember.body['message']).toMatch(/only an admin may make a add change/);
    const promote = group.record(ann.account, 'role', [naming(ben.account, 'admin')]);
    expect((await postRecord(ann, group, promote)).status).toBe(201);
    // Ben may add now, but only his own friends.
    const annsFriend = await refused(
      ben,
      group,
      group.record(ben.account, 'add', [joining(dee.account)]),
      group.wrap(2, ben.account, [ann.account, ben.account, dee.account]),
    );
    expect([annsFriend.status, annsFriend.body['code']]).toEqual([403, 'not_friends']);
    expect(
      (
        await postRecord(
          ben,
          group,
          group.record(ben.account, 'add', [joining(bensPal.account)]),
          group.wrap(2, ben.account, everyone),
        )
      ).status,
    ).toBe(201);
  });

  it('wants the new epoch key for exactly every member after an add or a remove', async () => {
    const group = await makeGroup(ann, [ben]);
    const record = group.record(ann.account, 'add', [joining(cy.account)]);
    const after = [ann.account, ben.account, cy.account];
    const cases: [string, { memberId: string; record: string }[] | undefined][] = [
      ['no keys', undefined],
      ['a member missing', group.wrap(2, ann.account, after).slice(1)],
      ['someone who is not in it', group.wrap(2, ann.account, [...after, dee.account])],
      ['the old epoch', group.wrap(1, ann.account, after)],
      ['another wrapper', group.wrap(2, ben.account, after)],
    ];
    for (const [what, keys] of cases) {
      const res = await refused(ann, group, record, keys);
      expect([res.status, res.body['code']], what).toEqual([400, 'invalid_record']);
      expect(res.body['message'], what).toMatch(/^keys: /);
    }
  });
});

describe('the chain', () => {
  it('refuses a record signed in the name of someone else, and a forged one', async () => {
    const group = await makeGroup(ann, [ben]);
    const byAnn = group.record(ann.account, 'rename');
    const wrong = await refused(ben, group, byAnn);
    expect([wrong.status, wrong.body['code']]).toEqual([403, 'wrong_signer']);
    const forged = group.record(ann.account, 'rename');
    const at = forged.length - 1;
    forged[at] = forged[at]! ^ 1;
    const bad = await refused(ann, group, forged);
    expect([bad.status, bad.body['code']]).toEqual([400, 'bad_signature']);
    expect(bad.body['message']).toMatch(/^record: Group record 1 is not signed by /);
  });

  it('refuses a broken chain (400) and answers 409 chain_changed to a record whose place is taken', async () => {
    const group = await makeGroup(ann, [ben]);
    const skip = await refused(ann, group, group.record(ann.account, 'rename', [], { index: 2 }));
    expect([skip.status, skip.body['code']]).toEqual([400, 'bad_chain']);
    const fork = await refused(ann, group, group.record(ann.account, 'rename', [], { previous: randomBytes(32) }));
    expect([fork.status, fork.body['code']]).toEqual([400, 'bad_chain']);
    const epoch = await refused(ann, group, group.record(ann.account, 'rename', [], { epoch: 2 }));
    expect([epoch.status, epoch.body['code']]).toEqual([400, 'bad_chain']);
    const late = group.record(ann.account, 'rename');
    expect((await postRecord(ann, group, group.record(ann.account, 'rename'))).status).toBe(201);
    const taken = await refused(ann, group, late);
    expect([taken.status, taken.body['code']]).toEqual([409, 'chain_changed']);
    expect(taken.body['message']).toMatch(/^Another change to this group was filed as record 1 first/);
  });

  it('lets exactly one of two changes racing for the same index in', async () => {
    const group = await makeGroup(ann, [ben, cy]);
    await postRecord(ann, group, group.record(ann.account, 'role', [naming(ben.account, 'admin')]));
    const [a, b] = [group.record(ann.account, 'rename'), group.record(ben.account, 'rename')];
    const answers = await Promise.all([
      ann.client.post(`/api/groups/${group.roomId}/records`, { record: toBase64(a) }),
      ben.client.post(`/api/groups/${group.roomId}/records`, { record: toBase64(b) }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(answers.find((r) => r.status === 409)!.body['code']).toBe('chain_changed');
    const records = await cy.client.get<{ records: unknown[] }>(`/api/groups/${group.roomId}/records`);
    expect(records.body.records).toHaveLength(3);
  });

  it('files a record after the messages before it (afterSeq), and refuses keys with a rename', async () => {
    const group = await makeGroup(ann, [ben]);
    for (const sender of [ann, ben]) {
      expect(
        (await sender.client.post(`/api/rooms/${group.roomId}/messages`, group.message(sender.account))).status,
      ).toBe(201);
    }
    const withKeys = await refused(
      ann,
      group,
      group.record(ann.account, 'rename'),
      group.wrap(1, ann.account, [ann.account, ben.account]),
    );
    expect([withKeys.status, withKeys.body['message']]).toEqual([400, 'keys: a rename record carries no keys.']);
    const res = await postRecord(ann, group, group.record(ann.account, 'rename'));
    expect(res.body).toEqual({ index: 1, epoch: 1, afterSeq: 2 });
    const records = await ben.client.get<{ records: { afterSeq: number }[] }>(`/api/groups/${group.roomId}/records`);
    expect(records.body.records.map((r) => r.afterSeq)).toEqual([0, 2]);
  });
});

describe('several instances', () => {
  it('each checks a record against the whole chain, whoever filed the records before it', async () => {
    const other = await startTestApp({ GROUP_MAX_MEMBERS: '3', GROUP_STATE_CACHE_ENTRIES: '0' }, t.dbUrl);
    try {
      const elsewhere = (user: User): User => {
        const client = other.client();
        client.cookie = user.client.cookie;
        return { client, account: user.account };
      };
      const group = await makeGroup(ann, [ben]);
      expect((await postRecord(ann, group, group.record(ann.account, 'rename'))).status).toBe(201);
      // This instance remembers the state after record 1; the other files records 2 and 3.
      const promote = group.record(ann.account, 'role', [naming(ben.account, 'admin')]);
      expect((await postRecord(elsewhere(ann), group, promote)).status).toBe(201);
      expect((await postRecord(elsewhere(ben), group, group.record(ben.account, 'rename'))).status).toBe(201);
      // Ben is an admin only from record 2 on, which this instance learns from the database.
      const byBen = await postRecord(ben, group, group.record(ben.account, 'rename'));
      expect(byBen.body).toEqual({ index: 4, epoch: 1, afterSeq: 0 });
      const stale = await postRecord(elsewhere(ann), group, group.record(ann.account, 'rename', [], { index: 4 }));
      expect([stale.status, stale.body['code']]).toEqual([409, 'chain_changed']);
    } finally {
      await other.closeAppOnly();
    }
  });
});

describe('removing and leaving', () => {
  it('a removed member loses the group at once: records, messages, keys, sending', async () => {
    const group = await makeGroup(ann, [ben, cy]);
    const socket = await connectSocket(t.baseUrl, ben.client);
    const toBen = collect<{ roomId: string; index: number }>(socket, 'group:changed');
    const oldMessage = group.message(ben.account);
    const res = await postRecord(
      ann,
      group,
      group.record(ann.account, 'remove', [naming(ben.account)]),
      group.wrap(2, ann.account, [ann.account, cy.account]),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await until(() => toBen.length === 1);
    socket.close();
    const base = `/api/rooms/${group.roomId}`;
    for (const res of [
      await ben.client.get(`/api/groups/${group.roomId}/records`),
      await ben.client.get(`${base}/messages`),
      await ben.client.get(`${base}/keys`),
      await ben.client.post(`${base}/messages`, oldMessage),
      await ben.client.post(`${base}/messages`, group.message(ben.account, 2)),
    ]) {
      expect(res.status).toBe(404);
    }
    expect(await roomOf(ben, group)).toBeUndefined();
    expect(await roomOf(cy, group)).toMatchObject({ epoch: 2 });
    // An admin cannot remove itself: it leaves.
    const self = await refused(
      ann,
      group,
      group.record(ann.account, 'remove', [naming(ann.account)]),
      group.wrap(2, ann.account, [cy.account]),
    );
    expect([self.status, self.body['code']]).toEqual([403, 'not_entitled']);
  });

  it('a leaving member goes at once; the last admin cannot leave members behind without one', async () => {
    const group = await makeGroup(ann, [ben, cy]);
    const annLeaves = await refused(ann, group, group.record(ann.account, 'leave'));
    expect([annLeaves.status, annLeaves.body['code']]).toEqual([400, 'invalid_record']);
    expect(annLeaves.body['message']).toMatch(/no admin/);
    const leave = await postRecord(cy, group, group.record(cy.account, 'leave'));
    expect(leave.body).toEqual({ index: 1, epoch: 2, afterSeq: 0 });
    expect((await cy.client.get(`/api/groups/${group.roomId}/records`)).status).toBe(404);
    expect(await roomOf(ann, group)).toMatchObject({ epoch: 2 });
  });

  it('ending a friendship leaves the groups the two share alone', async () => {
    const pal = await friendOf(ann);
    const group = await makeGroup(ann, [pal]);
    expect((await ann.client.delete(`/api/friends/${pal.account.id}`)).status).toBe(204);
    expect(await roomOf(pal, group)).toMatchObject({ epoch: 1 });
    expect((await pal.client.get(`/api/groups/${group.roomId}/records`)).status).toBe(200);
  });
});
