// The files API with FILE_STORAGE=s3, against a real S3-compatible server (s3rver).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { cutUpload, rawRequest, whenNotBusy } from '../../test-support/raw-http.js';
import { startTestS3, type TestS3 } from '../../test-support/s3.js';
import { befriend, newUser, type Friendship, type User } from '../../test-support/social.js';
import { FileSweeper } from './file-sweeper.js';
import { s3Client } from './file-storage.factory.js';

const PREFIX = `files-${randomBytes(4).toString('hex')}/`;
let s3: TestS3;
let bucket: S3Client;
let t: TestApp;
let ann: User;
let ben: User;
let room: Friendship;

beforeAll(async () => {
  s3 = await startTestS3();
  t = await startTestApp({
    ...s3.env,
    S3_KEY_PREFIX: PREFIX,
    S3_PART_BYTES: String(16 * 1024),
    UPLOAD_REQUEST_MAX_BYTES: String(64 * 1024),
    FILE_MAX_BYTES: String(1024 * 1024),
  });
  bucket = s3Client(t.config);
  [ann, ben] = [await newUser(t, 's3_ann'), await newUser(t, 's3_ben')];
  room = await befriend(ann, ben);
});
afterAll(async () => {
  bucket?.destroy();
  await t?.close();
  await s3?.close();
});

interface FileInfo {
  id: string;
  received: number;
  status: string;
}

const raw = (u: User, method: string, pathname: string, body?: Buffer, headers?: Record<string, string>) =>
  rawRequest(t.baseUrl, u.client.cookie, method, pathname, body, headers);

const put = (u: User, id: string, offset: number, bytes: Buffer) =>
  raw(u, 'PUT', `/api/files/${id}/content?offset=${offset}`, bytes, { 'content-type': 'application/octet-stream' });
const create = (size: number) =>
  ann.client.post<{ file: FileInfo }>(`/api/rooms/${room.roomId}/files`, { size }).then((r) => r.body.file.id);
const received = async (id: string) => (await ann.client.get<{ file: FileInfo }>(`/api/files/${id}`)).body.file;

async function storedKeys(): Promise<string[]> {
  const page = await bucket.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: PREFIX }));
  return (page.Contents ?? []).map((o) => o.Key!.slice(PREFIX.length));
}

describe('files on S3', () => {
  it('uploads in resumable requests, survives a cut-off request, and serves the file and ranges back', async () => {
    const bytes = randomBytes(150_000);
    const id = await create(bytes.length);
    expect((await put(ann, id, 0, bytes.subarray(0, 64 * 1024))).status).toBe(200);
    // A request that dies half-way: part of its body, then the connection goes.
    await cutUpload(t.baseUrl, ann.client.cookie!, id, 65_536, 65_536, bytes.subarray(65_536, 65_536 + 40_000));
    expect((await received(id)).received).toBe(65_536);
    expect((await whenNotBusy(() => put(ann, id, 65_536, bytes.subarray(65_536, 131_072)))).status).toBe(200);
    expect((await put(ann, id, 131_072, bytes.subarray(131_072))).status).toBe(200);
    expect((await received(id)).status).toBe('ready');
    // Nothing of the cut-off request is left: the parts tile the file exactly.
    const offsets = (await storedKeys()).filter((k) => k.startsWith(id)).map((k) => Number(k.split('/')[1]));
    expect(offsets).toEqual([0, 16384, 32768, 49152, 65536, 81920, 98304, 114688, 131072, 147456]);
    const full = await raw(ben, 'GET', `/api/files/${id}/content`);
    expect(full.status).toBe(200);
    expect(full.body.equals(bytes)).toBe(true);
    const part = await raw(ben, 'GET', `/api/files/${id}/content`, undefined, { range: 'bytes=16000-70000' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 16000-70000/150000');
    expect(part.body.equals(bytes.subarray(16_000, 70_001))).toBe(true);
    expect((await ann.client.delete(`/api/files/${id}`)).status).toBe(204);
    expect((await storedKeys()).filter((k) => k.startsWith(id))).toEqual([]);
  });

  it('sweeps abandoned uploads and objects without a record from the bucket', async () => {
    const id = await create(1000);
    await put(ann, id, 0, randomBytes(500));
    const orphan = '00000000-0000-4000-8000-00000000abcd';
    await bucket.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: `${PREFIX}${orphan}/0000000000000000`, Body: 'x' }),
    );
    const db = new pg.Client({ connectionString: t.dbUrl });
    await db.connect();
    await db.query(`UPDATE "StoredFile" SET "expiresAt" = now() - interval '1 minute' WHERE id = $1`, [id]);
    await db.end();
    // The orphan is fresh, so it is kept for now (it may belong to a record being written).
    expect(await t.app.get(FileSweeper).sweep()).toBe(1);
    expect(await storedKeys()).toEqual([`${orphan}/0000000000000000`]);
    expect(await t.app.get(FileSweeper).sweep(new Date(Date.now() + 3_600_000))).toBe(1);
    expect(await storedKeys()).toEqual([]);
  });

  it('answers 503 while the store is down, keeps the upload where it was, and carries on when it is back', async () => {
    const bytes = randomBytes(40_000);
    const id = await create(bytes.length);
    expect((await put(ann, id, 0, bytes.subarray(0, 20_000))).status).toBe(200);
    const ready = await create(100);
    expect((await put(ann, ready, 0, randomBytes(100))).status).toBe(200);
    await s3.stop();
    try {
      const upload = await put(ann, id, 20_000, bytes.subarray(20_000));
      expect(upload.status).toBe(503);
      expect(JSON.parse(upload.body.toString())).toMatchObject({
        code: 'storage_unavailable',
        message: expect.stringContaining('Try again'),
      });
      const download = await raw(ben, 'GET', `/api/files/${ready}/content`);
      expect(download.status).toBe(503);
      expect(JSON.parse(download.body.toString())).toMatchObject({ code: 'storage_unavailable' });
      expect((await received(id)).received).toBe(20_000);
    } finally {
      await s3.start();
    }
    expect((await put(ann, id, 20_000, bytes.subarray(20_000))).status).toBe(200);
    expect((await raw(ben, 'GET', `/api/files/${id}/content`)).body.equals(bytes)).toBe(true);
  });
});
