// Downloads: the ciphertext is streamed into the file engine (in its worker, or
// in-process), which checks and decrypts each chunk and the digest at the end; a
// dropped connection resumes with a Range request. Nothing reaches the sink unless
// every check passed. Asked-for downloads start at once; previews of images coming
// into view a few at a time.

import { encryptedFileSize } from '@onionchat/protocol';
import { ApiError } from '../../transport/api-error.js';
import { EngineError } from '../file-engine.js';
import { downloadName, previewable } from '../file-info.js';
import { FILE_PHRASES } from '../file-phrases.js';
import { sayer } from '../../present/phrasebook.js';
import { sizeMismatch, streamDownload } from './download-stream.js';
import { BACKOFF_MS, MAX_FAILURES, RATE_LIMIT_WAIT_MS, jitter, lowerFirst } from './retry-policy.js';
import { downloadView, type TransferStore } from './state.js';
import type { Download, DownloadPhase, DownloadView, FileSource } from './types.js';

const say = sayer(FILE_PHRASES);

/** Previews fetched at once without being asked. */
const PARALLEL_AUTO_PREVIEWS = 2;

export class Downloads {
  private readonly downloads = new Map<string, Download>();
  /** Auto previews the person stopped: not started again. */
  private readonly declined = new Set<string>();

  constructor(private readonly store: TransferStore) {}

  view(key: string): DownloadView | null {
    const download = this.downloads.get(key);
    if (!download) return null;
    download.view ??= downloadView(download);
    return download.view;
  }

  /** Downloads the person asked to save, under way (leaving the page would lose them). */
  get busy(): boolean {
    for (const download of this.downloads.values()) {
      if (download.save && !['done', 'failed', 'tampered'].includes(download.phase)) return true;
    }
    return false;
  }

  /** The connection is back: retry what was waiting. */
  online(): void {
    for (const download of this.downloads.values()) {
      if (download.phase === 'waiting' || download.phase === 'not-ready') this.startDownload(download);
    }
  }

  /** The conversation is gone. */
  dropRoom(roomId: string): void {
    for (const download of [...this.downloads.values()]) {
      if (download.roomId === roomId) this.discardDownload(download);
    }
  }

  /** file:ready: downloads that waited for it go ahead. */
  markReady(fileId: string): void {
    for (const download of this.downloads.values()) {
      if (download.source.fileId === fileId && download.phase === 'not-ready') this.startDownload(download);
    }
  }

  stop(): void {
    for (const download of this.downloads.values()) {
      this.store.halt(download);
      this.store.revokePreviewUrl(download.previewUrl);
      download.blob = null;
    }
    this.downloads.clear();
  }

