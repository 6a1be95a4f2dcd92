// File uploads and downloads for one chat session (docs/API.md, "Files").
//
// Upload: the file is encrypted in the file-crypto worker one batch of whole chunks at
// a time (the next batch is prepared while the current one goes up) and PUT at the
// server's offset. A request that fails is resumed from what the server says it has
// (GET /api/files/:id); the batch stays in memory until the server has it, and any
// older part is encrypted again (deterministic for the same key and nonce prefix).
// When the last byte is stored, the file message goes out through the outbox.
//
// Download: the ciphertext is streamed into the worker, which checks and decrypts each
// chunk and the digest at the end; a dropped connection resumes with a Range request.
// Nothing reaches the person unless every check passed.
//
// Keys live in memory only: a reload loses them, so a transfer can resume after a
// dropped connection but not after the page itself is reloaded.

import {
  FILE_CHUNK_CIPHER_BYTES,
  FILE_HEADER_BYTES,
  encryptedFileSize,
  newFileKey,
  type FileMessage,
} from '@onionchat/protocol';
import { ApiError, NETWORK_ERROR_MESSAGE, api, errorFromResponse, fileContentPath, type ServerFile } from './api';
import { FileCrypto } from './file-crypto';
import { EngineError } from './file-engine';
import { SpeedMeter, downloadName, previewable } from './files';

/** Failures in a row (without any progress) before a transfer waits for Retry. */
export const MAX_FAILURES = 6;
const BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];
const RATE_LIMIT_WAIT_MS = 15_000;
/** Nothing moved for this long: the connection is dead, start again. */
const STALL_MS = 60_000;
/** How long one upload request should take (smaller batches lose less when a circuit drops). */
const TARGET_REQUEST_MS = 8_000;
const MIN_BATCH_CHUNKS = 4; // 256 KiB
const START_BATCH_CHUNKS = 16; // 1 MiB
const MAX_BATCH_CHUNKS = 64; // 4 MiB
/** Ciphertext handed to the worker but not yet decrypted. */
const MAX_UNDECRYPTED_BYTES = 8 * 1024 * 1024;
/** Repaint progress at most this often. */
const PROGRESS_MS = 250;
/** A server upload that expired (404 while resuming) is started again this many times. */
const MAX_RESTARTS = 2;
/** Uploads at once: one after the other finishes each sooner over a slow circuit. */
const PARALLEL_UPLOADS = 1;
/** Previews fetched at once without being asked. */
const PARALLEL_AUTO_PREVIEWS = 2;
const ROOM_FILES_FRESH_MS = 60_000;
const SAVED_URL_LIFETIME_MS = 60_000;

export interface Progress {
  /** Plaintext bytes (estimated from the ciphertext moved). */
  done: number;
  total: number;
  /** Bytes per second, or null while unknown. */
  speed: number | null;
  secondsLeft: number | null;
}

export type UploadPhase =
  | 'queued'
  | 'encrypting'
  | 'uploading'
  /** A request failed: trying again after a pause (`note` says why). */
  | 'waiting'
  /** Uploaded; the file message is on its way (the outbox). */
  | 'done'
  | 'failed';

export interface UploadView {
  phase: UploadPhase;
  progress: Progress;
  note: string | null;
  /** Failed for a reason that may pass (the connection): Retry continues where it stopped. */
  resumable: boolean;
  /** A blob: URL of the picked image itself. */
  previewUrl: string | null;
}

export type DownloadPhase =
  | 'queued'
  | 'downloading'
  | 'waiting'
  /** The server says the file is still being uploaded. */
  | 'not-ready'
  | 'verifying'
  | 'done'
  | 'failed'
  | 'tampered';

export interface DownloadView {
  phase: DownloadPhase;
  progress: Progress;
  note: string | null;
  /** The person asked to save it (not just to see a preview). */
  save: boolean;
  /** Saved at least once. */
  saved: boolean;
  /** A blob: URL of the verified, decrypted image. */
  previewUrl: string | null;
}

/** What the server says about a file: known only after asking (or a file:ready event). */
export type RemoteStatus = 'uploading' | 'ready' | 'gone' | 'unknown';

/** A file to fetch: the decoded content of a file message. */
export type FileSource = Pick<FileMessage, 'fileId' | 'key' | 'digest' | 'name' | 'mime' | 'size'>;

export interface TransferHooks {
  /** The last byte is on the server: send the file message. */
  uploaded(roomId: string, clientId: string, file: FileSource): void;
  /** The person cancelled an upload before its message went out. */
  cancelled(roomId: string, clientId: string): void;
}

