// Disappearing messages and files, and RETENTION_MAX_DAYS, on real PostgreSQL and disk:
// what is refused, what stops being served at its time, and what the sweep deletes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { ServerFile, ServerMessage } from '@onionchat/contract';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { rawRequest } from '../../test-support/raw-http.js';
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
import { FILE_STORAGE, type FileStorage } from '../files/file-storage.js';
import { RetentionRepository } from './retention.repository.js';
import { RetentionSweeper } from './retention-sweeper.js';
import { liveWhere, retentionCutoff } from './live.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_DAYS = 30;

let t: TestApp;
let db: pg.Client;
let ann: User;
let ben: User;
let room: Friendship;

beforeAll(async () => {
  // A batch of 2 makes every sweep below run several batches.
  t = await startTestApp({ RETENTION_MAX_DAYS: String(MAX_DAYS), RETENTION_SWEEP_BATCH: '2' });
  db = new pg.Client({ connectionString: t.dbUrl });
  await db.connect();
  [ann, ben] = [await newUser(t, 'ret_ann'), await newUser(t, 'ret_ben')];
  room = await befriend(ann, ben);
});
afterAll(async () => {
  await db?.end();
  await t?.close();
});

const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();
const sweeper = () => t.app.get(RetentionSweeper);

type Sent = { message: ServerMessage; duplicate: boolean };

function send(disappearsAt?: unknown) {
  const body =
    disappearsAt === undefined ? envelopeFor(ann.account, room) : { ...envelopeFor(ann.account, room), disappearsAt };
  return ann.client.post<Sent & { code: string; message: string }>(`/api/rooms/${room.roomId}/messages`, body);
}

