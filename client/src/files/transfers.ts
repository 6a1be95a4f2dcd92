// File uploads and downloads for one chat session (docs/API.md, "Files").
//
// Uploads are encrypted by the file engine (in the app's worker, or in-process) and PUT
// one batch at a time, resuming from what the server says it has; downloads are
// streamed into the engine, checked and decrypted, resuming with a Range request;
// nothing reaches the sink unless every check passed.
//
// Keys live in memory only: a reload loses them, so a transfer can resume after a
// dropped connection but not after the page (or the process) itself is restarted.
//
// The parts live in ./transfers/: uploads (upload, its batches and requests),
// downloads (download, its stream), the retry policy, the files the views watch, and
// the shared state and views. This facade is what the chat session and the file
// cards use. It reaches the server only through `api` (JSON calls) and `api.http`
// (file contents), and the person only through `sink`.

import type { Platform } from '../platform.js';
import type { Api } from '../transport/api.js';
import { FileCrypto, type CryptoMode } from './file-crypto.js';
import type { FileSink } from './sink.js';
import { Downloads } from './transfers/download.js';
import { FileWatch } from './transfers/file-watch.js';
import { TransferStore } from './transfers/state.js';
import type { DownloadView, FileSource, RemoteStatus, TransferHooks, UploadView } from './transfers/types.js';
import { Uploads } from './transfers/upload.js';

export { MAX_FAILURES } from './transfers/retry-policy.js';
export type {
  DownloadPhase,
  DownloadView,
  FileSource,
  Progress,
  RemoteStatus,
  TransferHooks,
  UploadPhase,
  UploadView,
} from './transfers/types.js';

export interface FileTransfersOptions {
  /** JSON calls (create, resume, list, delete); file contents go through `api.http`. */
  api: Api;
  platform: Platform;
  /**
   * The file engine. FileTransfers owns it: stop() stops it (ends its worker). Left
   * out: `new FileCrypto({ platform })`, which runs in-process (Node, tests).
   */
  crypto?: FileCrypto;
  /** Where verified files (and image previews) go: browserFileSink() in a page. */
  sink: FileSink;
  hooks: TransferHooks;
}

const ROOM_FILES_FRESH_MS = 60_000;

export class FileTransfers {
  private readonly store: TransferStore;
  private readonly uploads: Uploads;
  private readonly downloads: Downloads;
  private readonly fileWatch: FileWatch;
  private readonly roomFetches = new Map<string, { at: number; running: boolean }>();

  constructor(options: FileTransfersOptions) {
    const { api, platform, sink, hooks } = options;
    const crypto = options.crypto ?? new FileCrypto({ platform });
    this.store = new TransferStore(api, platform, crypto, sink);
    this.uploads = new Uploads(this.store, hooks);
    this.downloads = new Downloads(this.store);
    this.fileWatch = new FileWatch(this.store, (roomId, maxAgeMs) => this.watchRoom(roomId, maxAgeMs));
    // What the server says of a file changed: start or stop looking again.
    this.store.subscribe(() => this.fileWatch.updateAll());
  }

  // ---------------------------------------------------------------- store (for the UI)

  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  upload(clientId: string): UploadView | null {
    return this.uploads.view(clientId);
  }

  download(key: string): DownloadView | null {
    return this.downloads.view(key);
  }

  remoteStatus(fileId: string): RemoteStatus {
    return this.store.remote.get(fileId) ?? 'unknown';
  }

  /** How the file engine runs, once started (null before). */
  get cryptoMode(): CryptoMode | null {
    return this.store.crypto.mode;
  }

  /** Uploads or downloads under way (leaving the page would lose them). */
  get busy(): boolean {
    return this.uploads.busy || this.downloads.busy;
  }

  // ---------------------------------------------------------------- lifecycle

  stop(): void {
    if (this.store.stopped) return;
    this.fileWatch.stop();
    this.uploads.stop();
    this.downloads.stop();
    this.store.stop();
  }