interface Batch {
  /** Ciphertext offset of the first byte, and one past the last. */
  start: number;
  end: number;
  /** Chunks [from, to). */
  from: number;
  to: number;
  bytes: Uint8Array;
}

interface Upload {
  id: string;
  roomId: string;
  file: File;
  name: string;
  mime: string;
  size: number;
  key: Uint8Array;
  encryptedSize: number;
  job: number | null;
  header: Uint8Array | null;
  noncePrefix: Uint8Array | null;
  chunks: number;
  fileId: string | null;
  maxRequestBytes: number;
  /** Ciphertext bytes the server has. */
  received: number;
  /** Ask the server how much it has before the next request. */
  resync: boolean;
  batch: Batch | null;
  prefetch: { from: number; promise: Promise<Batch> } | null;
  batchChunks: number;
  xhr: XMLHttpRequest | null;
  /** Bytes of the request in flight that have left so far. */
  inflight: number;
  failures: number;
  restarts: number;
  phase: UploadPhase;
  note: string | null;
  resumable: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  meter: SpeedMeter;
  /** Bumped on cancel and on every new run: older runs notice and stop. */
  run: number;
  previewUrl: string | null;
  lastPaint: number;
  view: UploadView | null;
}

interface Download {
  key: string;
  roomId: string;
  source: FileSource;
  encryptedSize: number;
  job: number | null;
  /** Ciphertext bytes received (and handed to the worker). */
  have: number;
  save: boolean;
  preview: boolean;
  /** Started without being asked (an image coming into view). */
  auto: boolean;
  saved: boolean;
  phase: DownloadPhase;
  note: string | null;
  failures: number;
  controller: AbortController | null;
  timer: ReturnType<typeof setTimeout> | null;
  meter: SpeedMeter;
  run: number;
  /** The verified plaintext, kept for an image preview only. */
  blob: Blob | null;
  previewUrl: string | null;
  lastPaint: number;
  view: DownloadView | null;
}

export class FileTransfers {
  private readonly crypto = new FileCrypto();
  private readonly uploads = new Map<string, Upload>();
  private readonly downloads = new Map<string, Download>();
  private readonly remote = new Map<string, RemoteStatus>();
  private readonly roomFetches = new Map<string, { at: number; running: boolean }>();
  /** Auto previews the person stopped: not started again. */
  private readonly declined = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private notifying = false;
  private stopped = false;

  constructor(private readonly hooks: TransferHooks) {}

  // ---------------------------------------------------------------- store (for React)

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  upload(clientId: string): UploadView | null {
    const upload = this.uploads.get(clientId);
    if (!upload) return null;
    upload.view ??= uploadView(upload);
    return upload.view;
  }

  download(key: string): DownloadView | null {
    const download = this.downloads.get(key);
    if (!download) return null;
    download.view ??= downloadView(download);
    return download.view;
  }

  remoteStatus(fileId: string): RemoteStatus {
    return this.remote.get(fileId) ?? 'unknown';
  }

  /** Uploads or downloads under way (leaving the page would lose them). */
  get busy(): boolean {
    for (const upload of this.uploads.values()) if (upload.phase !== 'done' && upload.phase !== 'failed') return true;
    for (const download of this.downloads.values()) {
      if (download.save && !['done', 'failed', 'tampered'].includes(download.phase)) return true;
    }
    return false;
  }

  private changed(transfer?: Upload | Download): void {
    if (transfer) transfer.view = null;
    if (this.notifying || this.stopped) return;
    this.notifying = true;
    queueMicrotask(() => {
      this.notifying = false;
      if (this.stopped) return;
      for (const listener of this.listeners) listener();
    });
  }

  /** Progress: repainted at most every PROGRESS_MS. */
  private progressed(transfer: Upload | Download, done: number): void {
    const now = performance.now();
    transfer.meter.add(done, now);
    if (now - transfer.lastPaint < PROGRESS_MS) return;
    transfer.lastPaint = now;
    this.changed(transfer);
  }

  // ---------------------------------------------------------------- lifecycle

  stop(): void {
    if (this.stopped) return;
    for (const upload of this.uploads.values()) this.halt(upload);
    for (const download of this.downloads.values()) this.halt(download);
    for (const upload of this.uploads.values()) {
      upload.key.fill(0);
      if (upload.previewUrl) URL.revokeObjectURL(upload.previewUrl);
    }
    for (const download of this.downloads.values()) if (download.previewUrl) URL.revokeObjectURL(download.previewUrl);
    this.uploads.clear();
    this.downloads.clear();
    this.crypto.stop();
    this.stopped = true;
    this.listeners.clear();
  }