async function sent(disappearsAt?: string | null): Promise<ServerMessage> {
  const res = await send(disappearsAt);
  if (res.status !== 201) throw new Error(`send failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.message;
}

async function history(u: User = ben): Promise<string[]> {
  const page = await u.client.get<{ messages: ServerMessage[] }>(`/api/rooms/${room.roomId}/messages?limit=200`);
  return page.body.messages.map((m) => m.id);
}

async function storedIds(table: 'Message' | 'StoredFile', ids: string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`SELECT id::text FROM "${table}" WHERE id = ANY($1::uuid[])`, [ids]);
  return rows.map((r) => r.id).sort();
}

/** Moves a row's times as if they had passed: no test waits for a clock. */
async function backdate(
  table: 'Message' | 'StoredFile',
  id: string,
  column: 'disappearsAt' | 'createdAt',
  ago: string,
) {
  await db.query(`UPDATE "${table}" SET "${column}" = (now() AT TIME ZONE 'UTC') - $2::interval WHERE id = $1`, [
    id,
    ago,
  ]);
}

const filePath = (id: string) => path.join(t.config.FILES_DIR, `${id}.bin`);

async function uploadedFile(disappearsAt?: string): Promise<{ file: ServerFile; bytes: Buffer }> {
  const bytes = randomBytes(2000);
  const created = await ann.client.post<{ file: ServerFile }>(`/api/rooms/${room.roomId}/files`, {
    size: bytes.length,
    ...(disappearsAt ? { disappearsAt } : {}),
  });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.file.id;
  const put = await rawRequest(t.baseUrl, ann.client.cookie, 'PUT', `/api/files/${id}/content?offset=0`, bytes, {
    'content-type': 'application/octet-stream',
  });
  if (put.status !== 200) throw new Error(`upload failed: ${put.status}`);
  return { file: created.body.file, bytes };
}

const download = (u: User, id: string) => rawRequest(t.baseUrl, u.client.cookie, 'GET', `/api/files/${id}/content`);

describe('disappearing times that are refused', () => {
  it.each([
    ['not a time', 'tomorrow'],
    ['an impossible date', '2026-02-30T10:00:00Z'],
    ['a number', 1_900_000_000_000],
    ['more than DISAPPEARING_MAX_DAYS ahead', new Date(Date.now() + 29 * DAY + HOUR).toISOString()],
  ])('answers 400 bad_disappears_at for %s, storing nothing', async (_what, value) => {
    const before = await history(ann);
    const res = await send(value);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('bad_disappears_at');
    expect(res.body.message).toMatch(/^disappearsAt .+\.$/);
    expect(await history(ann)).toEqual(before);
  });

  it('answers 400 already_disappeared for a time that has passed, over HTTP and over the socket', async () => {
    const before = await history(ann);
    const res = await send(new Date(Date.now() - 1000).toISOString());
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'already_disappeared',
      message: "This message's disappearing time has already passed, so it was not stored.",
    });
    const socket = await connectSocket(t.baseUrl, ann.client);
    try {
      const ack = await emitWithAck(socket, 'message:send', {
        roomId: room.roomId,
        ...envelopeFor(ann.account, room),
        disappearsAt: inHours(-1),
      });
      expect(ack).toMatchObject({ ok: false, status: 400, code: 'already_disappeared' });
    } finally {
      socket.disconnect();
    }
    expect(await history(ann)).toEqual(before);
  });

  it('refuses the same for files, before reserving anything', async () => {
    const files = `/api/rooms/${room.roomId}/files`;
    const bad = await ann.client.post(files, { size: 100, disappearsAt: '5 minutes' });
    expect(bad.status).toBe(400);
    expect(bad.body['code']).toBe('bad_disappears_at');
    const far = await ann.client.post(files, { size: 100, disappearsAt: inHours(30 * 24) });
    expect(far.body['code']).toBe('bad_disappears_at');
    const past = await ann.client.post(files, { size: 100, disappearsAt: inHours(-1) });
    expect(past.status).toBe(400);
    expect(past.body).toMatchObject({
      code: 'already_disappeared',
      message: "This file's disappearing time has already passed, so it was not stored.",
    });
    const list = await ann.client.get<{ files: ServerFile[] }>(files);
    expect(list.body.files.filter((f) => f.size === 100)).toEqual([]);
  });
});

describe('disappearing messages', () => {
  it('stores and hands out the time with the message: in the answer, live and in history', async () => {
    const socket = await connectSocket(t.baseUrl, ben.client);
    try {
      const live = collect<ServerMessage>(socket, 'message:new');
      const at = inHours(2);
      const message = await sent(at);
      expect(message.disappearsAt).toBe(at);
      await until(() => live.some((m) => m.id === message.id));
      expect(live.find((m) => m.id === message.id)?.disappearsAt).toBe(at);
      const kept = await sent(null);
      expect(kept.disappearsAt).toBeNull();
      const page = await ben.client.get<{ messages: ServerMessage[] }>(`/api/rooms/${room.roomId}/messages`);
      const byId = new Map(page.body.messages.map((m) => [m.id, m.disappearsAt]));
      expect(byId.get(message.id)).toBe(at);
      expect(byId.get(kept.id)).toBeNull();
    } finally {
      socket.disconnect();
    }
  });

  it('answers a retried send with the time first stored', async () => {
    const body = { ...envelopeFor(ann.account, room), disappearsAt: inHours(1) };
    const first = await ann.client.post<Sent>(`/api/rooms/${room.roomId}/messages`, body);
    const retry = await ann.client.post<Sent>(`/api/rooms/${room.roomId}/messages`, {
      ...body,
      disappearsAt: inHours(3),
    });
    expect(retry.body.duplicate).toBe(true);
    expect(retry.body.message.disappearsAt).toBe(first.body.message.disappearsAt);
  });

  it('stops serving a message once its time has passed, before any sweep, and the sweep deletes only it', async () => {
    const gone = await sent(inHours(1));
    const later = await sent(inHours(1));
    const kept = await sent();
    await backdate('Message', gone.id, 'disappearsAt', '1 second');
    const shown = await history();
    expect(shown).not.toContain(gone.id);
    expect(shown).toEqual(expect.arrayContaining([later.id, kept.id]));
    // Pages step over the gap: the message after it is still reachable from before it.
    const after = await ben.client.get<{ messages: ServerMessage[] }>(
      `/api/rooms/${room.roomId}/messages?after=${gone.seq - 1}&limit=1`,
    );
    expect(after.body.messages.map((m) => m.id)).toEqual([later.id]);
    expect(await storedIds('Message', [gone.id])).toEqual([gone.id]);

    await sweeper().sweep();
    expect(await storedIds('Message', [gone.id, later.id, kept.id])).toEqual([later.id, kept.id].sort());
  });

  it('does not count a disappeared message as unread', async () => {
    const rooms = async () =>
      (
        await ben.client.get<{ rooms: { id: string; unread: number; lastSeq: number }[] }>('/api/rooms')
      ).body.rooms.find((r) => r.id === room.roomId)!;
    const before = await rooms();
    const message = await sent(inHours(1));
    expect((await rooms()).unread).toBe(before.unread + 1);
    await backdate('Message', message.id, 'disappearsAt', '1 second');
    const after = await rooms();
    expect(after.unread).toBe(before.unread);
    // Sequence numbers are not given back: the room's last number still counts it.
    expect(after.lastSeq).toBe(message.seq);
  });

  it('deletes many due messages in batches in one sweep, leaving the rest', async () => {
    await sweeper().sweep(); // what earlier tests left due
    const due = [];
    for (let i = 0; i < 5; i++) due.push(await sent(inHours(1)));
    const notYet = await sent(inHours(1));
    for (const m of due) await backdate('Message', m.id, 'disappearsAt', '1 minute');
    const result = await sweeper().sweep();
    expect(result.messages).toBe(5);
    expect(await storedIds('Message', [...due.map((m) => m.id), notYet.id])).toEqual([notYet.id]);
    expect(await sweeper().sweep()).toEqual({ messages: 0, files: 0 });
  });

  it('is safe with several instances sweeping at once', async () => {
    await sweeper().sweep();
    const due = [];
    for (let i = 0; i < 6; i++) due.push(await sent(inHours(1)));
    const notYet = await sent(inHours(1));
    for (const m of due) await backdate('Message', m.id, 'disappearsAt', '1 minute');
    // A second sweeper with the same database and storage stands for another instance.
    const other = new RetentionSweeper(t.config, t.app.get<FileStorage>(FILE_STORAGE), t.app.get(RetentionRepository));
    const [a, b] = await Promise.all([sweeper().sweep(), other.sweep()]);
    expect(a.messages + b.messages).toBe(6);
    expect(await storedIds('Message', [...due.map((m) => m.id), notYet.id])).toEqual([notYet.id]);
  });
});

describe('disappearing files', () => {
  it('hides a file once its time has passed, then the sweep deletes its record and its bytes on disk', async () => {
    const at = inHours(5);
    const { file, bytes } = await uploadedFile(at);
    expect(file.disappearsAt).toBe(at);
    const keep = await uploadedFile(inHours(5));
    const plain = await uploadedFile();
    expect(plain.file.disappearsAt).toBeNull();
    const info = await ben.client.get<{ file: ServerFile }>(`/api/files/${file.id}`);
    expect(info.body.file).toMatchObject({ status: 'ready', disappearsAt: at, expiresAt: null });
    expect((await download(ben, file.id)).body.equals(bytes)).toBe(true);

    await backdate('StoredFile', file.id, 'disappearsAt', '1 second');
    expect((await ben.client.get(`/api/files/${file.id}`)).status).toBe(404);
    expect((await download(ben, file.id)).status).toBe(404);
    expect((await ann.client.delete(`/api/files/${file.id}`)).status).toBe(404);
    const list = await ben.client.get<{ files: ServerFile[] }>(`/api/rooms/${room.roomId}/files`);
    expect(list.body.files.map((f) => f.id)).not.toContain(file.id);
    expect(existsSync(filePath(file.id))).toBe(true);

    const result = await sweeper().sweep();
    expect(result.files).toBe(1);
    expect(await storedIds('StoredFile', [file.id, keep.file.id, plain.file.id])).toEqual(
      [keep.file.id, plain.file.id].sort(),
    );
    expect(existsSync(filePath(file.id))).toBe(false);
    expect(existsSync(filePath(keep.file.id))).toBe(true);
    expect((await download(ben, keep.file.id)).body.equals(keep.bytes)).toBe(true);
  });

  it('deletes an unfinished upload that disappeared, and refuses to continue it', async () => {
    const created = await ann.client.post<{ file: ServerFile }>(`/api/rooms/${room.roomId}/files`, {
      size: 4000,
      disappearsAt: inHours(1),
    });
    const id = created.body.file.id;
    const put = (offset: number) =>
      rawRequest(t.baseUrl, ann.client.cookie, 'PUT', `/api/files/${id}/content?offset=${offset}`, randomBytes(1000), {
        'content-type': 'application/octet-stream',
      });
    expect((await put(0)).status).toBe(200);
    await backdate('StoredFile', id, 'disappearsAt', '1 second');
    expect((await put(1000)).status).toBe(404);
    await sweeper().sweep();
    expect(await storedIds('StoredFile', [id])).toEqual([]);
    expect(existsSync(filePath(id))).toBe(false);
  });
});

describe('RETENTION_MAX_DAYS', () => {
  it('stops serving, then deletes, messages and files older than the limit, and nothing newer', async () => {
    const old = await sent();
    const recent = await sent();
    const oldFile = await uploadedFile();
    const recentFile = await uploadedFile();
    await backdate('Message', old.id, 'createdAt', `${MAX_DAYS} days 1 minute`);
    await backdate('Message', recent.id, 'createdAt', `${MAX_DAYS - 1} days`);
    await backdate('StoredFile', oldFile.file.id, 'createdAt', `${MAX_DAYS} days 1 minute`);
    const shown = await history();
    expect(shown).not.toContain(old.id);
    expect(shown).toContain(recent.id);
    expect((await ben.client.get(`/api/files/${oldFile.file.id}`)).status).toBe(404);

    const result = await sweeper().sweep();
    expect(result).toEqual({ messages: 1, files: 1 });
    expect(await storedIds('Message', [old.id, recent.id])).toEqual([recent.id]);
    expect(await storedIds('StoredFile', [oldFile.file.id, recentFile.file.id])).toEqual([recentFile.file.id]);
    expect(existsSync(filePath(oldFile.file.id))).toBe(false);
    expect(existsSync(filePath(recentFile.file.id))).toBe(true);
  });

  it('is off at 0: no cutoff, and only disappearing times hide rows', () => {
    const now = new Date('2026-12-05T00:00:00Z');
    expect(retentionCutoff(0, now)).toBeNull();
    expect(retentionCutoff(7, now)).toEqual(new Date('2026-11-28T00:00:00Z'));
    expect(liveWhere(0, now)).toEqual({ OR: [{ disappearsAt: null }, { disappearsAt: { gt: now } }] });
  });
});
