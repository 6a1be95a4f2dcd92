// Encrypted file uploads and downloads. The server sees only ciphertext and its size.
// Uploads arrive as resumable requests at explicit offsets and are streamed to storage;
// nothing holds a whole file in memory.
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Answer, ServerFile } from '@onionchat/contract';
import { once } from 'node:events';
import { pipeline as pipelineCallback, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CONFIG, type Config } from '../config/config.js';
import type { Actor } from '../access/actor.js';
import { AccessPolicy } from '../access/access.policy.js';
import { ApiError, badRequest, conflict, notFound } from '../common/api-error.js';
import { RateLimiter } from '../common/rate-limiter.js';
import { Transactions } from '../db/transactions.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { RoomsRepository } from '../rooms/rooms.repository.js';
import { disappearsAtOf } from '../retention/disappears-at.js';
import { ByteLimitError, byteLimit } from './byte-limit.js';
import { deleteBytesOf, FILE_STORAGE, StorageUnavailableError, type FileStorage } from './file-storage.js';
import { FilesRepository } from './files.repository.js';
import { UPLOAD_LOCKS, type UploadLocks } from './upload-locks.js';
import { fileView, type FileRow } from './file.view.js';

const MINUTE = 60_000;

@Injectable()
export class FilesService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(UPLOAD_LOCKS) private readonly locks: UploadLocks,
    private readonly access: AccessPolicy,
    private readonly files: FilesRepository,
    private readonly rooms: RoomsRepository,
    private readonly realtime: RealtimeService,
    private readonly limiter: RateLimiter,
    private readonly transactions: Transactions,
  ) {}

  /** `disappearsAt` as the body carried it: checked here (see disappearsAtOf). */
  async create(actor: Actor, roomId: string, size: number, disappearsAt?: unknown): Promise<Answer<'createFile'>> {
    const disappears = disappearsAtOf(disappearsAt, this.config.DISAPPEARING_MAX_DAYS, 'file');
    await this.access.requireMember(actor, roomId);
    if (size > this.config.FILE_MAX_BYTES) {
      throw new ApiError(413, 'too_large', `Files can be at most ${mib(this.config.FILE_MAX_BYTES)} (encrypted).`);
    }
    // A first look, so a file that plainly does not fit spends none of the budget below.
    this.checkQuota(await this.files.bytesHeldBy(actor.userId), size);
    // The quota bounds bytes; this bounds rows (many tiny files) and churn (create, delete, repeat).
    await this.limiter.consume('new-files', actor.userId);
    // Check and reserve again under a lock on the uploader: parallel requests, on any
    // instance, take turns, so together they cannot pass the quota.
    const file = await this.transactions.run(async (tx) => {
      await this.files.lockQuota(actor.userId, tx);
      this.checkQuota(await this.files.bytesHeldBy(actor.userId, tx), size);
      return this.files.create(
        { roomId, uploaderId: actor.userId, size: BigInt(size), disappearsAt: disappears },
        this.expiry(),
        tx,
      );
    });
    return { file: fileView(file), maxRequestBytes: this.config.UPLOAD_REQUEST_MAX_BYTES };
  }

  async list(actor: Actor, roomId: string): Promise<ServerFile[]> {
    await this.access.requireMember(actor, roomId);
    return (await this.files.listForRoom(roomId)).map(fileView);
  }

  async info(actor: Actor, fileId: string): Promise<ServerFile> {
    return fileView(await this.access.requireFileAccess(actor, fileId));
  }

  async upload(actor: Actor, fileId: string, offset: number, req: Request): Promise<ServerFile> {
    const file = await this.access.requireUploader(actor, fileId, 'upload');
    if (file.status !== 'uploading') throw conflict('already_complete', 'This file is already complete.');
    // Each request carries at most UPLOAD_REQUEST_MAX_BYTES, so this also bounds bytes per minute.
    await this.limiter.consume('uploads', actor.userId);
    // Held across instances; the conditional update in record() still refuses a stale offset.
    const release = await this.locks.tryAcquire(fileId);
    if (!release) throw conflict('busy', 'Another upload request for this file is still running.');
    try {
      const current = await this.underLock(fileId, offset);
      const written = await this.store(current, offset, req);
      return await this.record(current, offset, written);
    } finally {
      await release();
    }
  }

  async download(actor: Actor, fileId: string, req: Request, res: Response): Promise<void> {
    const file = await this.access.requireFileAccess(actor, fileId);
    if (file.status !== 'ready') throw conflict('not_ready', 'This file is still being uploaded.');
    const size = Number(file.size);
    const ranges = size > 0 ? req.range(size, { combine: true }) : undefined;
    if (ranges === -1) {
      res.setHeader('Content-Range', `bytes */${size}`);
      throw new ApiError(416, 'bad_range', 'That byte range is not inside the file.');
    }
    const range = Array.isArray(ranges) && ranges.length === 1 ? ranges[0]! : { start: 0, end: size - 1 };
    // Several disjoint ranges would need a multipart answer: the whole file is sent instead.
    const partial = Array.isArray(ranges) && ranges.length === 1;
    const body = size > 0 ? await opened(this.storage.read(file.id, range.start, range.end)) : undefined;
    res.status(partial ? 206 : 200);
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Disposition', 'attachment; filename="encrypted.bin"');
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Content-Length', String(size === 0 ? 0 : range.end - range.start + 1));
    if (partial) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
    if (!body) return void res.end();
    await pipeline(body, res).catch(() => res.destroy());
  }

  async remove(actor: Actor, fileId: string): Promise<void> {
    const file = await this.access.requireUploader(actor, fileId, 'delete');
    await this.files.delete(file.id);
    // Once the record is gone the file is gone for everyone.
    await deleteBytesOf(this.storage, [file.id]);
  }

  /** Read again once locked: a request through another instance may have moved the upload meanwhile. */
  private async underLock(fileId: string, offset: number): Promise<FileRow> {
    const file = await this.files.findById(fileId);
    if (!file) throw notFound('This file was deleted.');
    if (file.status !== 'uploading') throw conflict('already_complete', 'This file is already complete.');
    if (BigInt(offset) !== file.received) {
      throw conflict('wrong_offset', `The server has ${file.received} bytes of this file; continue from there.`);
    }
    return file;
  }

  private async store(file: FileRow, offset: number, req: Request): Promise<number> {
    const remaining = Number(file.size) - offset;
    const max = Math.min(remaining, this.config.UPLOAD_REQUEST_MAX_BYTES);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > max) throw this.tooMuch(remaining);
    // pipeline (unlike pipe) passes an aborted request on as an error, so the write
    // below fails and is rolled back instead of waiting forever.
    const limited = byteLimit(max);
    pipelineCallback(req, limited, () => {});
    try {
      return await this.storage.write(file.id, offset, limited);
    } catch (err) {
      if (err instanceof ByteLimitError) throw this.tooMuch(remaining);
      if (err instanceof StorageUnavailableError) throw err;
      throw new ApiError(400, 'upload_interrupted', 'The upload request was cut off; ask for the file and continue.');
    }
  }

  private async record(file: FileRow, offset: number, written: number): Promise<ServerFile> {
    const to = BigInt(offset + written);
    const done = to === file.size;
    const updated = await this.files.advance(file.id, file.received, to, done, this.expiry());
    if (!updated) throw conflict('wrong_offset', 'Another request changed this upload; ask for the file and continue.');
    if (done)
      this.realtime.toUsers(await this.rooms.memberIds(file.roomId), 'file:ready', {
        roomId: file.roomId,
        fileId: file.id,
      });
    return fileView(updated);
  }

  private checkQuota(held: bigint, size: number): void {
    if (held + BigInt(size) > BigInt(this.config.FILE_QUOTA_BYTES)) {
      throw new ApiError(
        413,
        'over_quota',
        `This file would take you past your storage quota of ${mib(this.config.FILE_QUOTA_BYTES)} (${mib(Number(held))} used). Delete some files first.`,
      );
    }
  }

  private tooMuch(remaining: number): ApiError {
    return remaining < this.config.UPLOAD_REQUEST_MAX_BYTES
      ? badRequest(`Only ${remaining} more bytes belong to this file.`, 'past_end')
      : new ApiError(
          413,
          'too_large',
          `An upload request can carry at most ${this.config.UPLOAD_REQUEST_MAX_BYTES} bytes.`,
        );
  }

  private expiry(): Date {
    return new Date(Date.now() + this.config.UPLOAD_TTL_MINUTES * MINUTE);
  }
}

/** Waits for the first bytes, so a store that cannot be reached is still answered with a 503. */
async function opened(body: Readable): Promise<Readable> {
  const failure = await once(body, 'readable').then(
    () => undefined,
    (err: unknown) => err,
  );
  if (failure instanceof StorageUnavailableError) throw failure;
  return body;
}

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 ** 2) * 10) / 10} MiB`;
}
