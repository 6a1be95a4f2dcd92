// Uploads: the file is encrypted in the file-crypto worker one batch of whole chunks at
// a time and PUT at the server's offset. A request that fails is resumed from what the
// server says it has (GET /api/files/:id); the batch stays in memory until the server
// has it, and any older part is encrypted again (deterministic for the same key and
// nonce prefix). When the last byte is stored, the hooks send the file message.

import { encryptedFileSize, newFileKey } from '@onionchat/protocol';
import { ApiError, api } from '../api';
import { EngineError } from '../file-engine';
import { SpeedMeter, previewable } from '../files';
import { BACKOFF_MS, MAX_FAILURES, RATE_LIMIT_WAIT_MS, jitter, lowerFirst, offline } from './retry-policy';
import { isServerFile } from './server-answers';
import { uploadView, type TransferStore } from './state';
import type { TransferHooks, Upload, UploadView } from './types';
import { START_BATCH_CHUNKS, adaptBatch, batchAt } from './upload-batches';
import { putContent } from './upload-request';

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
      if (upload.previewUrl) URL.revokeObjectURL(upload.previewUrl);
      this.uploads.delete(upload.id);
    }
    this.pumpUploads();
  }

  stop(): void {
    for (const upload of this.uploads.values()) {
      this.store.halt(upload);
      upload.key.fill(0);
      if (upload.previewUrl) URL.revokeObjectURL(upload.previewUrl);
    }
    this.uploads.clear();
  }

  /** Starts (or queues) an upload; `clientId` is also the id of the file message to come. */
  startFile(roomId: string, clientId: string, file: File, name: string, mime: string): void {
    if (this.store.stopped) return;
    const upload: Upload = {
      id: clientId,
      roomId,
      file,
      name,
      mime,
      size: file.size,
      key: newFileKey(),
      encryptedSize: encryptedFileSize(file.size),
      job: null,
      header: null,
      noncePrefix: null,
      chunks: 0,
      fileId: null,
      maxRequestBytes: 0,
      received: 0,
      resync: false,
      batch: null,
      prefetch: null,
      batchChunks: START_BATCH_CHUNKS,
      xhr: null,
      inflight: 0,
      failures: 0,
      restarts: 0,
      phase: 'queued',
      note: null,
      resumable: true,
      timer: null,
      meter: new SpeedMeter(),
      run: 0,
      previewUrl: previewable(mime, file.size) ? URL.createObjectURL(file) : null,
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
    if (upload.previewUrl) URL.revokeObjectURL(upload.previewUrl);
    this.uploads.delete(clientId);
    if (upload.fileId) void deleteQuietly(upload.fileId);
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
        const started = performance.now();
        const file = await putContent(upload, body, upload.received, (done) => this.store.progressed(upload, done));
        if (stale()) return;
        upload.inflight = 0;
        const expected = upload.received + body.length;
        upload.received =
          file.status === 'ready' ? upload.encryptedSize : Math.min(file.received, upload.encryptedSize);
        if (upload.received !== expected) upload.resync = true;
        upload.failures = 0;
        adaptBatch(upload, body.length, performance.now() - started);
        if (upload.received >= batch.end) upload.batch = null;
        this.store.progressed(upload, upload.received);
      }
      if (stale()) return;
      const { digest } = await this.store.crypto.call({ op: 'encrypt-digest', job: upload.job! });
      if (stale()) return;
      this.finishUpload(upload, digest);
    } catch (error) {
      if (stale()) return;
      upload.xhr = null;
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
        ...(upload.noncePrefix ? { noncePrefix: upload.noncePrefix } : {}),
      });
      if (stale()) {
        this.store.crypto.close(job);
        return;
      }
      upload.job = job;
      upload.header = opened.header;
      upload.noncePrefix = opened.header.slice(1);
      upload.chunks = opened.chunks;
      upload.encryptedSize = opened.encryptedSize;
      upload.prefetch = null;
    }
    if (upload.fileId === null) {
      const created = await api.createFile(upload.roomId, upload.encryptedSize);
      if (stale()) return;
      if (!isServerFile(created?.file) || created.file.size !== upload.encryptedSize) {
        throw new ApiError(0, 'bad_response', "The server sent a reply this page can't read.");
      }
      upload.fileId = created.file.id;
      upload.maxRequestBytes = Math.max(1, Math.floor(Number(created.maxRequestBytes) || 4 * 1024 * 1024));
      upload.received = 0;
      upload.resync = false;
    } else if (upload.resync) {
      const { file } = await api.fileInfo(upload.fileId);
      if (stale()) return;
      if (!isServerFile(file)) throw new ApiError(0, 'bad_response', "The server sent a reply this page can't read.");
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
      return this.retryUploadLater(upload, true, 'Encryption was interrupted.');
    }
    if (!(error instanceof ApiError)) return this.retryUploadLater(upload, true, null);
    const { status, code } = error;
    if (status === 0 || status >= 500) {
      return this.retryUploadLater(upload, true, status === 0 ? 'The connection dropped.' : error.message);
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
    // While the browser knows it is offline, waiting is not failing (online() resumes).
    if (counts && !offline()) upload.failures += 1;
    if (upload.failures >= MAX_FAILURES) {
      return this.failUpload(upload, `The upload keeps failing${note ? ` (${lowerFirst(note)})` : ''}.`, true);
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
async function deleteQuietly(fileId: string): Promise<void> {
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
