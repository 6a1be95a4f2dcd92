import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { loadConfig } from '../config/config.js';
import { startTestS3, S3_CREDENTIALS, type TestS3 } from '../../test-support/s3.js';
import { StorageUnavailableError } from './file-storage.js';
import { s3Client } from './file-storage.factory.js';
import { S3Storage } from './s3.storage.js';

const PART = 4096;
let s3: TestS3;
let client: S3Client;
let storage: S3Storage;
let prefix: string;

beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  client?.destroy();
  await s3.close();
});

function storageWith(overrides: Record<string, string> = {}, partBytes = PART) {
  const config = loadConfig({ DATABASE_URL: 'postgresql://unused', ...s3.env, ...overrides });
  const c = s3Client(config);
  return { client: c, storage: new S3Storage({ client: c, bucket: config.S3_BUCKET!, prefix, partBytes }) };
}

// Every test gets its own key prefix, so what one test stores cannot satisfy another.
function fresh() {
  prefix = `run-${randomBytes(4).toString('hex')}/`;
  client?.destroy();
  ({ client, storage } = storageWith());
}

/** The request body an upload sees: the bytes in uneven pieces. */
function pieces(bytes: Buffer, piece = 1500): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += piece) parts.push(bytes.subarray(i, i + piece));
  return Readable.from(parts);
}

/** A request that delivers some bytes and then breaks, as a dropped Tor circuit does. */
function cutOff(bytes: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield bytes;
      throw new Error('connection reset');
    })(),
  );
}

async function keys(): Promise<{ key: string; size: number }[]> {
  const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (page.Contents ?? []).map((o) => ({ key: o.Key!.slice(prefix.length), size: o.Size! }));
}

const read = (id: string, start: number, end: number) => buffer(storage.read(id, start, end));

