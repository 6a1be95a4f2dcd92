import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { cutUpload, rawRequest, whenNotBusy } from '../../test-support/raw-http.js';
import {
  befriend,
  collect,
  connectSocket,
  newUser,
  until,
  type Friendship,
  type User,
} from '../../test-support/social.js';
import { FileSweeper } from './file-sweeper.js';

let t: TestApp;
let ann: User;
let ben: User;
let outsider: User;
let room: Friendship;

beforeAll(async () => {
  t = await startTestApp({
    UPLOAD_REQUEST_MAX_BYTES: String(64 * 1024),
    FILE_MAX_BYTES: String(1024 * 1024),
    FILE_QUOTA_BYTES: String(1536 * 1024),
  });
  const user = (name: string) => newUser(t, name);
  [ann, ben, outsider] = [await user('file_ann'), await user('file_ben'), await user('file_out')];
  room = await befriend(ann, ben);
});
afterAll(() => t.close());

interface FileInfo {
  id: string;
  size: number;
  received: number;
  status: string;
}

const raw = (u: User, method: string, pathname: string, body?: Buffer, headers?: Record<string, string>) =>
  rawRequest(t.baseUrl, u.client.cookie, method, pathname, body, headers);

const put = (u: User, fileId: string, offset: number, bytes: Buffer) =>
  raw(u, 'PUT', `/api/files/${fileId}/content?offset=${offset}`, bytes, { 'content-type': 'application/octet-stream' });

async function create(u: User, size: number) {
  return u.client.post<{ file: FileInfo; maxRequestBytes: number }>(`/api/rooms/${room.roomId}/files`, { size });
}

async function uploadAll(u: User, fileId: string, bytes: Buffer, step = 64 * 1024) {
  for (let offset = 0; offset < bytes.length; offset += step) {
    const res = await put(u, fileId, offset, bytes.subarray(offset, offset + step));
    if (res.status !== 200) throw new Error(`upload failed at ${offset}: ${res.status} ${res.body.toString()}`);
  }
}