  /** The connection is back (or the device is online again): retry what was waiting. */
  online(): void {
    this.uploads.online();
    this.downloads.online();
    // What was uploading may have finished meanwhile.
    for (const [roomId, fetch] of this.roomFetches) if (!fetch.running) this.roomFetches.delete(roomId);
  }

  /** The conversation is gone. */
  dropRoom(roomId: string): void {
    this.uploads.dropRoom(roomId);
    this.downloads.dropRoom(roomId);
    this.roomFetches.delete(roomId);
    this.fileWatch.dropRoom(roomId);
    this.store.changed();
  }

  // ---------------------------------------------------------------- what the server says

  /** Learns which of a room's files are still uploading (by default once a minute at most). */
  watchRoom(roomId: string, maxAgeMs = ROOM_FILES_FRESH_MS): void {
    if (this.store.stopped) return;
    const now = this.store.platform.monotonic();
    const known = this.roomFetches.get(roomId);
    if (known && (known.running || now - known.at < maxAgeMs)) return;
    const fetch = { at: now, running: true };
    this.roomFetches.set(roomId, fetch);
    this.store.api
      .roomFiles(roomId)
      .then(({ files }) => {
        if (this.store.stopped) return;
        for (const file of files) {
          const status: RemoteStatus = file.status === 'ready' ? 'ready' : 'uploading';
          // A file seen ready stays ready (a stale answer can't take it back).
          if (this.store.remote.get(file.id) !== 'ready') this.store.remote.set(file.id, status);
        }
        this.store.changed();
      })
      .catch(() => {
        // Not important enough to retry now: downloads find out for themselves.
        fetch.at = Number.NEGATIVE_INFINITY;
      })
      .finally(() => {
        fetch.running = false;
      });
  }

  /**
   * A view shows this file (of a message the server stored): learns whether it is still
   * uploading (with the room's other files, as watchRoom does) and, while any watched
   * file of the room is, looks again every RECHECK_MS. Returns the function that stops
   * watching it.
   */
  watchFile(roomId: string, fileId: string): () => void {
    this.watchRoom(roomId);
    return this.fileWatch.watch(roomId, fileId);
  }

  /** file:ready: the file can be downloaded now. */
  markReady(fileId: string): void {
    this.store.remote.set(fileId, 'ready');
    this.downloads.markReady(fileId);
    this.store.changed();
  }

  // ---------------------------------------------------------------- uploading

  /**
   * Starts (or queues) an upload; `clientId` is also the id of the file message to
   * come. `file`: a File in a page (any Blob will do). `ttl`: the conversation's
   * disappearing time (s), after which the server deletes the file, or null.
   */
  startFile(roomId: string, clientId: string, file: Blob, name: string, mime: string, ttl: number | null = null): void {
    this.uploads.startFile(roomId, clientId, file, name, mime, ttl);
  }

  /** Retry after repeated failures: continues where the server stopped. */
  retryUpload(clientId: string): void {
    this.uploads.retryUpload(clientId);
  }

  /** Stops an upload and deletes what the server has of it. */
  cancelUpload(clientId: string): void {
    this.uploads.cancelUpload(clientId);
  }

  // ---------------------------------------------------------------- downloading

  /** Download and save (or save at once, when an image preview already holds the file). */
  save(key: string, roomId: string, source: FileSource): void {
    this.downloads.save(key, roomId, source);
  }

  /** Fetch and show an image. `auto`: because it came into view (a few at a time). */
  preview(key: string, roomId: string, source: FileSource, auto: boolean): void {
    this.downloads.preview(key, roomId, source, auto);
  }

  retryDownload(key: string): void {
    this.downloads.retryDownload(key);
  }

  /** Stops a download and forgets everything of it. */
  cancelDownload(key: string): void {
    this.downloads.cancelDownload(key);
  }
}
