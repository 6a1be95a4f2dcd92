import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fromBase64,
  newUuid,
  openMessage,
  readMessageHeader,
  sealMessageV1,
  toBase64,
  type IdentityKeys,
} from '@onionchat/protocol';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { logIn } from '../../test-support/accounts.js';
import {
  befriend,
  collect,
  connectSocket,
  emitWithAck,
  envelopeFor,
  newUser,
  until,
  type Friendship,
  type User,
} from '../../test-support/social.js';
import type { ServerMessage } from '@onionchat/contract';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_MESSAGES_PER_MINUTE: '40', MESSAGE_MAX_BYTES: '600' });
});
afterAll(() => t.close());

async function pair(a: string, b: string): Promise<[User, User, Friendship]> {
  const [ua, ub] = [await newUser(t, a), await newUser(t, b)];
  return [ua, ub, await befriend(ua, ub)];
}

type Ack = { ok: boolean; message: ServerMessage; duplicate: boolean; status?: number; code?: string };
const keysOf = (u: User): IdentityKeys => ({
  signPublicKey: u.account.identity.signPublicKey,
  boxPublicKey: u.account.identity.boxPublicKey,
});

describe('sending and live delivery', () => {
  it('stores before acknowledging, then delivers to every session of every member but the sending socket', async () => {
    const [amy, bo, room] = await pair('amy', 'bob');
    const amySocket = await connectSocket(t.baseUrl, amy.client);
    const amyOtherTab = await connectSocket(t.baseUrl, amy.client);
    const boSocket = await connectSocket(t.baseUrl, bo.client);
    const boSecondClient = t.client();
    await logIn(boSecondClient, bo.account);
    const boSecond = await connectSocket(t.baseUrl, boSecondClient);
    const toAmy = collect<ServerMessage>(amySocket, 'message:new');
    const toAmyOtherTab = collect<ServerMessage>(amyOtherTab, 'message:new');
    const toBo = collect<ServerMessage>(boSocket, 'message:new');
    const toBoSecond = collect<ServerMessage>(boSecond, 'message:new');

    const sent = envelopeFor(amy.account, room, { type: 'text', text: 'hello bo' });
    const ack = await emitWithAck<Ack>(amySocket, 'message:send', { roomId: room.roomId, ...sent });
    expect(ack).toMatchObject({
      ok: true,
      duplicate: false,
      message: { seq: 1, senderId: amy.account.id, roomId: room.roomId },
    });
    const stored = await bo.client.get<{ messages: ServerMessage[] }>(`/api/rooms/${room.roomId}/messages`);
    expect(stored.body.messages.map((m) => m.envelope)).toEqual([sent.envelope]);

    await until(() => toAmyOtherTab.length === 1 && toBo.length === 1 && toBoSecond.length === 1);
    // The sending socket has the message in its acknowledgement, and no second copy.
    expect(toAmy).toEqual([]);
    expect(toBo[0]).toEqual(ack.message);
    const opened = openMessage(
      fromBase64(toBo[0]!.envelope),
      { roomId: room.roomId, epoch: 1, senderId: amy.account.id },
      room.roomKey,
      keysOf(amy),
    );
    expect(opened.body).toEqual({ type: 'text', text: 'hello bo' });
    [amySocket, amyOtherTab, boSocket, boSecond].forEach((s) => s.close());
  });

  it('takes a removal into account at once: the next send over a socket opened before is refused', async () => {
    const [ed, fi, room] = await pair('rem_ed', 'rem_fia');
    const socket = await connectSocket(t.baseUrl, ed.client);
    const before = await emitWithAck<Ack>(socket, 'message:send', {
      roomId: room.roomId,
      ...envelopeFor(ed.account, room),
    });
    expect(before.ok).toBe(true);
    expect((await fi.client.delete(`/api/friends/${ed.account.id}`)).status).toBe(204);
    const after = await emitWithAck<Ack>(socket, 'message:send', {
      roomId: room.roomId,
      ...envelopeFor(ed.account, room),
    });
    expect(after).toMatchObject({ ok: false, status: 404 });
    socket.close();
  });

  it('is idempotent on clientId; a reused clientId with other content is refused', async () => {
    const [cy, di, room] = await pair('cyd', 'dina');
    const socket = await connectSocket(t.baseUrl, cy.client);
    const sent = envelopeFor(cy.account, room);
    const first = await emitWithAck<Ack>(socket, 'message:send', { roomId: room.roomId, ...sent });
    const retry = await emitWithAck<Ack>(socket, 'message:send', { roomId: room.roomId, ...sent });
    expect(retry).toMatchObject({
      ok: true,
      duplicate: true,
      message: { seq: first.message.seq, id: first.message.id },
    });
    const clash = await emitWithAck<Ack>(socket, 'message:send', {
      roomId: room.roomId,
      ...envelopeFor(cy.account, room, { type: 'text', text: 'other' }, sent.clientId),
    });
    expect(clash).toMatchObject({ ok: false, status: 409, code: 'duplicate_id' });
    const all = await di.client.get<{ messages: ServerMessage[] }>(`/api/rooms/${room.roomId}/messages`);
    expect(all.body.messages).toHaveLength(1);
    socket.close();
  });

  it('stores version 2 envelopes (signed send time inside) and still takes version 1 from older clients', async () => {
    const [vera, jon, room] = await pair('vera', 'jon');
    const post = (body: unknown) => vera.client.post(`/api/rooms/${room.roomId}/messages`, body);
    const current = envelopeFor(vera.account, room);
    expect(readMessageHeader(fromBase64(current.envelope))).toMatchObject({ version: 2, sentAt: null });
    expect((await post(current)).status).toBe(201);
    const clientId = newUuid();
    const sentAt = Date.now() - 1000;
    const old = sealMessageV1(
      { roomId: room.roomId, epoch: 1, senderId: vera.account.id, messageId: clientId, sentAt },
      { type: 'text', text: 'from an older client' },
      room.roomKey,
      vera.account.identity,
    );
    expect((await post({ clientId, envelope: toBase64(old) })).status).toBe(201);
    const page = await jon.client.get<{ messages: ServerMessage[] }>(`/api/rooms/${room.roomId}/messages`);
    expect(page.body.messages.map((m) => m.seq)).toEqual([1, 2]);
    // The server has no send time to offer: the signed one is read by clients from the envelope.
    for (const message of page.body.messages) expect(message).not.toHaveProperty('sentAt');
    const opened = openMessage(
      fromBase64(page.body.messages[1]!.envelope),
      { roomId: room.roomId, epoch: 1, senderId: vera.account.id },
      room.roomKey,
      keysOf(vera),
    );
    expect(opened).toMatchObject({ version: 1, header: { sentAt } });
  });

  it('refuses an envelope of an unknown version with a sentence', async () => {
    const [kim, , room] = await pair('kim', 'lou');
    const sent = envelopeFor(kim.account, room);
    const bytes = fromBase64(sent.envelope);
    bytes[0] = 3;
    const res = await kim.client.post(`/api/rooms/${room.roomId}/messages`, { ...sent, envelope: toBase64(bytes) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_record', message: expect.stringContaining('version 3') });
  });

  it('refuses envelopes filed under another room, sender or id, and oversized ones', async () => {
    const [ed, flo, room] = await pair('eddy', 'flo');
    const [, , otherRoom] = await pair('eddy_other', 'flo_other');
    const post = (body: unknown) => ed.client.post(`/api/rooms/${room.roomId}/messages`, body);
    const movedIn = envelopeFor(ed.account, otherRoom);
    expect((await post(movedIn)).body).toMatchObject({ statusCode: 400, code: 'invalid_record' });
    const asFlo = envelopeFor(flo.account, room);
    expect((await post(asFlo)).body['code']).toBe('invalid_record');
    const ok = envelopeFor(ed.account, room);
    expect((await post({ ...ok, clientId: newUuid() })).body['code']).toBe('invalid_record');
    const big = envelopeFor(ed.account, room, { type: 'text', text: 'x'.repeat(300) });
    const tooLarge = await post(big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ code: 'too_large', message: expect.stringContaining('600') });
    expect((await post({ clientId: 'nope', envelope: ok.envelope })).status).toBe(400);
    expect((await post(ok)).status).toBe(201);
    expect(
      (await flo.client.get<{ messages: unknown[] }>(`/api/rooms/${room.roomId}/messages`)).body.messages,
    ).toHaveLength(1);
  });

  it('limits messages per user per minute; refused messages are not stored', async () => {
    const [gil, hana, room] = await pair('gil', 'hana');
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++)
      statuses.push(
        (await gil.client.post(`/api/rooms/${room.roomId}/messages`, envelopeFor(gil.account, room))).status,
      );
    expect(statuses.slice(0, 40).every((s) => s === 201)).toBe(true);
    expect(statuses[40]).toBe(429);
    const page = await hana.client.get<{ messages: unknown[] }>(`/api/rooms/${room.roomId}/messages?limit=200`);
    expect(page.body.messages).toHaveLength(40);
  });

  it('numbers concurrent sends from both members 1..n without gaps or repeats', async () => {
    const [ivy, jo, room] = await pair('ivy', 'joe');
    const sends = Array.from({ length: 30 }, (_, i) => {
      const u = i % 2 ? ivy : jo;
      return u.client.post<{ message: ServerMessage }>(
        `/api/rooms/${room.roomId}/messages`,
        envelopeFor(u.account, room),
      );
    });
    const seqs = (await Promise.all(sends)).map((r) => r.body.message.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});

describe('catching up and reading', () => {
  it('pages forward with after and backward with before', async () => {
    const [kai, lu, room] = await pair('kai', 'lux');
    for (let i = 0; i < 5; i++)
      await kai.client.post(`/api/rooms/${room.roomId}/messages`, envelopeFor(kai.account, room));
    const seqs = async (q: string) => {
      const r = await lu.client.get<{ messages: ServerMessage[]; hasMore: boolean }>(
        `/api/rooms/${room.roomId}/messages?${q}`,
      );
      return [r.body.messages.map((m) => m.seq), r.body.hasMore];
    };
    expect(await seqs('after=0&limit=2')).toEqual([[1, 2], true]);
    expect(await seqs('after=4')).toEqual([[5], false]);
    expect(await seqs('before=5&limit=2')).toEqual([[3, 4], true]);
    expect(await seqs('before=2&limit=2')).toEqual([[1], false]);
    expect((await lu.client.get(`/api/rooms/${room.roomId}/messages?after=1&before=3`)).status).toBe(400);
    expect((await lu.client.get(`/api/rooms/${room.roomId}/messages?after=-1`)).status).toBe(400);
  });

  it('counts unread messages from others and moves the read mark forward only', async () => {
    const [max, ned, room] = await pair('max', 'ned');
    for (let i = 0; i < 3; i++)
      await max.client.post(`/api/rooms/${room.roomId}/messages`, envelopeFor(max.account, room));
    await ned.client.post(`/api/rooms/${room.roomId}/messages`, envelopeFor(ned.account, room));
    const unread = async (u: User) =>
      (
        await u.client.get<{ rooms: { id: string; unread: number; lastReadSeq: number }[] }>('/api/rooms')
      ).body.rooms.find((r) => r.id === room.roomId);
    expect(await unread(ned)).toMatchObject({ unread: 3, lastReadSeq: 0 });
    expect(await unread(max)).toMatchObject({ unread: 1 });
    const socket = await connectSocket(t.baseUrl, ned.client);
    const reads = collect(socket, 'room:read');
    expect((await ned.client.post(`/api/rooms/${room.roomId}/read`, { seq: 2 })).body).toEqual({ lastReadSeq: 2 });
    await until(() => reads.length === 1);
    expect(await unread(ned)).toMatchObject({ unread: 1, lastReadSeq: 2 });
    expect((await ned.client.post(`/api/rooms/${room.roomId}/read`, { seq: 1 })).body).toEqual({ lastReadSeq: 2 });
    expect((await ned.client.post(`/api/rooms/${room.roomId}/read`, { seq: 99 })).body).toEqual({ lastReadSeq: 4 });
    expect(await unread(ned)).toMatchObject({ unread: 0 });
    socket.close();
  });

  it('keeps every acknowledged message across a restart of the server', async () => {
    const [oz, pia, room] = await pair('ozzy', 'pia');
    const socket = await connectSocket(t.baseUrl, oz.client);
    const acks: Ack[] = [];
    for (let i = 0; i < 10; i++)
      acks.push(
        await emitWithAck<Ack>(socket, 'message:send', { roomId: room.roomId, ...envelopeFor(oz.account, room) }),
      );
    socket.close();
    const second = await startTestApp({}, t.dbUrl);
    try {
      const client = second.client();
      await logIn(client, pia.account);
      const page = await client.get<{ messages: ServerMessage[] }>(`/api/rooms/${room.roomId}/messages`);
      expect(page.body.messages.map((m) => m.id)).toEqual(acks.map((a) => a.message.id));
    } finally {
      await second.closeAppOnly();
    }
  });
});

describe('the socket and sessions', () => {
  it('refuses a handshake without a live session or from another origin', async () => {
    await expect(connectSocket(t.baseUrl, t.client())).rejects.toThrow('not_logged_in');
    const forged = t.client();
    forged.cookie = `oc_session=${'B'.repeat(43)}`;
    await expect(connectSocket(t.baseUrl, forged)).rejects.toThrow('session_expired');
    const [quin] = await pair('quin', 'rae');
    await expect(connectSocket(t.baseUrl, quin.client, { origin: 'http://evil.example' })).rejects.toThrow();
  });

  it('closes the sockets of a session that logs out', async () => {
    const [sol] = await pair('sol', 'tim');
    const socket = await connectSocket(t.baseUrl, sol.client);
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    await sol.client.post('/api/auth/logout');
    await closed;
    expect(socket.connected).toBe(false);
  });
});
