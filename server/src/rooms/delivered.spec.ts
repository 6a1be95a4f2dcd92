// Groups' delivered marks: POST /api/rooms/:id/delivered, the room:delivered event and
// the `delivered` list of a group room. The mark is the server's word, like "sent".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUuid } from '@onionchat/protocol';
import type { Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import {
  annAndFriends,
  createGroup,
  joining,
  makeGroup,
  postRecord,
  type TestGroup,
} from '../../test-support/groups.js';
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
  t = await startTestApp({ RATE_MESSAGES_PER_MINUTE: '1000' });
  state = await storedState(t.dbUrl);
  [ann, ben, cy, dee] = await annAndFriends(t, 'dl');
});
afterAll(async () => {
  await state?.close();
  await t?.close();
});

interface Delivered {
  roomId: string;
  userId: string;
  deliveredSeq: number;
}
type Rooms = { rooms: { id: string; kind: string; lastSeq: number; delivered?: { userId: string; seq: number }[] }[] };

const deliver = (by: User, roomId: string, seq: unknown) => by.client.post(`/api/rooms/${roomId}/delivered`, { seq });

async function sendMessages(by: User, group: TestGroup, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const res = await by.client.post(`/api/rooms/${group.roomId}/messages`, group.message(by.account));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}

/** The group as `viewer` lists it: every member's mark, by user id. */
async function listed(viewer: User, roomId: string) {
  const room = (await viewer.client.get<Rooms>('/api/rooms')).body.rooms.find((r) => r.id === roomId);
  return room && { ...room, delivered: [...(room.delivered ?? [])].sort((a, b) => a.userId.localeCompare(b.userId)) };
}
const marks = (...pairs: [User, number][]) =>
  pairs.map(([u, seq]) => ({ userId: u.account.id, seq })).sort((a, b) => a.userId.localeCompare(b.userId));

/** `by` makes a group with `members` (ann's friends), so a mark there reaches `by` only among those watched. */
async function groupOfOwn(by: User): Promise<TestGroup> {
  const pal = await newUser(t, `dl_pal${++serial}`);
  await befriend(by, pal);
  return makeGroup(by, [pal]);
}

