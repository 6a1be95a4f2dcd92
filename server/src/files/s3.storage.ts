// FileStorage on an S3-compatible object store, so every app instance sees the same files.
// Objects cannot be appended to, so an upload is a run of part objects, each named by the
// offset it starts at (`<prefix><file id>/<offset, 16 digits>`). A write holds at most
// `partBytes` of the incoming request in memory, and a read streams the parts it needs
// with ranged GETs. Only ciphertext ever reaches the store.
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type _Object,
} from '@aws-sdk/client-s3';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { Readable } from 'node:stream';
import { StorageUnavailableError, type FileStorage, type StoredObject } from './file-storage.js';

const ID = /^[0-9a-f-]{36}$/;
const OFFSET_DIGITS = 16;
/** The most keys one DeleteObjects request may name. */
const DELETE_BATCH = 1000;

export interface S3StorageOptions {
  client: S3Client;
  bucket: string;
  /** Prepended to every key, so several deployments (or test runs) can share a bucket. */
  prefix: string;
  /** The most bytes of one upload request held in memory before they are sent on as a part. */
  partBytes: number;
}

interface Part {
  key: string;
  offset: number;
  size: number;
}

export class S3Storage implements FileStorage, OnModuleDestroy {
  private readonly logger = new Logger('Files');
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(private readonly options: S3StorageOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
  }

  onModuleDestroy(): void {
    this.client.destroy();
  }

  async write(id: string, offset: number, body: Readable): Promise<number> {
    let written = 0;
    try {
      // Parts at or past `offset` can only be left over from a process that died mid-write.
      await this.removeParts(id, offset);
      for await (const part of chunked(body, this.options.partBytes)) {
        const Key = this.partKey(id, offset + written);
        await this.call('PutObject', () =>
          this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: part, ContentLength: part.length })),
        );
        written += part.length;
      }
    } catch (err) {
      await this.removeParts(id, offset).catch(() => {});
      // The rest of the request is read and dropped, so the client gets the answer.
      if (err instanceof StorageUnavailableError) body.resume();
      throw err;
    }
    return written;
  }

  read(id: string, start: number, end: number): Readable {
    return Readable.from(this.readRange(id, start, end), { objectMode: false });
  }

  async delete(id: string): Promise<void> {
    const keys = (await this.partsOf(id)).map((p) => p.key);
    await this.deleteKeys(keys);
  }

  async *list(): AsyncIterable<StoredObject> {
    // Keys come sorted, so the parts of one file are next to each other.
    let current: StoredObject | undefined;
    for await (const object of this.objects(this.options.prefix)) {
      const id = this.parseKey(object.Key ?? '')?.id;
      if (!id) continue;
      const modifiedAt = object.LastModified ?? new Date(0);
      if (current?.id === id) {
        if (modifiedAt > current.modifiedAt) current.modifiedAt = modifiedAt;
        continue;
      }
      if (current) yield current;
      current = { id, modifiedAt };
    }
    if (current) yield current;
  }

  private async *readRange(id: string, start: number, end: number): AsyncGenerator<Buffer> {
    let next = start;
    for (const part of await this.partsOf(id)) {
      const last = part.offset + part.size - 1;
      if (last < next || part.offset > end) continue;
      if (part.offset > next) throw new Error('stored file has a gap');
      const [from, to] = [next - part.offset, Math.min(end, last) - part.offset];
      const got = await this.call('GetObject', () =>
        this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: part.key, Range: `bytes=${from}-${to}` })),
      );
      // Some S3-compatible servers answer a range loosely (s3rver sends all of an object
      // for bytes=0-0): check where the answer starts, and pass on only what was asked for.
      if (!got.ContentRange?.startsWith(`bytes ${from}-`)) throw new Error('object store ignored the byte range');
      yield* take(got.Body as Readable, to - from + 1);
      next = Math.min(end, last) + 1;
    }
    if (next <= end) throw new Error('stored file is shorter than its record');
  }

  /** The parts of one file, in order. */
  private async partsOf(id: string): Promise<Part[]> {
    const parts: Part[] = [];
    for await (const object of this.objects(this.fileKeyPrefix(id))) {
      const parsed = this.parseKey(object.Key ?? '');
      if (parsed?.id === id) parts.push({ key: object.Key!, offset: parsed.offset, size: object.Size ?? 0 });
    }
    return parts.sort((a, b) => a.offset - b.offset);
  }

  private async removeParts(id: string, from: number): Promise<void> {
    const stale = (await this.partsOf(id)).filter((p) => p.offset >= from);
    await this.deleteKeys(stale.map((p) => p.key));
  }

  private async deleteKeys(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const Objects = keys.slice(i, i + DELETE_BATCH).map((Key) => ({ Key }));
      const result = await this.call('DeleteObjects', () =>
        this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects, Quiet: true } })),
      );
      if (result.Errors?.length) {
        this.logger.error(`S3 DeleteObjects failed for ${result.Errors.length} object(s): ${result.Errors[0]?.Code}`);
        throw new StorageUnavailableError();
      }
    }
  }

  private async *objects(prefix: string): AsyncGenerator<_Object> {
    let ContinuationToken: string | undefined;
    do {
      const page = await this.call('ListObjectsV2', () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken })),
      );
      yield* page.Contents ?? [];
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  /** Runs one S3 call; a failure is logged by kind only (never keys, ids or credentials). */
  private async call<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      this.logger.error(`S3 ${action} failed: ${describe(err)}`);
      throw new StorageUnavailableError();
    }
  }

  private fileKeyPrefix(id: string): string {
    if (!ID.test(id)) throw new Error('invalid file id');
    return `${this.options.prefix}${id}/`;
  }

  private partKey(id: string, offset: number): string {
    return this.fileKeyPrefix(id) + String(offset).padStart(OFFSET_DIGITS, '0');
  }

  private parseKey(key: string): { id: string; offset: number } | undefined {
    if (!key.startsWith(this.options.prefix)) return undefined;
    const match = /^([0-9a-f-]{36})\/(\d{16})$/.exec(key.slice(this.options.prefix.length));
    return match ? { id: match[1]!, offset: Number(match[2]) } : undefined;
  }
}

/** Re-cuts a stream into buffers of exactly `size` bytes (the last may be shorter). */
async function* chunked(body: Readable, size: number): AsyncGenerator<Buffer> {
  let held: Buffer[] = [];
  let heldBytes = 0;
  // Leaving the loop early must not destroy the request: the caller still answers on it.
  for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    let rest = chunk;
    while (heldBytes + rest.length >= size) {
      const take = size - heldBytes;
      yield Buffer.concat([...held, rest.subarray(0, take)]);
      rest = rest.subarray(take);
      held = [];
      heldBytes = 0;
    }
    if (rest.length) {
      held.push(rest);
      heldBytes += rest.length;
    }
  }
  if (heldBytes) yield Buffer.concat(held);
}

/** The first `count` bytes of a stream; the rest is not read. */
async function* take(body: Readable, count: number): AsyncGenerator<Buffer> {
  let left = count;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    yield chunk.length <= left ? chunk : chunk.subarray(0, left);
    left -= Math.min(left, chunk.length);
    if (left === 0) return;
  }
  throw new Error('stored part is shorter than its listing');
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown error';
  const meta = err as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
  const status = meta.$metadata?.httpStatusCode;
  return [err.name, meta.code, status ? `HTTP ${status}` : undefined].filter(Boolean).join(' ');
}