  /** The connection is back (or the browser is online again): retry what was waiting. */
  online(): void {
    for (const upload of this.uploads.values()) {
      if (upload.phase === 'waiting') this.startUpload(upload);
    }
    for (const download of this.downloads.values()) {
      if (download.phase === 'waiting' || download.phase === 'not-ready') this.startDownload(download);
    }
    // What was uploading may have finished meanwhile.
    for (const [roomId, fetch] of this.roomFetches) if (!fetch.running) this.roomFetches.delete(roomId);
  }

  /** The conversation is gone. */
  dropRoom(roomId: string): void {
    for (const upload of [...this.uploads.values()]) {
      if (upload.roomId !== roomId) continue;
      this.halt(upload);
      upload.key.fill(0);
      if (upload.previewUrl) URL.revokeObjectURL(upload.previewUrl);
      this.uploads.delete(upload.id);
    }
    for (const download of [...this.downloads.values()]) {
      if (download.roomId === roomId) this.discardDownload(download);
    }
    this.roomFetches.delete(roomId);
    this.pumpUploads();
    this.changed();
  }

  // ---------------------------------------------------------------- what the server says

  /** Learns which of a room's files are still uploading (by default once a minute at most). */
  watchRoom(roomId: string, maxAgeMs = ROOM_FILES_FRESH_MS): void {
    if (this.stopped) return;
    const known = this.roomFetches.get(roomId);
    if (known && (known.running || Date.now() - known.at < maxAgeMs)) return;
    const fetch = { at: Date.now(), running: true };
    this.roomFetches.set(roomId, fetch);
    api
      .roomFiles(roomId)
      .then(({ files }) => {
        if (this.stopped || !Array.isArray(files)) return;
        for (const file of files) {
          if (typeof file?.id !== 'string') continue;
          const status: RemoteStatus = file.status === 'ready' ? 'ready' : 'uploading';
          // A file seen ready stays ready (a stale answer can't take it back).
          if (this.remote.get(file.id) !== 'ready') this.remote.set(file.id, status);
        }
        this.changed();
      })
      .catch(() => {
        // Not important enough to retry now: downloads find out for themselves.
        fetch.at = 0;
      })
      .finally(() => {
        fetch.running = false;
      });
  }

  /** file:ready: the file can be downloaded now. */
  markReady(fileId: string): void {
    this.remote.set(fileId, 'ready');
    for (const download of this.downloads.values()) {
      if (download.source.fileId === fileId && download.phase === 'not-ready') this.startDownload(download);
    }
    this.changed();
  }

  // ---------------------------------------------------------------- uploading

  /** Starts (or queues) an upload; `clientId` is also the id of the file message to come. */
  startFile(roomId: string, clientId: string, file: File, name: string, mime: string): void {
    if (this.stopped) return;
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
    this.changed(upload);
    this.pumpUploads();
  }

  /** Retry after repeated failures: continues where the server stopped. */
  retryUpload(clientId: string): void {
    const upload = this.uploads.get(clientId);
    if (!upload || (upload.phase !== 'failed' && upload.phase !== 'waiting')) return;
    upload.failures = 0;
    upload.note = null;
    upload.phase = 'queued';
    this.changed(upload);
    this.pumpUploads();
  }

  /** Stops an upload and deletes what the server has of it. */
  cancelUpload(clientId: string): void {
    const upload = this.uploads.get(clientId);
    if (!upload || upload.phase === 'done') return;
    this.halt(upload);
    upload.key.fill(0);
    if (upload.previewUrl) URL.revokeObjectURL(upload.previewUrl);
    this.uploads.delete(clientId);
    if (upload.fileId) void deleteQuietly(upload.fileId);
    this.hooks.cancelled(upload.roomId, upload.id);
    this.changed();
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
    this.changed(upload);
    void this.driveUpload(upload, upload.run);
  }

