// Uploads: the file is encrypted by the file engine (in its worker, or in-process) one
// batch of whole chunks at a time and PUT at the server's offset. A request that fails is resumed from what the
// server says it has (GET /api/files/:id); the batch stays in memory until the server
// has it, and any older part is encrypted again (deterministic for the same key and
// header). When the last byte is stored, the hooks send the file message.

import { encryptedFileSize, expiryOf, newFileKey } from '@onionchat/protocol';
import { ApiError, unreadableAnswer } from '../../transport/api-error.js';
import type { Api } from '../../transport/api.js';
import { EngineError } from '../file-engine.js';
import { previewable } from '../file-info.js';
import { FILE_PHRASES } from '../file-phrases.js';
import { sayer } from '../../present/phrasebook.js';
import { BACKOFF_MS, MAX_FAILURES, RATE_LIMIT_WAIT_MS, jitter, lowerFirst } from './retry-policy.js';
import { uploadView, type TransferStore } from './state.js';
import type { TransferHooks, Upload, UploadView } from './types.js';
import { START_BATCH_CHUNKS, adaptBatch, batchAt } from './upload-batches.js';
import { putContent } from './upload-request.js';

const say = sayer(FILE_PHRASES);

/** A server upload that expired (404 while resuming) is started again this many times. */
const MAX_RESTARTS = 2;
/** Uploads at once: one after the other finishes each sooner over a slow circuit. */
const PARALLEL_UPLOADS = 1;

export class Uploads {
  private readonly uploads = new Map<string, Upload>();

  constructor(
    private readonly store: TransferStore,
    private readonly hooks: TransferHooks,
  ) {}

  view(clientId: string): UploadView | null {
    const upload = this.uploads.get(clientId);
    if (!upload) return null;
    upload.view ??= uploadView(upload);
    return upload.view;
  }

  /** Uploads under way (leaving the page would lose them). */
  get busy(): boolean {
    for (const upload of this.uploads.values()) if (upload.phase !== 'done' && upload.phase !== 'failed') return true;
    return false;
  }

  /** The connection is back: retry what was waiting. */
  online(): void {
    for (const upload of this.uploads.values()) {
      if (upload.phase === 'waiting') this.startUpload(upload);
    }
  }

  /** The conversation is gone. */
  dropRoom(roomId: string): void {
    for (const upload of [...this.uploads.values()]) {
      if (upload.roomId !== roomId) continue;
      this.store.halt(upload);
      upload.key.fill(0);
      this.store.revokePreviewUrl(upload.previewUrl);
      this.uploads.delete(upload.id);
    }
    this.pumpUploads();
  }

  stop(): void {
    for (const upload of this.uploads.values()) {
      this.store.halt(upload);
      upload.key.fill(0);
      this.store.revokePreviewUrl(upload.previewUrl);
    }
    this.uploads.clear();
  }

  /** Starts (or queues) an upload; `clientId` is also the id of the file message to come. */
  startFile(roomId: string, clientId: string, file: Blob, name: string, mime: string, ttl: number | null = null): void {
    if (this.store.stopped || this.uploads.has(clientId)) return;
    const upload: Upload = {
      kind: 'upload',
      id: clientId,
      roomId,
      ttl,
      startedAt: Date.now(),
      file,
      name,
      mime,
      size: file.size,
      key: newFileKey(),
      encryptedSize: encryptedFileSize(file.size),
      job: null,
      header: null,
      chunks: 0,
      fileId: null,
      maxRequestBytes: 0,
      received: 0,
      resync: false,
      batch: null,
      prefetch: null,
      batchChunks: START_BATCH_CHUNKS,
      controller: null,
      inflight: 0,
      failures: 0,
      restarts: 0,
      phase: 'queued',
      note: null,
      resumable: true,
      timer: null,
      meter: this.store.meter(),
      run: 0,
      previewUrl: previewable(mime, file.size) ? this.store.previewUrl(file) : null,
      lastPaint: 0,
      view: null,
    };
    this.uploads.set(clientId, upload);
    this.store.changed(upload);
    this.pumpUploads();
  }

  /** Retry after repeated failures: continues where the server stopped. */
  retryUpload(clientId: string): void {
    const upload = this.uploads.get(clientId);
    if (!upload || (upload.phase !== 'failed' && upload.phase !== 'waiting')) return;
    upload.failures = 0;
    upload.note = null;
    upload.phase = 'queued';
    this.store.changed(upload);
    this.pumpUploads();
  }

