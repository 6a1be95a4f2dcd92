import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { newUuid } from '@onionchat/protocol';
import { serverMessage, type ServerMessage } from '@onionchat/contract';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { rawRequest } from '../../test-support/raw-http.js';
import {
  befriend,
  connectSocket,
  emitWithAck,
  envelopeFor,
  newUser,
  type Friendship,
  type User,
} from '../../test-support/social.js';

let t: TestApp;
let amy: User;
let bo: User;
let outsider: User;
let room: Friendship;

beforeAll(async () => {
  t = await startTestApp();
  [amy, bo, outsider] = [await newUser(t, 'erase_amy'), await newUser(t, 'erase_bo'), await newUser(t, 'erase_out')];
  room = await befriend(amy, bo);
});
afterAll(() => t.close());

type Ack = { ok: boolean; message: ServerMessage };

async function send(u: User, text: string): Promise<ServerMessage> {
  const res = await u.client.post<{ message: ServerMessage }>(`/api/rooms/${room.roomId}/messages`, {
    ...envelopeFor(u.account, room, { type: 'text', text }),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.message;
}

const erase = (u: User, id: string, roomId = room.roomId) => u.client.delete(`/api/rooms/${roomId}/messages/${id}`);

async function storedRow(id: string): Promise<{ envelope: Buffer; erasedAt: Date | null; seq: string }> {
  const db = new pg.Client({ connectionString: t.dbUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ envelope: Buffer; erasedAt: Date | null; seq: string }>(
      'SELECT envelope, "erasedAt", seq::text FROM "Message" WHERE id = $1',
      [id],
    );
    return rows[0]!;
  } finally {
    await db.end();
  }
}

async function history(u: User): Promise<ServerMessage[]> {
  const res = await u.client.get<{ messages: ServerMessage[] }>(`/api/rooms/${room.roomId}/messages`);
  expect(res.status).toBe(200);
  return res.body.messages;
}

describe('erasing a message for everyone', () => {
  it('removes the ciphertext from the database and keeps the row in its place', async () => {
    const first = await send(amy, 'keep me');
    const second = await send(amy, 'take this back');
    const third = await send(bo, 'reply');
    expect((await erase(amy, second.id)).status).toBe(204);

    const row = await storedRow(second.id);
    expect(row.envelope.length).toBe(0);
    expect(row.erasedAt).toBeInstanceOf(Date);
    expect(row.seq).toBe(String(second.seq));

    for (const reader of [amy, bo]) {
      const seen = await history(reader);
      expect(seen.map((m) => m.seq)).toEqual([first.seq, second.seq, third.seq]);
      const erased = seen.find((m) => m.id === second.id)!;
      expect(erased).toMatchObject({ envelope: '', senderId: amy.account.id, seq: second.seq });
      expect(erased.erasedAt).not.toBeNull();
      // The contract takes the erased row as it is, and the untouched ones unchanged.
      expect(serverMessage.parse(erased)).toEqual(erased);
      expect(seen.find((m) => m.id === first.id)).toEqual({ ...first, erasedAt: null });
    }
  });

  it('answers 204 again for a message already erased, and changes nothing more', async () => {
    const sent = await send(amy, 'twice');
    expect((await erase(amy, sent.id)).status).toBe(204);
    const { erasedAt } = await storedRow(sent.id);
    expect((await erase(amy, sent.id)).status).toBe(204);
    expect((await storedRow(sent.id)).erasedAt).toEqual(erasedAt);
  });

  it("refuses to let a member erase someone else's message, and tells a stranger nothing exists", async () => {
    const sent = await send(amy, 'mine');
    const byOther = await erase(bo, sent.id);
    expect(byOther.status).toBe(403);
    expect(byOther.body).toMatchObject({ message: 'Only the person who sent a message can erase it.' });
    expect((await erase(outsider, sent.id)).status).toBe(404);
    expect((await erase(amy, newUuid())).status).toBe(404);
    expect((await erase(amy, sent.id, newUuid())).status).toBe(404);
    expect((await t.client().delete(`/api/rooms/${room.roomId}/messages/${sent.id}`)).status).toBe(401);
    const row = await storedRow(sent.id);
    expect(row.erasedAt).toBeNull();
    expect(row.envelope.length).toBeGreaterThan(0);
  });

  it('answers a retry of a message erased since as the duplicate it is, and counts no erased message as unread', async () => {
    const sent = envelopeFor(amy.account, room, { type: 'text', text: 'sent, then its answer was lost' });
    const first = await amy.client.post<{ message: ServerMessage }>(`/api/rooms/${room.roomId}/messages`, sent);
    expect(first.status).toBe(201);
    const unread = async () =>
      (await bo.client.get<{ rooms: { id: string; unread: number }[] }>('/api/rooms')).body.rooms.find(
        (r) => r.id === room.roomId,
      )!.unread;
    const before = await unread();
    expect((await erase(amy, first.body.message.id)).status).toBe(204);
    expect(await unread()).toBe(before - 1);

    const retry = await amy.client.post<{ message: ServerMessage; duplicate: boolean }>(
      `/api/rooms/${room.roomId}/messages`,
      sent,
    );
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ duplicate: true, message: { id: first.body.message.id, envelope: '' } });
  });

  it('keeps sending after an erase: the next message takes the next number', async () => {
    const socket = await connectSocket(t.baseUrl, amy.client);
    const before = await send(amy, 'before');
    expect((await erase(amy, before.id)).status).toBe(204);
    const ack = await emitWithAck<Ack>(socket, 'message:send', {
      roomId: room.roomId,
      ...envelopeFor(amy.account, room),
    });
    expect(ack).toMatchObject({ ok: true, message: { seq: before.seq + 1, erasedAt: null } });
    socket.close();
  });
});

describe('deleting a sent file for everyone', () => {
  async function readyFile(u: User, size = 2048): Promise<string> {
    const created = await u.client.post<{ file: { id: string } }>(`/api/rooms/${room.roomId}/files`, { size });
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

  it('lets the uploader delete a ready file: its bytes leave storage and nobody can fetch it', async () => {
    const id = await readyFile(amy);
    const stored = path.join(t.config.FILES_DIR, `${id}.bin`);
    expect(existsSync(stored)).toBe(true);
    expect((await bo.client.get(`/api/files/${id}`)).status).toBe(200);

    expect((await amy.client.delete(`/api/files/${id}`)).status).toBe(204);
    expect(existsSync(stored)).toBe(false);
    expect((await bo.client.get(`/api/files/${id}`)).status).toBe(404);
    expect((await rawRequest(t.baseUrl, bo.client.cookie, 'GET', `/api/files/${id}/content`)).status).toBe(404);
  });

  it("does not let the other member delete the uploader's ready file", async () => {
    const id = await readyFile(amy);
    const res = await bo.client.delete(`/api/files/${id}`);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ message: 'Only the person who uploaded a file can delete it.' });
    expect((await outsider.client.delete(`/api/files/${id}`)).status).toBe(404);
    expect(existsSync(path.join(t.config.FILES_DIR, `${id}.bin`))).toBe(true);
  });
});