describe('uploads', () => {
  it('streams requests at explicit offsets, announces the ready file, and serves it back byte-identical, with ranges', async () => {
    const bytes = randomBytes(150_000);
    const created = await create(ann, bytes.length);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      file: { size: bytes.length, received: 0, status: 'uploading' },
      maxRequestBytes: 65536,
    });
    const socket = await connectSocket(t.baseUrl, ben.client);
    const ready = collect<{ roomId: string; fileId: string }>(socket, 'file:ready');
    const id = created.body.file.id;
    expect((await raw(ben, 'GET', `/api/files/${id}/content`)).status).toBe(409);
    await uploadAll(ann, id, bytes);
    await until(() => ready.length === 1);
    expect(ready[0]).toEqual({ roomId: room.roomId, fileId: id });
    const full = await raw(ben, 'GET', `/api/files/${id}/content`);
    expect(full.status).toBe(200);
    expect(full.body.equals(bytes)).toBe(true);
    const part = await raw(ben, 'GET', `/api/files/${id}/content`, undefined, { range: 'bytes=100000-' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100000-149999/150000`);
    expect(part.body.equals(bytes.subarray(100_000))).toBe(true);
    expect((await raw(ben, 'GET', `/api/files/${id}/content`, undefined, { range: 'bytes=200000-' })).status).toBe(416);
    const list = await ben.client.get<{ files: FileInfo[] }>(`/api/rooms/${room.roomId}/files`);
    expect(list.body.files.map((f) => f.id)).toContain(id);
    socket.close();
  });

  it('keeps nothing of an interrupted request; the upload resumes from what the server has', async () => {
    const bytes = randomBytes(100_000);
    const { body } = await create(ann, bytes.length);
    const id = body.file.id;
    expect((await put(ann, id, 0, bytes.subarray(0, 50_000))).status).toBe(200);
    // A request that dies half-way: send part of its body, then cut the connection.
    await cutUpload(t.baseUrl, ann.client.cookie!, id, 50_000, 50_000, bytes.subarray(50_000, 70_000));
    const info = await ann.client.get<{ file: FileInfo }>(`/api/files/${id}`);
    expect(info.body.file.received).toBe(50_000);
    expect((await whenNotBusy(() => put(ann, id, 0, bytes.subarray(0, 10)))).body.toString()).toContain('wrong_offset');
    expect((await put(ann, id, 50_000, bytes.subarray(50_000))).status).toBe(200);
    expect((await raw(ben, 'GET', `/api/files/${id}/content`)).body.equals(bytes)).toBe(true);
  });

  it('refuses bytes past the end, oversized requests and files, and enforces the quota', async () => {
    const { body } = await create(ann, 1000);
    const past = await put(ann, body.file.id, 0, randomBytes(1001));
    expect(past.status).toBe(400);
    expect(JSON.parse(past.body.toString())).toMatchObject({ code: 'past_end' });
    const big = await create(ann, 200_000);
    const tooMuch = await put(ann, big.body.file.id, 0, randomBytes(70_000));
    expect(tooMuch.status).toBe(413);
    expect((await ann.client.get<{ file: FileInfo }>(`/api/files/${big.body.file.id}`)).body.file.received).toBe(0);
    const huge = await create(ann, 2 * 1024 * 1024);
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ code: 'too_large', message: expect.stringContaining('1 MiB') });
    const fill = await create(ben, 1024 * 1024);
    expect(fill.status).toBe(201);
    const over = await create(ben, 600 * 1024);
    expect(over.status).toBe(413);
    expect(over.body).toMatchObject({ code: 'over_quota' });
    expect((await ben.client.delete(`/api/files/${fill.body.file.id}`)).status).toBe(204);
    expect((await create(ben, 600 * 1024)).status).toBe(201);
    const json = await raw(ann, 'PUT', `/api/files/${body.file.id}/content?offset=0`, Buffer.from('{}'), {
      'content-type': 'text/plain',
    });
    expect(json.status).toBe(415);
  });

  it('holds the quota against parallel reservations: the accepted ones fit, the rest are refused whole', async () => {
    const cat = await newUser(t, 'file_cat');
    const { roomId } = await befriend(cat, ben);
    const size = 400 * 1024; // each fits alone; three fit together in the quota of 1536 KiB, four do not
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        cat.client.post<{ file: FileInfo; code?: string; message?: string }>(`/api/rooms/${roomId}/files`, { size }),
      ),
    );
    const accepted = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    expect(accepted).toHaveLength(3);
    for (const a of refused) {
      expect(a.status).toBe(413);
      expect(a.body).toMatchObject({ code: 'over_quota', message: expect.stringContaining('1.5 MiB (1.2 MiB used)') });
    }
    const db = new pg.Client({ connectionString: t.dbUrl });
    await db.connect();
    const { rows } = await db.query<{ n: string; bytes: string }>(
      `SELECT count(*) AS n, coalesce(sum(f.size), 0) AS bytes FROM "StoredFile" f JOIN "User" u ON u.id = f."uploaderId" WHERE u.username = $1`,
      ['file_cat'],
    );
    await db.end();
    expect(rows[0]).toEqual({ n: '3', bytes: String(3 * size) });
    // Refused reservations hold nothing: freeing one accepted file makes room for exactly one more.
    expect((await cat.client.delete(`/api/files/${accepted[0]!.body.file.id}`)).status).toBe(204);
    expect((await cat.client.post(`/api/rooms/${roomId}/files`, { size })).status).toBe(201);
  }, 20_000);

  it('lets only members see files, and only the uploader add to or delete them', async () => {
    const { body } = await create(ann, 100);
    const id = body.file.id;
    for (const [method, pathname] of [
      ['GET', `/api/files/${id}`],
      ['GET', `/api/files/${id}/content`],
      ['DELETE', `/api/files/${id}`],
      ['GET', `/api/rooms/${room.roomId}/files`],
    ] as const) {
      expect((await raw(outsider, method, pathname)).status, `${method} ${pathname}`).toBe(404);
    }
    expect((await put(outsider, id, 0, randomBytes(100))).status).toBe(404);
    expect((await outsider.client.post(`/api/rooms/${room.roomId}/files`, { size: 100 })).status).toBe(404);
    expect((await put(ben, id, 0, randomBytes(100))).status).toBe(403);
    expect((await ben.client.delete(`/api/files/${id}`)).status).toBe(403);
    expect((await t.client().get(`/api/files/${id}`)).status).toBe(401);
  });
});

describe('cleaning up', () => {
  it('deletes abandoned uploads and stored objects without a record', async () => {
    const { body } = await create(ann, 1000);
    await put(ann, body.file.id, 0, randomBytes(500));
    const dir = t.config.FILES_DIR;
    expect(existsSync(path.join(dir, `${body.file.id}.bin`))).toBe(true);
    const orphan = path.join(dir, '00000000-0000-4000-8000-00000000abcd.bin');
    writeFileSync(orphan, 'x');
    utimesSync(orphan, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const db = new pg.Client({ connectionString: t.dbUrl });
    await db.connect();
    await db.query(`UPDATE "StoredFile" SET "expiresAt" = now() - interval '1 minute' WHERE id = $1`, [body.file.id]);
    await db.end();
    expect(await t.app.get(FileSweeper).sweep()).toBe(2);
    expect(readdirSync(dir)).not.toContain(`${body.file.id}.bin`);
    expect(existsSync(orphan)).toBe(false);
    expect((await ann.client.get(`/api/files/${body.file.id}`)).status).toBe(404);
  });
});