  /** Stops an upload and deletes what the server has of it. */
  cancelUpload(clientId: string): void {
    const upload = this.uploads.get(clientId);
    if (!upload || upload.phase === 'done') return;
    this.store.halt(upload);
    upload.key.fill(0);
    this.store.revokePreviewUrl(upload.previewUrl);
    this.uploads.delete(clientId);
    if (upload.fileId) void deleteQuietly(this.store.api, upload.fileId);
    this.hooks.cancelled(upload.roomId, upload.id);
    this.store.changed();
    this.pumpUploads();
  }

  private pumpUploads(): void {
    let active = 0;
    for (const upload of this.uploads.values()) {
      if (upload.phase === 'encrypting' || upload.phase === 'uploading' || upload.phase === 'waiting') active += 1;
    }
    for (const upload of this.uploads.values()) {
      if (active >= PARALLEL_UPLOADS) return;
      if (upload.phase !== 'queued') continue;
      active += 1;
      this.startUpload(upload);
    }
  }

  private startUpload(upload: Upload): void {
    if (upload.timer) {
      clearTimeout(upload.timer);
      upload.timer = null;
    }
    upload.run += 1;
    upload.phase = upload.job === null ? 'encrypting' : 'uploading';
    this.store.changed(upload);
    void this.driveUpload(upload, upload.run);
  }

  private async driveUpload(upload: Upload, run: number): Promise<void> {
    const stale = () => this.store.stopped || upload.run !== run || this.uploads.get(upload.id) !== upload;
    try {
      await this.prepareUpload(upload, stale);
      while (!stale() && upload.received < upload.encryptedSize) {
        const batch = await batchAt(this.store, upload, upload.received);
        if (stale()) return;
        const from = upload.received - batch.start;
        const body = batch.bytes.subarray(from, Math.min(batch.bytes.length, from + upload.maxRequestBytes));
        upload.phase = 'uploading';
        upload.note = null;
        this.store.changed(upload);
        const started = this.store.platform.monotonic();
        const file = await putContent(this.store, upload, body, upload.received, (done) =>
          this.store.progressed(upload, done),
        );
        if (stale()) return;
        upload.inflight = 0;
        const expected = upload.received + body.length;
        upload.received =
          file.status === 'ready' ? upload.encryptedSize : Math.min(file.received, upload.encryptedSize);
        if (upload.received !== expected) upload.resync = true;
        upload.failures = 0;
        adaptBatch(upload, body.length, this.store.platform.monotonic() - started);
        if (upload.received >= batch.end) upload.batch = null;
        this.store.progressed(upload, upload.received);
      }
      if (stale()) return;
      const { digest } = await this.store.crypto.call({ op: 'encrypt-digest', job: upload.job! });
      if (stale()) return;
      this.finishUpload(upload, digest);
    } catch (error) {
      if (stale()) return;
      upload.controller = null;
      upload.inflight = 0;
      this.uploadProblem(upload, error);
    }
  }

  /** Opens the encryption (again, after a worker crash) and learns where the server is. */
  private async prepareUpload(upload: Upload, stale: () => boolean): Promise<void> {
    if (upload.job === null) {
      const job = this.store.crypto.job();
      const opened = await this.store.crypto.call({
        op: 'encrypt-open',
        job,
        file: upload.file,
        key: upload.key,
        ...(upload.header ? { header: upload.header } : {}),
      });
      if (stale()) {
        this.store.crypto.close(job);
        return;
      }
      upload.job = job;
      upload.header = opened.header;
      upload.chunks = opened.chunks;
      upload.encryptedSize = opened.encryptedSize;
      upload.prefetch = null;
    }
    const { api } = this.store;
    if (upload.fileId === null) {
      // Decoded with the contract's schema (a file, and a whole maxRequestBytes >= 1).
      // Deleted by the server when its message disappears (counted from when it was picked, so never later).
      const disappearsAt = upload.ttl ? new Date(expiryOf(upload.startedAt, upload.ttl)).toISOString() : null;
      const created = await api.createFile(upload.roomId, upload.encryptedSize, disappearsAt);
      if (stale()) return;
      if (created.file.size !== upload.encryptedSize) throw unreadableAnswer(201);
      upload.fileId = created.file.id;
      upload.maxRequestBytes = created.maxRequestBytes;
      upload.received = 0;
      upload.resync = false;
    } else if (upload.resync) {
      const { file } = await api.fileInfo(upload.fileId);
      if (stale()) return;
      if (file.id !== upload.fileId || file.size !== upload.encryptedSize) throw unreadableAnswer(200);
      upload.received = file.status === 'ready' ? upload.encryptedSize : Math.min(file.received, upload.encryptedSize);
      upload.resync = false;
      this.store.progressed(upload, upload.received);
    }
    if (upload.maxRequestBytes === 0) upload.maxRequestBytes = 4 * 1024 * 1024;
  }