  /** Download and save (or save at once, when an image preview already holds the file). */
  save(key: string, roomId: string, source: FileSource): void {
    if (this.store.stopped) return;
    const existing = this.downloads.get(key);
    if (existing?.blob && existing.phase === 'done') {
      existing.save = true;
      this.store.changed(existing);
      void this.hand(existing, existing.blob).then((problem) => {
        if (this.downloads.get(key) !== existing) return;
        existing.note = problem;
        this.store.changed(existing);
      });
      return;
    }
    if (existing && existing.phase !== 'done' && existing.phase !== 'tampered' && existing.phase !== 'failed') {
      // Under way (perhaps as a preview waiting its turn): it is wanted now.
      existing.save = true;
      existing.auto = false;
      this.store.changed(existing);
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
    if (this.store.stopped || !previewable(source.mime, source.size)) return;
    if (auto && this.declined.has(key)) return;
    const existing = this.downloads.get(key);
    if (existing && (existing.phase !== 'failed' || auto)) {
      if (!existing.preview && existing.phase !== 'done' && existing.phase !== 'tampered') {
        existing.preview = true;
        this.store.changed(existing);
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
    this.store.changed();
  }

  private newDownload(key: string, roomId: string, source: FileSource): Download {
    const download: Download = {
      kind: 'download',
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
      meter: this.store.meter(),
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
      this.store.halt(download);
      download.have = 0;
    }
    download.failures = 0;
    download.note = null;
    download.phase = 'queued';
    this.store.changed(download);
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
    this.store.changed(download);
    void this.driveDownload(download, download.run);
  }

  private async driveDownload(download: Download, run: number): Promise<void> {
    const stale = () => this.store.stopped || download.run !== run || this.downloads.get(download.key) !== download;
    try {
      if (download.job === null) {
        const job = this.store.crypto.job();
        const { source } = download;
        await this.store.crypto.call({
          op: 'decrypt-open',
          job,
          key: source.key,
          size: source.size,
          digest: source.digest,
          type: source.mime,
        });
        if (stale()) {
          this.store.crypto.close(job);
          return;
        }
        download.job = job;
        download.have = 0;
      }
      while (!stale() && download.have < download.encryptedSize) {
        const before = download.have;
        try {
          await streamDownload(this.store, download, stale, (done) => this.store.progressed(download, done));
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
      this.store.changed(download);
      const { blob } = await this.store.crypto.call({ op: 'decrypt-finish', job: download.job! });
      if (stale()) return;
      download.job = null;
      await this.finishDownload(download, blob, stale);
    } catch (error) {
      if (stale()) return;
      download.controller = null;
      this.downloadProblem(download, error);
    }
  }

  /** Every check passed: the file goes to the sink (when asked to save) and the preview. */
  private async finishDownload(download: Download, blob: Blob, stale: () => boolean): Promise<void> {
    const { source } = download;
    if (download.save) {
      const problem = await this.hand(download, blob);
      if (stale()) return;
      if (problem) return this.failDownload(download, problem);
    }
    if (previewable(source.mime, source.size)) {
      // Kept for the preview (and to save again without fetching it again).
      download.blob = blob;
      if (download.preview || download.save) download.previewUrl ??= this.store.previewUrl(blob);
    }
    download.phase = 'done';
    download.auto = false;
    download.note = null;
    this.store.changed(download);
    this.pumpDownloads();
  }

  /** Hands a verified file to the sink; what went wrong, if it refused. */
  private async hand(download: Download, blob: Blob): Promise<string | null> {
    try {
      await this.store.sink.save(blob, downloadName(download.source.name));
      download.saved = true;
      return null;
    } catch (error) {
      return error instanceof Error && error.message
        ? say('files.note.notSavedBecause', { reason: lowerFirst(error.message) })
        : say('files.note.notSaved');
    }
  }

  private downloadProblem(download: Download, error: unknown): void {
    if (error instanceof EngineError) {
      if (error.kind === 'tampered') {
        this.store.halt(download);
        download.have = 0;
        download.blob = null;
        download.phase = 'tampered';
        download.note = error.message;
        this.store.changed(download);
        this.pumpDownloads();
        return;
      }
      // The worker stopped: start this file over.
      this.store.halt(download);
      download.have = 0;
      return this.retryDownloadLater(download, true, say('files.note.decryptionInterrupted'));
    }
    if (!(error instanceof ApiError)) return this.retryDownloadLater(download, true, null);
    const { status, code } = error;
    if (status === 0 || status >= 500 || code === 'bad_response') {
      return this.retryDownloadLater(
        download,
        true,
        status === 0 ? say('files.note.connectionDropped') : error.message,
      );
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
      this.store.remote.set(download.source.fileId, 'uploading');
      download.phase = 'not-ready';
      download.note = null;
      this.store.changed(download);
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
      this.store.remote.set(download.source.fileId, 'gone');
      this.store.halt(download);
      download.have = 0;
      return this.failDownload(download, say('files.status.gone'));
    }
    return this.failDownload(download, error.message);
  }

  private retryDownloadLater(download: Download, counts: boolean, note: string | null, delayMs?: number): void {
    if (counts && !this.store.platform.offline()) download.failures += 1;
    if (download.failures >= MAX_FAILURES) {
      return this.failDownload(
        download,
        note
          ? say('files.note.downloadKeepsFailingBecause', { reason: lowerFirst(note) })
          : say('files.note.downloadKeepsFailing'),
      );
    }
    const wait = delayMs ?? jitter(BACKOFF_MS[Math.max(0, download.failures - 1)] ?? 30_000);
    download.phase = 'waiting';
    download.note = note;
    download.meter.reset();
    this.store.changed(download);
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
    this.store.changed(download);
    this.pumpDownloads();
  }

  private discardDownload(download: Download): void {
    this.store.halt(download);
    this.store.revokePreviewUrl(download.previewUrl);
    download.previewUrl = null;
    download.blob = null;
    this.downloads.delete(download.key);
  }
}

function isActive(phase: DownloadPhase): boolean {
  return phase === 'downloading' || phase === 'waiting' || phase === 'verifying';
}
