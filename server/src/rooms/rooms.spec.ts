import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addKemKeys,
  newRoomKey,
  newUuid,
  sealMessage,
  toBase64,
  wrapRoomKey,
  wrapRoomKeyHybrid,
  type Identity,
} from '@onionchat/protocol';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import type { TestAccount } from '../../test-support/accounts.js';
import { befriend, collect, connectSocket, newUser, until, type User } from '../../test-support/social.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const user = (name: string) => newUser(t, name);
const kemOf = (identity: Identity) => (identity.kem ? identity : addKemKeys(identity)).kem!.publicKey;

/** `wrapper` wraps `roomKey` for each member, in version 2 (hybrid) or 1. */
function wrapFor(roomId: string, epoch: number, wrapper: TestAccount, members: TestAccount[], hybrid = true) {
  const roomKey = newRoomKey();
  const keys = members.map((member) => {
    const ctx = { roomId, epoch, memberId: member.id, wrapperId: wrapper.id };
    const record = hybrid
      ? wrapRoomKeyHybrid(roomKey, ctx, wrapper.identity, {
          boxPublicKey: member.identity.boxPublicKey,
          kemPublicKey: kemOf(member.identity),
        })
      : wrapRoomKey(roomKey, ctx, wrapper.identity, member.identity.boxPublicKey);
    return { memberId: member.id, record: toBase64(record) };
  });
  return { roomKey, keys };
}

const startEpoch = (by: User, roomId: string, body: unknown) => by.client.post(`/api/rooms/${roomId}/keys`, body);

function send(sender: User, roomId: string, epoch: number, roomKey: Uint8Array) {
  const clientId = newUuid();
  const header = { roomId, epoch, senderId: sender.account.id, messageId: clientId, sentAt: Date.now() };
  const envelope = sealMessage(header, { type: 'text', text: 'hi' }, roomKey, sender.account.identity);
  return sender.client.post(`/api/rooms/${roomId}/messages`, { clientId, envelope: toBase64(envelope) });
}

type Keys = { keys: { epoch: number; wrapperId: string; record: string }[] };
const keysOf = (u: User, roomId: string) => u.client.get<Keys>(`/api/rooms/${roomId}/keys`).then((r) => r.body.keys);
const epochOf = (u: User, roomId: string) =>
  u.client
    .get<{ rooms: { id: string; epoch: number }[] }>('/api/rooms')
    .then((r) => r.body.rooms.find((room) => room.id === roomId)?.epoch);

describe('hybrid keys when accepting a friend request', () => {
  it('takes version 2 records for epoch 1, and refuses a record of neither size', async () => {
    const [ann, ben] = [await user('hy_ann'), await user('hy_ben')];
    const sent = await ann.client.post<{ request: { id: string } }>('/api/friends/requests', { username: 'hy_ben' });
    const roomId = newUuid();
    const { keys } = wrapFor(roomId, 1, ben.account, [ben.account, ann.account]);
    const url = `/api/friends/requests/${sent.body.request.id}/accept`;
    const odd = { roomId, wrappedKeys: [keys[0], { ...keys[1]!, record: toBase64(new Uint8Array(500)) }] };
    const refused = await ben.client.post(url, odd);
    expect(refused.status).toBe(400);
    expect(refused.body['message']).toContain('must be 221 or 1341 bytes');
    expect((await ben.client.post(url, { roomId, wrappedKeys: keys })).status).toBe(201);
    const stored = await keysOf(ann, roomId);
    expect(stored.map((k) => [k.epoch, Buffer.from(k.record, 'base64').length])).toEqual([[1, 1341]]);
  });
});

