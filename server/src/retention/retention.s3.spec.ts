// Disappearing files with FILE_STORAGE=s3, against a real S3-compatible server (s3rver):
// the sweep deletes the record and every part in the bucket, and a store that is down
// cannot keep a file alive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ServerFile } from '@onionchat/contract';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { rawRequest } from '../../test-support/raw-http.js';
import { startTestS3, type TestS3 } from '../../test-support/s3.js';
import { befriend, newUser, type Friendship, type User } from '../../test-support/social.js';
import { FileSweeper } from '../files/file-sweeper.js';
import { s3Client } from '../files/file-storage.factory.js';
import { RetentionSweeper } from './retention-sweeper.js';

const PREFIX = `retention-${randomBytes(4).toString('hex')}/`;
let s3: TestS3;
let bucket: S3Client;
let t: TestApp;
let db: pg.Client;
let ann: User;
let room: Friendship;

beforeAll(async () => {
  s3 = await startTestS3();
  t = await startTestApp({ ...s3.env, S3_KEY_PREFIX: PREFIX, S3_PART_BYTES: String(16 * 1024) });
  bucket = s3Client(t.config);
  db = new pg.Client({ connectionString: t.dbUrl });
  await db.connect();
  const ben = await newUser(t, 's3ret_ben');
  ann = await newUser(t, 's3ret_ann');
  room = await befriend(ann, ben);
});
afterAll(async () => {
  bucket?.destroy();
  await db?.end();
  await t?.close();
  await s3?.close();
});

/** The file ids that have parts in the bucket. */
async function storedIds(): Promise<Set<string>> {
  const page = await bucket.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: PREFIX }));
  return new Set((page.Contents ?? []).map((o) => o.Key!.slice(PREFIX.length).split('/')[0]!));
}

async function uploaded(): Promise<string> {
  const bytes = randomBytes(40_000);
  const disappearsAt = new Date(Date.now() + 3_600_000).toISOString();
  const created = await ann.client.post<{ file: ServerFile }>(`/api/rooms/${room.roomId}/files`, {
    size: bytes.length,
    disappearsAt,
  });
  const id = created.body.file.id;
  const put = await rawRequest(t.baseUrl, ann.client.cookie, 'PUT', `/api/files/${id}/content?offset=0`, bytes, {
    'content-type': 'application/octet-stream',
  });
  if (put.status !== 200) throw new Error(`upload failed: ${put.status}`);
  return id;
}

const disappear = (id: string) =>
  db.query(`UPDATE "StoredFile" SET "disappearsAt" = (now() AT TIME ZONE 'UTC') - interval '1 second' WHERE id = $1`, [
    id,
  ]);

const recorded = async (id: string) =>
  (await db.query(`SELECT 1 FROM "StoredFile" WHERE id = $1`, [id])).rowCount === 1;

describe('disappearing files on S3', () => {
  it('deletes the record and all its parts from the bucket, and leaves the others', async () => {
    const [gone, kept] = [await uploaded(), await uploaded()];
    expect(await storedIds()).toEqual(new Set([gone, kept]));
    await disappear(gone);
    expect(await t.app.get(RetentionSweeper).sweep()).toEqual({ messages: 0, files: 1 });
    expect(await recorded(gone)).toBe(false);
    expect(await recorded(kept)).toBe(true);
    expect(await storedIds()).toEqual(new Set([kept]));
  });

  it('deletes the record while the store is down; the bytes go with the orphan sweep once it is back', async () => {
    const id = await uploaded();
    await disappear(id);
    await s3.stop();
    try {
      await expect(t.app.get(RetentionSweeper).sweep()).rejects.toMatchObject({ code: 'storage_unavailable' });
    } finally {
      await s3.start();
    }
    expect(await recorded(id)).toBe(false);
    expect(await storedIds()).toContain(id);
    // FileSweeper deletes objects without a record once they are past its grace period.
    await t.app.get(FileSweeper).sweep(new Date(Date.now() + 3_600_000));
    expect(await storedIds()).not.toContain(id);
  });
});