  private async driveUpload(upload: Upload, run: number): Promise<void> {
    const stale = () => this.stopped || upload.run !== run || this.uploads.get(upload.id) !== upload;
    try {
      await this.prepareUpload(upload, stale);
      while (!stale() && upload.received < upload.encryptedSize) {
        const batch = await this.batchAt(upload, upload.received);
        if (stale()) return;
        const from = upload.received - batch.start;
        const body = batch.bytes.subarray(from, Math.min(batch.bytes.length, from + upload.maxRequestBytes));
        upload.phase = 'uploading';
        upload.note = null;
        this.changed(upload);
        const started = performance.now();
        const file = await this.put(upload, body, upload.received);
        if (stale()) return;
        upload.inflight = 0;
        const expected = upload.received + body.length;
        upload.received =
          file.status === 'ready' ? upload.encryptedSize : Math.min(file.received, upload.encryptedSize);
        if (upload.received !== expected) upload.resync = true;
        upload.failures = 0;
        this.adaptBatch(upload, body.length, performance.now() - started);
        if (upload.received >= batch.end) upload.batch = null;
        this.progressed(upload, upload.received);
      }
      if (stale()) return;
      const { digest } = await this.crypto.call({ op: 'encrypt-digest', job: upload.job! });
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
      const job = this.crypto.job();
      const opened = await this.crypto.call({
        op: 'encrypt-open',
        job,
        file: upload.file,
        key: upload.key,
        ...(upload.noncePrefix ? { noncePrefix: upload.noncePrefix } : {}),
      });
      if (stale()) {
        this.crypto.close(job);
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
      this.progressed(upload, upload.received);
    }
    if (upload.maxRequestBytes === 0) upload.maxRequestBytes = 4 * 1024 * 1024;
  }

  /** The batch holding ciphertext offset `offset`: in memory, prepared ahead, or encrypted now. */
  private async batchAt(upload: Upload, offset: number): Promise<Batch> {
    const current = upload.batch;
    if (current && current.start <= offset && offset < current.end) return current;
    const chunk = offset < FILE_HEADER_BYTES ? 0 : Math.floor((offset - FILE_HEADER_BYTES) / FILE_CHUNK_CIPHER_BYTES);
    let batch: Batch;
    const ahead = upload.prefetch;
    upload.prefetch = null;
    if (ahead && ahead.from === chunk) {
      if (upload.phase !== 'uploading') upload.phase = 'encrypting';
      batch = await ahead.promise;
    } else {
      upload.phase = 'encrypting';
      this.changed(upload);
      batch = await this.encryptBatch(upload, chunk);
    }
    upload.batch = batch;
    // Prepare the next batch while this one goes up.
    if (batch.to < upload.chunks) {
      const promise = this.encryptBatch(upload, batch.to);
      promise.catch(() => undefined);
      upload.prefetch = { from: batch.to, promise };
    }
    return batch;
  }

  private async encryptBatch(upload: Upload, from: number): Promise<Batch> {
    const header = upload.header!;
    // Whole chunks, and no more than a request may carry (the header rides in the first).
    const fit = Math.floor((upload.maxRequestBytes - (from === 0 ? header.length : 0)) / FILE_CHUNK_CIPHER_BYTES);
    const count = Math.max(1, Math.min(upload.batchChunks, fit));
    const { bytes } = await this.crypto.call({ op: 'encrypt-read', job: upload.job!, from, count });
    const start = from === 0 ? 0 : FILE_HEADER_BYTES + from * FILE_CHUNK_CIPHER_BYTES;
    let all = bytes;
    if (from === 0) {
      all = new Uint8Array(header.length + bytes.length);
      all.set(header);
      all.set(bytes, header.length);
    }
    return { start, end: start + all.length, from, to: Math.min(upload.chunks, from + count), bytes: all };
  }

  /** Aim for requests of about TARGET_REQUEST_MS at the speed seen. */
  private adaptBatch(upload: Upload, bytes: number, ms: number): void {
    if (bytes < FILE_CHUNK_CIPHER_BYTES || ms <= 0) return;
    const perChunkMs = (ms * FILE_CHUNK_CIPHER_BYTES) / bytes;
    const wanted = Math.round(TARGET_REQUEST_MS / perChunkMs);
    const next = Math.max(MIN_BATCH_CHUNKS, Math.min(MAX_BATCH_CHUNKS, wanted, upload.batchChunks * 2));
    upload.batchChunks = next;
  }

  private put(upload: Upload, body: Uint8Array, offset: number): Promise<ServerFile> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      upload.xhr = xhr;
      upload.inflight = 0;
      let lastMove = performance.now();
      const watchdog = setInterval(() => {
        if (performance.now() - lastMove > STALL_MS) xhr.abort();
      }, 5_000);
      const done = () => {
        clearInterval(watchdog);
        if (upload.xhr === xhr) upload.xhr = null;
      };
      xhr.open('PUT', `${fileContentPath(upload.fileId!)}?offset=${offset}`);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.responseType = 'text';
      xhr.upload.onprogress = (event) => {
        lastMove = performance.now();
        upload.inflight = Math.min(event.loaded, body.length);
        this.progressed(upload, upload.received + upload.inflight);
      };
      xhr.upload.onload = () => {
        lastMove = performance.now();
      };
      xhr.onload = () => {
        done();
        const data = parseJson(xhr.responseText);
        if (xhr.status >= 200 && xhr.status < 300) {
          const file = (data as { file?: unknown } | undefined)?.file;
          if (isServerFile(file)) resolve(file);
          else reject(new ApiError(xhr.status, 'bad_response', "The server sent a reply this page can't read."));
          return;
        }
        reject(errorFromResponse(xhr.status, data, xhr.getResponseHeader('Retry-After')));
      };
      const failed = () => {
        done();
        reject(new ApiError(0, 'network', NETWORK_ERROR_MESSAGE));
      };
      xhr.onerror = failed;
      xhr.onabort = failed;
      xhr.ontimeout = failed;
      xhr.send(body as Uint8Array<ArrayBuffer>);
    });
  }

  private finishUpload(upload: Upload, digest: Uint8Array): void {
    this.remote.set(upload.fileId!, 'ready');
    upload.phase = 'done';
    upload.note = null;
    upload.batch = null;
    upload.prefetch = null;
    if (upload.job !== null) this.crypto.close(upload.job);
    upload.job = null;
    this.changed(upload);
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
      if (upload.job !== null) this.crypto.close(upload.job);
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
    this.changed(upload);
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
    this.changed(upload);
    this.pumpUploads();
  }

  /** Stops whatever a transfer is doing right now (it can be started again). */
  private halt(transfer: Upload | Download): void {
    transfer.run += 1;
    if (transfer.timer) {
      clearTimeout(transfer.timer);
      transfer.timer = null;
    }
    if ('xhr' in transfer) {
      transfer.xhr?.abort();
      transfer.xhr = null;
      transfer.prefetch = null;
      transfer.batch = null;
    } else {
      transfer.controller?.abort();
      transfer.controller = null;
    }
    if (transfer.job !== null) this.crypto.close(transfer.job);
    transfer.job = null;
  }

  // ---------------------------------------------------------------- downloading

  /** Download and save (or save at once, when an image preview already holds the file). */
  save(key: string, roomId: string, source: FileSource): void {
    if (this.stopped) return;
    const existing = this.downloads.get(key);
    if (existing?.blob && existing.phase === 'done') {
      saveBlob(existing.blob, existing.source.name);
      existing.saved = true;
      existing.save = true;
      this.changed(existing);
      return;
    }
    if (existing && existing.phase !== 'done' && existing.phase !== 'tampered' && existing.phase !== 'failed') {
      // Under way (perhaps as a preview waiting its turn): it is wanted now.
      existing.save = true;
      existing.auto = false;
      this.changed(existing);
      this.pumpDownloads();
      return;
    }
    const download = existing ?? this.newDownload(key, roomId, source);
    download.save = true;
    download.auto = false;
    this.restart(download);
  }

  /** Fetch and show an image. `auto`: because it came into view (a few at a time). */
  preview(key: string, roomId: string, source: FileSource, auto: boolean): void {
    if (this.stopped || !previewable(source.mime, source.size)) return;
    if (auto && this.declined.has(key)) return;
    const existing = this.downloads.get(key);
    if (existing && (existing.phase !== 'failed' || auto)) {
      if (!existing.preview && existing.phase !== 'done' && existing.phase !== 'tampered') {
        existing.preview = true;
        this.changed(existing);
      }
      return;
    }
    const download = existing ?? this.newDownload(key, roomId, source);
    download.preview = true;
    download.auto = auto && !download.save;
    this.restart(download);
  }

  retryDownload(key: string): void {
    const download = this.downloads.get(key);
    if (!download || (download.phase !== 'failed' && download.phase !== 'tampered' && download.phase !== 'waiting'))
      return;
    this.restart(download);
  }

  /** Stops a download and forgets everything of it. */
  cancelDownload(key: string): void {
    const download = this.downloads.get(key);
    if (!download) return;
    if (download.auto || download.preview) this.declined.add(key);
    this.discardDownload(download);
    this.pumpDownloads();
    this.changed();
  }

  private newDownload(key: string, roomId: string, source: FileSource): Download {
    const download: Download = {
      key,
      roomId,
      source,
      encryptedSize: encryptedFileSize(source.size),
      job: null,
      have: 0,
      save: false,
      preview: false,
      auto: false,
      saved: false,
      phase: 'queued',
      note: null,
      failures: 0,
      controller: null,
      timer: null,
      meter: new SpeedMeter(),
      run: 0,
      blob: null,
      previewUrl: null,
      lastPaint: 0,
      view: null,
    };
    this.downloads.set(key, download);
    return download;
  }

  private restart(download: Download): void {
    if (download.phase === 'tampered') {
      this.halt(download);
      download.have = 0;
    }
    download.failures = 0;
    download.note = null;
    download.phase = 'queued';
    this.changed(download);
    this.pumpDownloads();
  }

  /** Asked-for downloads start at once; automatic previews a few at a time. */
  private pumpDownloads(): void {
    let autos = 0;
    for (const download of this.downloads.values()) {
      if (download.auto && isActive(download.phase)) autos += 1;
    }
    for (const download of this.downloads.values()) {
      if (download.phase !== 'queued') continue;
      if (download.auto) {
        if (autos >= PARALLEL_AUTO_PREVIEWS) continue;
        autos += 1;
      }
      this.startDownload(download);
    }
  }

  private startDownload(download: Download): void {
    if (download.timer) {
      clearTimeout(download.timer);
      download.timer = null;
    }
    download.run += 1;
    download.phase = 'downloading';
    this.changed(download);
    void this.driveDownload(download, download.run);
  }

  private async driveDownload(download: Download, run: number): Promise<void> {
    const stale = () => this.stopped || download.run !== run || this.downloads.get(download.key) !== download;
    try {
      if (download.job === null) {
        const job = this.crypto.job();
        const { source } = download;
        await this.crypto.call({
          op: 'decrypt-open',
          job,
          key: source.key,
          size: source.size,
          digest: source.digest,
          type: source.mime,
        });
        if (stale()) {
          this.crypto.close(job);
          return;
        }
        download.job = job;
        download.have = 0;
      }
      while (!stale() && download.have < download.encryptedSize) {
        const before = download.have;
        try {
          await this.fetchFrom(download, stale);
        } catch (error) {
          // Progress made before a drop doesn't count as a failure.
          if (download.have > before) download.failures = 0;
          throw error;
        }
        if (download.have > before) download.failures = 0;
        if (!stale() && download.have < download.encryptedSize) {
          // The response ended early: continue where it stopped.
          throw new ApiError(0, 'network', 'The download was cut off.');
        }
      }
      if (stale()) return;
      download.phase = 'verifying';
      this.changed(download);
      const { blob } = await this.crypto.call({ op: 'decrypt-finish', job: download.job! });
      if (stale()) return;
      download.job = null;
      this.finishDownload(download, blob);
    } catch (error) {
      if (stale()) return;
      download.controller = null;
      this.downloadProblem(download, error);
    }
  }

  /** One GET from `have` on; returns when the body ends. */
  private async fetchFrom(download: Download, stale: () => boolean): Promise<void> {
    const controller = new AbortController();
    download.controller = controller;
    const headers: Record<string, string> = { Accept: 'application/octet-stream' };
    if (download.have > 0) headers.Range = `bytes=${download.have}-`;
    let lastMove = performance.now();
    const watchdog = setInterval(() => {
      if (performance.now() - lastMove > STALL_MS) controller.abort();
    }, 5_000);
    const writes: { promise: Promise<unknown>; bytes: number }[] = [];
    let pendingBytes = 0;
    let writeFailure: unknown = null;
    try {
      let response: Response;
      try {
        response = await fetch(fileContentPath(download.source.fileId), {
          headers,
          credentials: 'same-origin',
          cache: 'no-store',
          referrerPolicy: 'no-referrer',
          signal: controller.signal,
        });
      } catch {
        throw new ApiError(0, 'network', NETWORK_ERROR_MESSAGE);
      }
      if (!response.ok) {
        let data: unknown;
        try {
          data = parseJson(await response.text());
        } catch {
          data = undefined;
        }
        throw errorFromResponse(response.status, data, response.headers.get('Retry-After'));
      }
      let skip = this.checkResponse(download, response);
      if (!response.body) throw new ApiError(0, 'network', NETWORK_ERROR_MESSAGE);
      const reader = response.body.getReader();
      try {
        for (;;) {
          let chunk: ReadableStreamReadResult<Uint8Array>;
          try {
            chunk = await reader.read();
          } catch {
            throw new ApiError(0, 'network', 'The connection dropped.');
          }
          if (chunk.done || stale()) break;
          lastMove = performance.now();
          let bytes = chunk.value;
          if (skip > 0) {
            const dropped = Math.min(skip, bytes.length);
            skip -= dropped;
            bytes = bytes.subarray(dropped);
          }
          if (bytes.length === 0) continue;
          if (download.have + bytes.length > download.encryptedSize) {
            throw new EngineError('tampered', 'The server sent more bytes than this file has.');
          }
          // Hand the bytes over (a copy when they share a buffer with something else).
          const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
          const promise = this.crypto.call({ op: 'decrypt-write', job: download.job!, bytes: own }, [
            own.buffer as ArrayBuffer,
          ]);
          promise.catch((error: unknown) => {
            writeFailure ??= error;
            controller.abort();
          });
          writes.push({ promise, bytes: own.length });
          pendingBytes += own.length;
          download.have += own.length;
          this.progressed(download, download.have);
          while (pendingBytes > MAX_UNDECRYPTED_BYTES && writes.length > 0) {
            const oldest = writes.shift()!;
            await oldest.promise;
            pendingBytes -= oldest.bytes;
          }
          if (writeFailure) throw writeFailure;
        }
      } finally {
        reader.cancel().catch(() => undefined);
      }
    } catch (error) {
      // A failed check in the worker explains the abort better than the abort itself.
      await Promise.allSettled(writes.map((write) => write.promise));
      throw writeFailure ?? error;
    } finally {
      clearInterval(watchdog);
      if (download.controller === controller) download.controller = null;
    }
    await Promise.all(writes.map((write) => write.promise));
  }

  /** Checks that the answer is the part asked for, of a file of the right size; returns bytes to skip. */
  private checkResponse(download: Download, response: Response): number {
    const total = download.encryptedSize;
    const encoded = response.headers.get('Content-Encoding');
    if (response.status === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('Content-Range') ?? '');
      if (!range || Number(range[1]) !== download.have) {
        throw new ApiError(0, 'network', 'The server answered with the wrong part of the file.');
      }
      if (Number(range[3]) !== total) throw sizeMismatch();
      return 0;
    }
    const length = response.headers.get('Content-Length');
    if (length !== null && !encoded && Number(length) !== total) throw sizeMismatch();
    // A full answer to a range request: skip what we have.
    return download.have;
  }

  private finishDownload(download: Download, blob: Blob): void {
    const { source } = download;
    if (download.save) {
      saveBlob(blob, source.name);
      download.saved = true;
    }
    if (previewable(source.mime, source.size)) {
      // Kept for the preview (and to save again without fetching it again).
      download.blob = blob;
      if (download.preview || download.save) download.previewUrl ??= URL.createObjectURL(blob);
    }
    download.phase = 'done';
    download.auto = false;
    download.note = null;
    this.changed(download);
    this.pumpDownloads();
  }

  private downloadProblem(download: Download, error: unknown): void {
    if (error instanceof EngineError) {
      if (error.kind === 'tampered') {
        this.halt(download);
        download.have = 0;
        download.blob = null;
        download.phase = 'tampered';
        download.note = error.message;
        this.changed(download);
        this.pumpDownloads();
        return;
      }
      // The worker stopped: start this file over.
      this.halt(download);
      download.have = 0;
      return this.retryDownloadLater(download, true, 'Decryption was interrupted.');
    }
    if (!(error instanceof ApiError)) return this.retryDownloadLater(download, true, null);
    const { status, code } = error;
    if (status === 0 || status >= 500) {
      return this.retryDownloadLater(download, true, status === 0 ? 'The connection dropped.' : error.message);
    }
    if (status === 429) {
      return this.retryDownloadLater(
        download,
        false,
        error.message,
        (error.retryAfter ?? 0) * 1000 || RATE_LIMIT_WAIT_MS,
      );
    }
    if (status === 409 && code === 'not_ready') {
      this.remote.set(download.source.fileId, 'uploading');
      download.phase = 'not-ready';
      download.note = null;
      this.changed(download);
      // Also without a file:ready (missed while disconnected): look again now and then.
      download.timer = setTimeout(() => {
        download.timer = null;
        if (download.phase === 'not-ready') this.startDownload(download);
      }, 30_000);
      this.pumpDownloads();
      return;
    }
    if (status === 416) {
      // The server's file is shorter than the one the sender described.
      return this.downloadProblem(download, sizeMismatch());
    }
    if (status === 404) {
      this.remote.set(download.source.fileId, 'gone');
      this.halt(download);
      download.have = 0;
      return this.failDownload(download, 'This file is no longer on the server.');
    }
    return this.failDownload(download, error.message);
  }

  private retryDownloadLater(download: Download, counts: boolean, note: string | null, delayMs?: number): void {
    if (counts && !offline()) download.failures += 1;
    if (download.failures >= MAX_FAILURES) {
      return this.failDownload(download, `The download keeps failing${note ? ` (${lowerFirst(note)})` : ''}.`);
    }
    const wait = delayMs ?? jitter(BACKOFF_MS[Math.max(0, download.failures - 1)] ?? 30_000);
    download.phase = 'waiting';
    download.note = note;
    download.meter.reset();
    this.changed(download);
    download.timer = setTimeout(() => {
      download.timer = null;
      if (this.downloads.get(download.key) === download && download.phase === 'waiting') this.startDownload(download);
    }, wait);
  }

  private failDownload(download: Download, note: string): void {
    download.phase = 'failed';
    download.note = note;
    download.auto = false;
    download.meter.reset();
    this.changed(download);
    this.pumpDownloads();
  }

  private discardDownload(download: Download): void {
    this.halt(download);
    if (download.previewUrl) URL.revokeObjectURL(download.previewUrl);
    download.blob = null;
    this.downloads.delete(download.key);
  }
}