describe('POST /api/rooms/:id/delivered', () => {
  it('moves the mark up only, never past the last message, and tells every member when it moved', async () => {
    const group = await makeGroup(ann, [ben, cy]);
    await sendMessages(ann, group, 3);
    const sockets: Socket[] = await Promise.all([ann, ben, cy, dee].map((u) => connectSocket(t.baseUrl, u.client)));
    try {
      const [toAnn, toBen, toCy, toDee] = sockets.map((s) => collect<Delivered>(s, 'room:delivered'));
      expect((await deliver(ben, group.roomId, 2)).body).toEqual({ deliveredSeq: 2 });
      // Lower, or the same: the mark stays and nobody hears of it.
      expect((await deliver(ben, group.roomId, 1)).body).toEqual({ deliveredSeq: 2 });
      expect((await deliver(ben, group.roomId, 2)).body).toEqual({ deliveredSeq: 2 });
      // Past the last message: capped at it.
      expect((await deliver(ben, group.roomId, 99)).body).toEqual({ deliveredSeq: 3 });
      expect((await deliver(ben, group.roomId, 3)).body).toEqual({ deliveredSeq: 3 });
      expect((await deliver(cy, group.roomId, 3)).body).toEqual({ deliveredSeq: 3 });
      // Dee is not in the group: a mark in a group of her own proves her socket listens.
      const own = await groupOfOwn(dee);
      await sendMessages(dee, own, 1);
      expect((await deliver(dee, own.roomId, 1)).body).toEqual({ deliveredSeq: 1 });

      const expected = [
        { roomId: group.roomId, userId: ben.account.id, deliveredSeq: 2 },
        { roomId: group.roomId, userId: ben.account.id, deliveredSeq: 3 },
        { roomId: group.roomId, userId: cy.account.id, deliveredSeq: 3 },
      ];
      await until(() => [toAnn, toBen, toCy].every((seen) => seen!.length >= 3) && toDee!.length >= 1);
      // Ben's own other devices hear of it too.
      for (const seen of [toAnn, toBen, toCy]) expect(seen).toEqual(expected);
      expect(toDee).toEqual([{ roomId: own.roomId, userId: dee.account.id, deliveredSeq: 1 }]);
    } finally {
      sockets.forEach((s) => s.close());
    }
  });

  it("lists every current member's mark in the rooms list and in the create answer; direct rooms have none", async () => {
    const { group, res } = await createGroup(ann, [ben, cy]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const created = res.body['room'] as { delivered: { userId: string; seq: number }[] };
    expect([...created.delivered].sort((a, b) => a.userId.localeCompare(b.userId))).toEqual(
      marks([ann, 0], [ben, 0], [cy, 0]),
    );
    await sendMessages(ann, group, 2);
    await deliver(ann, group.roomId, 2);
    await deliver(ben, group.roomId, 1);
    for (const viewer of [ann, ben, cy]) {
      expect((await listed(viewer, group.roomId))?.delivered).toEqual(marks([ann, 2], [ben, 1], [cy, 0]));
    }
    const rooms = (await ann.client.get<Rooms>('/api/rooms')).body.rooms;
    const direct = rooms.filter((r) => r.kind === 'direct');
    expect(direct.length).toBeGreaterThan(0);
    for (const room of direct) expect(room).not.toHaveProperty('delivered');
  });

  it('starts a joining member at the last message, and drops a member who left from the list', async () => {
    const group = await makeGroup(ann, [ben]);
    await sendMessages(ann, group, 2);
    const added = await postRecord(
      ann,
      group,
      group.record(ann.account, 'add', [joining(cy.account)]),
      group.wrap(
        2,
        ann.account,
        [ann, ben, cy].map((u) => u.account),
      ),
    );
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect((await listed(cy, group.roomId))?.delivered).toEqual(marks([ann, 0], [ben, 0], [cy, 2]));
    expect((await deliver(ben, group.roomId, 2)).body).toEqual({ deliveredSeq: 2 });
    expect((await postRecord(ben, group, group.record(ben.account, 'leave'))).status).toBe(201);
    expect((await listed(ann, group.roomId))?.delivered).toEqual(marks([ann, 0], [cy, 2]));
  });

  it('answers 404 to a former member, a stranger and a missing id alike, and stores nothing', async () => {
    const group = await makeGroup(ann, [ben, cy]);
    await sendMessages(ann, group, 1);
    expect((await postRecord(cy, group, group.record(cy.account, 'leave'))).status).toBe(201);
    const stranger = await newUser(t, `dl_stranger${++serial}`);
    const before = await state.snapshot();
    const former = await deliver(cy, group.roomId, 1);
    const outsider = await deliver(stranger, group.roomId, 1);
    const nonMember = await deliver(dee, group.roomId, 1);
    const missing = await deliver(cy, newUuid(), 1);
    expect([former.status, outsider.status, nonMember.status, missing.status]).toEqual([404, 404, 404, 404]);
    expect(missing.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'not_found',
      message: 'No such conversation.',
    });
    for (const res of [former, outsider, nonMember]) expect(res.body).toEqual(missing.body);
    expect(await state.snapshot()).toEqual(before);
  });

  it('refuses a direct room with 400 not_a_group and a sentence, and stores nothing', async () => {
    const pal = await newUser(t, `dl_pal${++serial}`);
    const direct = await befriend(ann, pal);
    const before = await state.snapshot();
    const res = await deliver(ann, direct.roomId, 0);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'not_a_group' });
    expect(res.body['message']).toBe(
      'Delivered marks are kept for group conversations only, and this is a direct conversation.',
    );
    // Someone outside the direct room learns nothing of its kind.
    const outside = await deliver(ben, direct.roomId, 0);
    expect(outside.status).toBe(404);
    expect(outside.body).toEqual((await deliver(ben, newUuid(), 0)).body);
    expect(await state.snapshot()).toEqual(before);
  });

  it('refuses a seq that is negative, not whole, too large or no number with 400 and a sentence', async () => {
    const group = await makeGroup(ann, [ben]);
    const before = await state.snapshot();
    const cases: [unknown, string][] = [
      [-1, 'seq: must not be negative'],
      [1.5, 'seq: must be a whole number'],
      [2 ** 53, `seq: must be at most ${Number.MAX_SAFE_INTEGER}`],
      [1e300, `seq: must be at most ${Number.MAX_SAFE_INTEGER}`],
      ['3', 'seq: Invalid input: expected number, received string'],
      [null, 'seq: Invalid input: expected number, received null'],
    ];
    for (const [seq, message] of cases) {
      const res = await deliver(ben, group.roomId, seq);
      expect([res.status, res.body['code'], res.body['message']], JSON.stringify(seq)).toEqual([
        400,
        'invalid_body',
        message,
      ]);
    }
    const none = await ben.client.post(`/api/rooms/${group.roomId}/delivered`, {});
    expect([none.status, none.body['message']]).toEqual([
      400,
      'seq: Invalid input: expected number, received undefined',
    ]);
    const badId = await ben.client.post('/api/rooms/not-a-room/delivered', { seq: 1 });
    expect([badId.status, badId.body['message']]).toEqual([400, 'is not a valid id']);
    expect(await state.snapshot()).toEqual(before);
  });

  it('moves a mark once when the same mark races: one event, every answer the same', async () => {
    const group = await makeGroup(ann, [ben]);
    await sendMessages(ann, group, 3);
    const socket = await connectSocket(t.baseUrl, ann.client);
    try {
      const seen = collect<Delivered>(socket, 'room:delivered');
      const answers = await Promise.all(Array.from({ length: 8 }, () => deliver(ben, group.roomId, 3)));
      expect(answers.map((r) => r.body)).toEqual(Array.from({ length: 8 }, () => ({ deliveredSeq: 3 })));
      // A later mark of Ann's is the barrier: anything before it has arrived.
      await deliver(ann, group.roomId, 1);
      await until(() => seen.some((e) => e.userId === ann.account.id));
      expect(seen.map((e) => [e.userId, e.deliveredSeq])).toEqual([
        [ben.account.id, 3],
        [ann.account.id, 1],
      ]);
    } finally {
      socket.close();
    }
  });
});