  private finishUpload(upload: Upload, digest: Uint8Array): void {
    this.store.remote.set(upload.fileId!, 'ready');
    upload.phase = 'done';
    upload.note = null;
    upload.batch = null;
    upload.prefetch = null;
    if (upload.job !== null) this.store.crypto.close(upload.job);
    upload.job = null;
    this.store.changed(upload);
    this.hooks.uploaded(upload.roomId, upload.id, {
      fileId: upload.fileId!,
      key: upload.key.slice(),
      digest,
      name: upload.name,
      mime: upload.mime,
      size: upload.size,
    });
    upload.key.fill(0);
    this.pumpUploads();
  }

  private uploadProblem(upload: Upload, error: unknown): void {
    // Whatever happened, the server may have more or less than we think.
    upload.resync = upload.fileId !== null;
    if (error instanceof EngineError) {
      if (error.kind === 'unreadable') return this.failUpload(upload, error.message);
      // The worker stopped: open the encryption again and carry on.
      if (upload.job !== null) this.store.crypto.close(upload.job);
      upload.job = null;
      upload.prefetch = null;
      return this.retryUploadLater(upload, true, say('files.note.encryptionInterrupted'));
    }
    if (!(error instanceof ApiError)) return this.retryUploadLater(upload, true, null);
    const { status, code } = error;
    if (status === 0 || status >= 500 || code === 'bad_response') {
      return this.retryUploadLater(upload, true, status === 0 ? say('files.note.connectionDropped') : error.message);
    }
    if (status === 429) {
      return this.retryUploadLater(upload, false, error.message, (error.retryAfter ?? 0) * 1000 || RATE_LIMIT_WAIT_MS);
    }
    if (status === 409 && code === 'busy') return this.retryUploadLater(upload, true, null, 3_000);
    if (status === 409 || code === 'upload_interrupted') return this.retryUploadLater(upload, true, null, 500);
    if (status === 404 && upload.fileId && upload.restarts < MAX_RESTARTS) {
      // The server dropped the unfinished upload (it expires without progress): start it again.
      upload.restarts += 1;
      upload.fileId = null;
      upload.received = 0;
      upload.resync = false;
      return this.retryUploadLater(upload, false, null, 500);
    }
    // Too large, over quota, refused: the server's own words.
    return this.failUpload(upload, error.message);
  }

  private retryUploadLater(upload: Upload, counts: boolean, note: string | null, delayMs?: number): void {
    // While the device knows it is offline, waiting is not failing (online() resumes).
    if (counts && !this.store.platform.offline()) upload.failures += 1;
    if (upload.failures >= MAX_FAILURES) {
      const failing = note
        ? say('files.note.uploadKeepsFailingBecause', { reason: lowerFirst(note) })
        : say('files.note.uploadKeepsFailing');
      return this.failUpload(upload, failing, true);
    }
    const wait = delayMs ?? jitter(BACKOFF_MS[Math.max(0, upload.failures - 1)] ?? 30_000);
    upload.phase = 'waiting';
    upload.note = note;
    upload.meter.reset();
    this.store.changed(upload);
    upload.timer = setTimeout(() => {
      upload.timer = null;
      if (this.uploads.get(upload.id) === upload && upload.phase === 'waiting') this.startUpload(upload);
    }, wait);
  }

  private failUpload(upload: Upload, note: string, resumable = false): void {
    upload.phase = 'failed';
    upload.note = note;
    upload.resumable = resumable;
    upload.meter.reset();
    this.store.changed(upload);
    this.pumpUploads();
  }
}

/** Cancelled uploads: the server would delete them after a while anyway, so a few tries are enough. */
async function deleteQuietly(api: Api, fileId: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await api.deleteFile(fileId);
      return;
    } catch (error) {
      if (error instanceof ApiError && error.status !== 0 && error.status < 500) return;
      await new Promise((resolve) => setTimeout(resolve, 2_000 * (attempt + 1)));
    }
  }
}
