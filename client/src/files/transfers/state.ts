// The transfers' shared state and the store the UI reads it from: one change
// notification per microtask, progress repainted at most every PROGRESS_MS, and the
// views (plaintext progress, speed, time left) built from each transfer. It also holds
// what every part works through: the API, the platform, the crypto engine, the sink.

import type { Platform } from '../../platform.js';
import type { Api } from '../../transport/api.js';
import type { FileCrypto } from '../file-crypto.js';
import { SpeedMeter } from '../file-info.js';
import type { FileSink } from '../sink.js';
import type { Download, DownloadView, Progress, RemoteStatus, Upload, UploadView } from './types.js';

/** Repaint progress at most this often. */
const PROGRESS_MS = 250;

export class TransferStore {
  /** What the server said about each file (by file id). */
  readonly remote = new Map<string, RemoteStatus>();
  private readonly listeners = new Set<() => void>();
  private notifying = false;
  stopped = false;

  constructor(
    readonly api: Api,
    readonly platform: Platform,
    readonly crypto: FileCrypto,
    readonly sink: FileSink,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  meter(): SpeedMeter {
    return new SpeedMeter(undefined, () => this.platform.monotonic());
  }

  changed(transfer?: Upload | Download): void {
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
  progressed(transfer: Upload | Download, done: number): void {
    const now = this.platform.monotonic();
    transfer.meter.add(done, now);
    if (now - transfer.lastPaint < PROGRESS_MS) return;
    transfer.lastPaint = now;
    this.changed(transfer);
  }

  /** A preview URL for a verified (or picked) image, when the sink makes them. */
  previewUrl(blob: Blob): string | null {
    try {
      return this.sink.previewUrl?.(blob) ?? null;
    } catch {
      return null;
    }
  }

  revokePreviewUrl(url: string | null): void {
    if (url === null) return;
    try {
      this.sink.revokePreviewUrl?.(url);
    } catch {
      // Nothing more to free.
    }
  }

  /** Stops whatever a transfer is doing right now (it can be started again). */
  halt(transfer: Upload | Download): void {
    transfer.run += 1;
    if (transfer.timer) {
      clearTimeout(transfer.timer);
      transfer.timer = null;
    }
    transfer.controller?.abort();
    transfer.controller = null;
    if (transfer.kind === 'upload') {
      transfer.prefetch = null;
      transfer.batch = null;
    }
    if (transfer.job !== null) this.crypto.close(transfer.job);
    transfer.job = null;
  }

  /** After the transfers stopped: the engine goes, and nothing is announced any more. */
  stop(): void {
    this.crypto.stop();
    this.stopped = true;
    this.listeners.clear();
  }
}

function plainDone(done: number, encryptedSize: number, size: number): number {
  if (encryptedSize <= 0) return 0;
  return Math.min(size, Math.round((done / encryptedSize) * size));
}

function progressOf(transfer: Upload | Download, done: number): Progress {
  const size = transfer.kind === 'upload' ? transfer.size : transfer.source.size;
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

export function uploadView(upload: Upload): UploadView {
  const done = upload.phase === 'done' ? upload.encryptedSize : upload.received + upload.inflight;
  return {
    phase: upload.phase,
    progress: progressOf(upload, done),
    note: upload.note,
    resumable: upload.resumable,
    previewUrl: upload.previewUrl,
  };
}

export function downloadView(download: Download): DownloadView {
  return {
    phase: download.phase,
    progress: progressOf(download, download.have),
    note: download.note,
    save: download.save,
    saved: download.saved,
    previewUrl: download.previewUrl,
  };
}
