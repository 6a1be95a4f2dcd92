// Receipts on real PostgreSQL: PUT /api/rooms/:id/receipt keeps each member's latest
// sealed receipt, GET /api/rooms/:id/receipts lists them for members only, and the
// others hear of each new one (receipt:new). A receipt never counts as a message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_MIN_ENVELOPE_BYTES, fromBase64, newUuid, openMessage, toBase64 } from '@onionchat/protocol';
import { startTestApp, type TestApp } from '../../test-support/app.js';
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
let ann: User;
let ben: User;
let eve: User;
let room: Friendship;
beforeAll(async () => {
  t = await startTestApp();
  ann = await newUser(t, 'rc_ann');
  ben = await newUser(t, 'rc_ben');
  eve = await newUser(t, 'rc_eve');
  room = await befriend(ann, ben);
});
afterAll(async () => {
  await t?.close();
});

type Receipts = { receipts: { userId: string; envelope: string; updatedAt: string }[] };

const receipt = (by: User, seq: number, roomId = room.roomId) =>
  envelopeFor(by.account, { ...room, roomId }, { type: 'receipt', delivered: { id: newUuid(), seq }, read: null })
    .envelope;
const put = (by: User, envelope: unknown, roomId = room.roomId) =>
  by.client.request('PUT', `/api/rooms/${roomId}/receipt`, { envelope });
const list = (by: User, roomId = room.roomId) => by.client.get<Receipts>(`/api/rooms/${roomId}/receipts`);

describe('receipts', () => {
  it('keeps only the latest receipt of each member and tells the others', async () => {
    const socket = await connectSocket(t.baseUrl, ann.client);
    try {
      const heard = collect<{ roomId: string; userId: string; envelope: string }>(socket, 'receipt:new');
      const first = receipt(ben, 1);
      const second = receipt(ben, 2);
      expect(fromBase64(first)).toHaveLength(MESSAGE_MIN_ENVELOPE_BYTES);
      expect((await put(ben, first)).status).toBe(204);
      expect((await put(ben, second)).status).toBe(204);
      const listed = (await list(ann)).body.receipts;
      expect(listed.map((r) => [r.userId, r.envelope])).toEqual([[ben.account.id, second]]);
      // What is kept is the sealed receipt, which a member opens.
      const opened = openMessage(
        fromBase64(listed[0]!.envelope),
        { roomId: room.roomId, epoch: 1, senderId: ben.account.id },
        room.roomKey,
        ben.account.identity,
      );
      expect(opened.body).toMatchObject({ type: 'receipt', delivered: { seq: 2 } });
      await until(() => heard.length === 2);
      expect(heard[1]).toEqual({ roomId: room.roomId, userId: ben.account.id, envelope: second });
    } finally {
      socket.disconnect();
    }
  });

  it('never counts as a message: no seq taken, nothing unread', async () => {
    const before = (
      await ann.client.get<{ rooms: { id: string; lastSeq: number; unread: number }[] }>('/api/rooms')
    ).body.rooms.find((r) => r.id === room.roomId)!;
    expect((await put(ben, receipt(ben, 3))).status).toBe(204);
    const after = (
      await ann.client.get<{ rooms: { id: string; lastSeq: number; unread: number }[] }>('/api/rooms')
    ).body.rooms.find((r) => r.id === room.roomId)!;
    expect(after).toMatchObject({ lastSeq: before.lastSeq, unread: before.unread });
  });

  it('refuses outsiders, other senders, other rooms and envelopes that are not receipt-sized', async () => {
    expect((await list(eve)).status).toBe(404);
    expect((await put(eve, receipt(eve, 1))).status).toBe(404);
    // Sealed by ann, sent by ben: the header names another sender.
    const forged = await put(ben, receipt(ann, 1));
    expect(forged.status).toBe(400);
    expect(forged.body).toMatchObject({ code: 'invalid_record', message: expect.stringContaining('you as sender') });
    const elsewhere = await put(ben, receipt(ben, 1, newUuid()));
    expect(elsewhere.status).toBe(400);
    const message = envelopeFor(ben.account, room, { type: 'text', text: 'x'.repeat(400) }).envelope;
    const tooBig = await put(ben, message);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.message).toMatch(/at most 421 bytes/);
    const tooShort = await put(ben, toBase64(new Uint8Array(MESSAGE_MIN_ENVELOPE_BYTES - 1)));
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.message).toMatch(/must be 421 bytes/);
    const notBase64 = await put(ben, '*'.repeat(564));
    expect(notBase64.status).toBe(400);
    expect((await put(ben, toBase64(new Uint8Array(MESSAGE_MIN_ENVELOPE_BYTES)))).status).toBe(400);
  });
});