// ---------------------------------------------------------------- helpers

function offline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

function isActive(phase: DownloadPhase): boolean {
  return phase === 'downloading' || phase === 'waiting' || phase === 'verifying';
}

function plainDone(done: number, encryptedSize: number, size: number): number {
  if (encryptedSize <= 0) return 0;
  return Math.min(size, Math.round((done / encryptedSize) * size));
}

function progressOf(transfer: Upload | Download, done: number): Progress {
  const size = 'xhr' in transfer ? transfer.size : transfer.source.size;
  const speed = transfer.meter.speed();
  const seconds = transfer.meter.secondsLeft(transfer.encryptedSize - done);
  const ratio = transfer.encryptedSize > 0 ? size / transfer.encryptedSize : 0;
  return {
    done: plainDone(done, transfer.encryptedSize, size),
    total: size,
    speed: speed === null ? null : speed * ratio,
    secondsLeft: seconds,
  };
}

function uploadView(upload: Upload): UploadView {
  const done = upload.phase === 'done' ? upload.encryptedSize : upload.received + upload.inflight;
  return {
    phase: upload.phase,
    progress: progressOf(upload, done),
    note: upload.note,
    resumable: upload.resumable,
    previewUrl: upload.previewUrl,
  };
}

function downloadView(download: Download): DownloadView {
  return {
    phase: download.phase,
    progress: progressOf(download, download.have),
    note: download.note,
    save: download.save,
    saved: download.saved,
    previewUrl: download.previewUrl,
  };
}

function isServerFile(value: unknown): value is ServerFile {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  return (
    typeof f.id === 'string' &&
    typeof f.size === 'number' &&
    typeof f.received === 'number' &&
    Number.isSafeInteger(f.received) &&
    f.received >= 0 &&
    typeof f.status === 'string'
  );
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** "The connection dropped." → "the connection dropped", to go in parentheses. */
function lowerFirst(sentence: string): string {
  const bare = sentence.replace(/\.$/, '');
  return /^[A-Z][a-z]/.test(bare) ? bare[0]!.toLowerCase() + bare.slice(1) : bare;
}

function jitter(ms: number): number {
  return ms * (0.75 + Math.random() / 2);
}

function sizeMismatch(): EngineError {
  return new EngineError('tampered', 'The server’s copy is not the size the sender described.');
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

/** Hands a verified file to the person: a download of a blob: URL, under a safe name. */
function saveBlob(blob: Blob, name: string): void {
  const file = blob.type === 'application/octet-stream' ? blob : blob.slice(0, blob.size, 'application/octet-stream');
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = downloadName(name);
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Long enough for the browser to have taken the file; then the URL (and its bytes) go.
  setTimeout(() => URL.revokeObjectURL(url), SAVED_URL_LIFETIME_MS);
}
