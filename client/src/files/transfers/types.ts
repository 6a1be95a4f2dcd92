// What a transfer is: the views the file cards read, and the state kept per upload
// and download while it runs.

import type { FileMessage } from '@onionchat/protocol';
import type { SpeedMeter } from '../file-info.js';

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
  /** A URL (the sink's previewUrl; a blob: URL in a page) of the picked image itself. */
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
  /** A URL (the sink's previewUrl; a blob: URL in a page) of the verified, decrypted image. */
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

export interface Batch {
  /** Ciphertext offset of the first byte, and one past the last. */
  start: number;
  end: number;
  /** Chunks [from, to). */
  from: number;
  to: number;
  bytes: Uint8Array;
}

export interface Upload {
  kind: 'upload';
  id: string;
  roomId: string;
  /** The conversation's disappearing time when it was picked (s), or null. */
  ttl: number | null;
  /** When it was picked (ms): its disappearing time counts from then. */
  startedAt: number;
  /** The picked file (a File in a page; any Blob will do). */
  file: Blob;
  name: string;
  mime: string;
  size: number;
  key: Uint8Array;
  encryptedSize: number;
  job: number | null;
  /** The file's header once encryption has opened: kept so a reopened encryption (after a worker crash) continues the same file. */
  header: Uint8Array | null;
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
  /** Aborts the request in flight. */
  controller: AbortController | null;
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

export interface Download {
  kind: 'download';
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