describe('POST /api/rooms/:id/keys', () => {
  let ann: User;
  let ben: User;
  let roomId: string;
  let firstKey: Uint8Array;

  beforeAll(async () => {
    [ann, ben] = [await user('ep_ann'), await user('ep_ben')];
    ({ roomId, roomKey: firstKey } = await befriend(ann, ben));
  });

  it('starts the next epoch for every member, tells them, and makes new messages use it', async () => {
    const socket = await connectSocket(t.baseUrl, ann.client);
    const events = collect<{ roomId: string; epoch: number }>(socket, 'room:key');
    const { roomKey, keys } = wrapFor(roomId, 2, ben.account, [ann.account, ben.account]);
    const res = await startEpoch(ben, roomId, { epoch: 2, keys });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ epoch: 2 });
    await until(() => events.length === 1);
    expect(events).toEqual([{ roomId, epoch: 2 }]);
    socket.close();
    expect(await epochOf(ann, roomId)).toBe(2);
    expect((await keysOf(ann, roomId)).map((k) => [k.epoch, k.wrapperId])).toEqual([
      [1, ben.account.id],
      [2, ben.account.id],
    ]);
    expect((await keysOf(ann, roomId))[1]!.record).toBe(keys[0]!.record);
    // Sealed under the old key just before the move: refused with a code that says seal it again.
    const stale = await send(ann, roomId, 1, firstKey);
    expect(stale.status).toBe(409);
    expect(stale.body['code']).toBe('stale_epoch');
    expect(stale.body['message']).toMatch(/sealed again with the current one/);
    expect((await send(ann, roomId, 2, roomKey)).status).toBe(201);
  });

  it('answers 409 epoch_taken to the member who comes second, 400 to a skipped epoch', async () => {
    const current = (await epochOf(ann, roomId))!;
    const late = await startEpoch(ann, roomId, wrapped(current, ann));
    expect(late.status).toBe(409);
    expect(late.body['code']).toBe('epoch_taken');
    expect(late.body['message']).toMatch(/Another member already started a new key/);
    const skipped = await startEpoch(ann, roomId, wrapped(current + 2, ann));
    expect(skipped.status).toBe(400);
    expect(skipped.body['message']).toBe(
      `epoch: the next key epoch of this conversation is ${current + 1}, not ${current + 2}.`,
    );
    expect((await startEpoch(ann, roomId, wrapped(1, ann))).status).toBe(400);
    expect(await epochOf(ann, roomId)).toBe(current);
  });

  it('lets exactly one of two members racing for the same epoch win', async () => {
    const next = (await epochOf(ann, roomId))! + 1;
    const answers = await Promise.all([
      startEpoch(ann, roomId, wrapped(next, ann)),
      startEpoch(ben, roomId, wrapped(next, ben)),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(await epochOf(ben, roomId)).toBe(next);
    const winner = answers[0]!.status === 201 ? ann : ben;
    expect((await keysOf(ben, roomId)).filter((k) => k.epoch === next).map((k) => k.wrapperId)).toEqual([
      winner.account.id,
    ]);
  });

  it('refuses misfiled keys and stores none of them', async () => {
    const next = (await epochOf(ann, roomId))! + 1;
    const members = [ann.account, ben.account];
    const good = wrapFor(roomId, next, ann.account, members).keys;
    const cases: [string, unknown][] = [
      ['another epoch', wrapFor(roomId, next + 1, ann.account, members).keys],
      ['another room', wrapFor(newUuid(), next, ann.account, members).keys],
      ['another wrapper', wrapFor(roomId, next, ben.account, members).keys],
      ['a member missing', good.slice(0, 1)],
      ['a member twice', [good[0], good[0], good[1]]],
      [
        'swapped members',
        [
          { ...good[0]!, memberId: ben.account.id },
          { ...good[1]!, memberId: ann.account.id },
        ],
      ],
    ];
    for (const [what, keys] of cases) {
      const res = await startEpoch(ann, roomId, { epoch: next, keys });
      expect(res.status, what).toBe(400);
      expect(res.body['code'], what).toBe('invalid_record');
      expect(res.body['message'], what).toMatch(/^keys: /);
    }
    const outsider = wrapFor(roomId, next, ann.account, [ann.account, (await user('ep_cy')).account]).keys;
    expect((await startEpoch(ann, roomId, { epoch: next, keys: outsider })).status).toBe(400);
    expect((await startEpoch(ann, roomId, { epoch: next, keys: [] })).status).toBe(400);
    expect((await startEpoch(ann, roomId, { epoch: 'two', keys: good })).status).toBe(400);
    expect(await epochOf(ann, roomId)).toBe(next - 1);
    expect((await keysOf(ann, roomId)).some((k) => k.epoch === next)).toBe(false);
    // Version 1 records are still accepted (a member whose friend has no ML-KEM key yet).
    expect(
      (await startEpoch(ann, roomId, { epoch: next, keys: wrapFor(roomId, next, ann.account, members, false).keys }))
        .status,
    ).toBe(201);
  });

  it('answers 404 to someone outside the room, exactly like a room that does not exist', async () => {
    const dee = await user('ep_dee');
    const next = (await epochOf(ann, roomId))! + 1;
    const keys = wrapFor(roomId, next, dee.account, [ann.account, ben.account]).keys;
    const outside = await startEpoch(dee, roomId, { epoch: next, keys });
    const missing = await startEpoch(dee, newUuid(), { epoch: next, keys });
    expect([outside.status, missing.status]).toEqual([404, 404]);
    expect(outside.body).toEqual(missing.body);
  });

  function wrapped(epoch: number, by: User) {
    return { epoch, keys: wrapFor(roomId, epoch, by.account, [ann.account, ben.account]).keys };
  }
});