describe('S3 storage', () => {
  it('appends requests at offsets as parts no larger than the part size, and reads any range back', async () => {
    fresh();
    const id = randomUUID();
    const bytes = randomBytes(3 * PART + 1234);
    expect(await storage.write(id, 0, pieces(bytes.subarray(0, 5000)))).toBe(5000);
    expect(await storage.write(id, 5000, pieces(bytes.subarray(5000)))).toBe(bytes.length - 5000);
    const stored = await keys();
    // 5000 bytes = 4096 + 904, then 8522 = 4096 + 4096 + 330.
    expect(stored.map((o) => o.key)).toEqual([
      `${id}/0000000000000000`,
      `${id}/0000000000004096`,
      `${id}/0000000000005000`,
      `${id}/0000000000009096`,
      `${id}/0000000000013192`,
    ]);
    expect(Math.max(...stored.map((o) => o.size))).toBeLessThanOrEqual(PART);
    expect((await read(id, 0, bytes.length - 1)).equals(bytes)).toBe(true);
    for (const [start, end] of [
      [0, 0],
      [4095, 4096],
      [4000, 9100],
      [5000, 5000],
      [bytes.length - 10, bytes.length - 1],
    ] as const) {
      expect((await read(id, start, end)).equals(bytes.subarray(start, end + 1)), `${start}-${end}`).toBe(true);
    }
  });

  it('keeps nothing of a request that breaks off, so the upload resumes at the same offset', async () => {
    fresh();
    const id = randomUUID();
    const bytes = randomBytes(20_000);
    await storage.write(id, 0, pieces(bytes.subarray(0, 6000)));
    await expect(storage.write(id, 6000, cutOff(bytes.subarray(6000, 15_000)))).rejects.toThrow('connection reset');
    expect((await keys()).map((o) => o.key)).toEqual([`${id}/0000000000000000`, `${id}/0000000000004096`]);
    expect(await storage.write(id, 6000, pieces(bytes.subarray(6000)))).toBe(14_000);
    expect((await read(id, 0, bytes.length - 1)).equals(bytes)).toBe(true);
  });

  it('drops parts a crashed writer left past the offset before writing there', async () => {
    fresh();
    const id = randomUUID();
    const bytes = randomBytes(10_000);
    await storage.write(id, 0, pieces(bytes.subarray(0, 3000)));
    for (const offset of ['0000000000003000', '0000000000003500', '0000000000007000']) {
      await client.send(
        new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}${id}/${offset}`, Body: randomBytes(600) }),
      );
    }
    await storage.write(id, 3000, pieces(bytes.subarray(3000)));
    expect((await read(id, 0, bytes.length - 1)).equals(bytes)).toBe(true);
  });

  it('stores only the bytes it is given: no metadata, no content type, keys made of the file id and offset', async () => {
    fresh();
    const id = randomUUID();
    await storage.write(id, 0, pieces(randomBytes(100)));
    const [only] = await keys();
    expect(only?.key).toBe(`${id}/0000000000000000`);
    const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: prefix + only!.key }));
    expect(head.Metadata ?? {}).toEqual({});
    expect(head.ContentLength).toBe(100);
  });

  it('deletes every part of a file and nothing else; deleting a missing file is not an error', async () => {
    fresh();
    const [gone, kept] = [randomUUID(), randomUUID()];
    await storage.write(gone, 0, pieces(randomBytes(3 * PART)));
    await storage.write(kept, 0, pieces(randomBytes(10)));
    await storage.delete(gone);
    await storage.delete(randomUUID());
    expect((await keys()).map((o) => o.key)).toEqual([`${kept}/0000000000000000`]);
  });

  it('lists each stored file once with its latest change, ignoring keys it did not write', async () => {
    fresh();
    const ids = [randomUUID(), randomUUID()].sort();
    await storage.write(ids[0]!, 0, pieces(randomBytes(3 * PART)));
    await storage.write(ids[1]!, 0, pieces(randomBytes(10)));
    for (const key of [`${prefix}notes.txt`, `${prefix}${ids[0]}/x`, `other/${ids[1]}/0000000000000000`]) {
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: 'x' }));
    }
    const listed = [];
    for await (const object of storage.list()) listed.push(object);
    expect(listed.map((o) => o.id)).toEqual(ids);
    for (const o of listed) expect(Math.abs(o.modifiedAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('lists, reads and deletes past one page (1000 keys) of parts', async () => {
    fresh();
    const id = randomUUID();
    const count = 1010;
    const part = (i: number) => Buffer.alloc(16, i % 251);
    // Seeded directly (and in parallel): a thousand sequential uploads would only slow the test.
    for (let i = 0; i < count; i += 50) {
      const batch = Array.from({ length: Math.min(50, count - i) }, (_, j) => i + j);
      await Promise.all(
        batch.map((n) =>
          client.send(
            new PutObjectCommand({
              Bucket: s3.bucket,
              Key: `${prefix}${id}/${String(n * 16).padStart(16, '0')}`,
              Body: part(n),
            }),
          ),
        ),
      );
    }
    expect((await keys()).length).toBe(1000);
    const listed = [];
    for await (const object of storage.list()) listed.push(object.id);
    expect(listed).toEqual([id]);
    const tail = await read(id, 16 * 1005 + 3, 16 * count - 1);
    expect(tail.equals(Buffer.concat([part(1005).subarray(3), ...[1006, 1007, 1008, 1009].map(part)]))).toBe(true);
    await storage.delete(id);
    expect(await keys()).toEqual([]);
  });

  it('refuses ids that are not file ids', async () => {
    fresh();
    await expect(storage.write('../escape', 0, pieces(randomBytes(10)))).rejects.toThrow('invalid file id');
  });
});

describe('S3 storage when the store fails', () => {
  afterEach(() => vi.restoreAllMocks());

  async function expectUnavailable(broken: S3Storage) {
    const id = randomUUID();
    await expect(broken.write(id, 0, pieces(randomBytes(10)))).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(buffer(broken.read(id, 0, 9))).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(broken.delete(id)).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(
      (async () => {
        for await (const _ of broken.list()) void _;
      })(),
    ).rejects.toBeInstanceOf(StorageUnavailableError);
  }

  it('answers "unavailable" for an unknown access key and a missing bucket, logging neither keys nor ids', async () => {
    fresh();
    const logged: string[] = [];
    vi.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void logged.push(String(message)));
    const unknownKey = 'UNKNOWN' + randomBytes(6).toString('hex').toUpperCase();
    const wrongKey = storageWith({ S3_ACCESS_KEY_ID: unknownKey });
    await expectUnavailable(wrongKey.storage);
    wrongKey.client.destroy();
    const noBucket = storageWith({ S3_BUCKET: 'no-such-bucket' });
    await expectUnavailable(noBucket.storage);
    noBucket.client.destroy();
    expect(logged.some((l) => l.includes('InvalidAccessKeyId'))).toBe(true);
    expect(logged.some((l) => l.includes('NoSuchBucket'))).toBe(true);
    for (const line of logged) {
      expect(line).toMatch(/^S3 \w+ failed: /);
      expect(line).not.toContain(unknownKey);
      expect(line).not.toContain(S3_CREDENTIALS.secretAccessKey);
      expect(line).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    }
  });

  it('answers "unavailable" while the store is down, and works again when it is back', async () => {
    fresh();
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => {});
    const id = randomUUID();
    const bytes = randomBytes(2 * PART);
    await storage.write(id, 0, pieces(bytes));
    await s3.stop();
    try {
      await expectUnavailable(storage);
    } finally {
      await s3.start();
    }
    expect((await read(id, 0, bytes.length - 1)).equals(bytes)).toBe(true);
  });
});

describe('FILE_STORAGE settings', () => {
  const load = (env: Record<string, string>) => () => loadConfig({ DATABASE_URL: 'postgresql://unused', ...env });

  it('keeps local disk the default and refuses an S3 store that is not fully named', () => {
    expect(load({})().FILE_STORAGE).toBe('local');
    expect(load({ FILE_STORAGE: 's3' })).toThrow(
      'FILE_STORAGE=s3 needs S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY',
    );
    expect(load({ ...s3.env, S3_SECRET_ACCESS_KEY: '' })).toThrow('FILE_STORAGE=s3 needs S3_SECRET_ACCESS_KEY');
    expect(load({ FILE_STORAGE: 'ftp' })).toThrow(/FILE_STORAGE/);
    expect(load({ ...s3.env, S3_ENDPOINT: 'not a url' })).toThrow(/S3_ENDPOINT/);
    expect(load({ ...s3.env, S3_PART_BYTES: '100' })).toThrow(/S3_PART_BYTES/);
    expect(load(s3.env)()).toMatchObject({ FILE_STORAGE: 's3', S3_FORCE_PATH_STYLE: true, S3_PART_BYTES: 1024 ** 2 });
  });
});
