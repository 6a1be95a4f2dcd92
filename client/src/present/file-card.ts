// What a file card says: its state (which the end-to-end tests read from data-state),
// its status line, the kind of file in words, and how far a transfer got.

import type { ChatItem, FileMeta } from '../chat/index.js';
import {
  AUTO_PREVIEW_MAX_BYTES,
  fileKind,
  formatBytes,
  formatSpeed,
  formatTimeLeft,
  previewable,
  type FileKind,
} from '../files/file-info.js';
import type { DownloadView, Progress, RemoteStatus, UploadView } from '../files/transfers.js';

/** What the card shows, and what the end-to-end tests read from data-state. */
export type FileCardState = 'uploading' | 'sent' | 'ready' | 'downloading' | 'downloaded' | 'failed' | 'tampered';

export const TAMPERED_TEXT = 'This file was tampered with or damaged; it was not saved.';

/** "Image", "PDF", …: what kind of file it is, in words. */
export const KIND_LABEL: Readonly<Record<FileKind, string>> = {
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  pdf: 'PDF',
  archive: 'Archive',
  text: 'Text',
  document: 'Document',
  other: 'File',
};

/** "BIN" for "random.bin": up to four letters or digits, for the generic icon. */
export function shortExtension(name: string): string | null {
  return /\.([a-z0-9]{1,4})$/i.exec(name)?.[1]?.toUpperCase() ?? null;
}

/** The download is under way (or about to be, or waiting to go on). */
export function isRunning(download: DownloadView): boolean {
  return ['queued', 'downloading', 'waiting', 'not-ready', 'verifying'].includes(download.phase);
}

/**
 * The card's state. `stored`: the server stored the file's message (it has a seq and
 * was sent).
 */
export function cardState(
  item: ChatItem,
  stored: boolean,
  upload: UploadView | null,
  download: DownloadView | null,
  remote: RemoteStatus,
): FileCardState {
  if (item.mine && !stored) {
    if (item.state === 'failed' || upload?.phase === 'failed') return 'failed';
    return 'uploading';
  }
  if (download) {
    if (download.phase === 'tampered') return 'tampered';
    if (download.phase === 'failed') return 'failed';
    if (download.phase === 'not-ready') return 'uploading';
    if (download.save && isRunning(download)) return 'downloading';
    if (download.saved) return 'downloaded';
  }
  if (remote === 'gone') return 'failed';
  if (remote === 'uploading') return 'uploading';
  return item.mine ? 'sent' : 'ready';
}

/** The card's status line, for its state. */
export function statusText(
  state: FileCardState,
  item: ChatItem,
  upload: UploadView | null,
  download: DownloadView | null,
  remote: RemoteStatus,
): string {
  switch (state) {
    case 'uploading':
      if (!item.mine || item.seq !== null) return 'Uploading… It can be downloaded once it has arrived.';
      if (!upload) return 'Sending…';
      switch (upload.phase) {
        case 'queued':
          return 'Waiting to upload…';
        case 'encrypting':
          return upload.progress.done > 0 ? 'Uploading…' : 'Encrypting…';
        case 'uploading':
          return 'Uploading…';
        case 'waiting':
          return `${upload.note ? `${upload.note.replace(/\.$/, '')}. ` : ''}Trying again in a moment…`;
        default:
          return item.note ? `Sending the message (${item.note.replace(/\.$/, '')})…` : 'Sending the message…';
      }
    case 'sent':
      return 'End-to-end encrypted.';
    case 'ready':
      return 'End-to-end encrypted.';
    case 'downloading':
      if (download?.phase === 'verifying') return 'Checking the file…';
      if (download?.phase === 'waiting')
        return `${download.note ? `${download.note.replace(/\.$/, '')}. ` : ''}Trying again in a moment…`;
      return 'Downloading and decrypting…';
    case 'downloaded':
      return 'Downloaded and verified.';
    case 'tampered':
      return TAMPERED_TEXT;
    case 'failed':
      if (item.mine && item.seq === null) {
        if (upload?.phase === 'failed') {
          const note = `Not sent${upload.note ? `: ${upload.note}` : '.'}`;
          // Keys live in this page only: a reload can't pick the upload up again.
          return upload.resumable ? `${note} Retry continues where it stopped, as long as this page stays open.` : note;
        }
        return `Not sent${item.note ? `: ${item.note}` : '.'}`;
      }
      if (download?.phase === 'failed') return `Download failed${download.note ? `: ${download.note}` : '.'}`;
      if (remote === 'gone') return 'This file is no longer on the server.';
      return 'Something went wrong.';
  }
}

/** "42%": how much of a transfer is done, rounded down. */
export function percentDone({ done, total }: Progress): string {
  return `${total > 0 ? Math.floor((done / total) * 100) : 0}%`;
}

/**
 * "1.0 MB of 5.0 MB · 800 KB/s · about 5 s left": the speed and time left only while it
 * runs and they are known.
 */
export function progressDetail({ done, total, speed, secondsLeft }: Progress): string {
  const parts = [`${formatBytes(done)} of ${formatBytes(total)}`];
  if (speed !== null && speed > 0 && done < total) parts.push(formatSpeed(speed));
  if (secondsLeft !== null && done < total) parts.push(formatTimeLeft(secondsLeft));
  return parts.join(' · ');
}

/** Everything a file card renders from, worked out in one place. */
export interface FileCardView {
  state: FileCardState;
  kind: FileKind;
  /** "Image: photo.jpg, 1.2 MB" (the card's accessible name). */
  label: string;
  kindLabel: string;
  extension: string | null;
  status: string;
  canPreview: boolean;
  previewUrl: string | null;
  /** The file id to keep an eye on while the server may still be receiving it (null: none). */
  watchedFileId: string | null;
  /** A small image, not shown yet: preview it once the card is on screen. */
  autoPreview: boolean;
  downloadable: boolean;
  uploading: boolean;
  /** Being downloaded to be saved (not just for a preview). */
  saving: boolean;
  previewing: boolean;
  downloadFailed: boolean;
  tampered: boolean;
  uploadFailed: boolean;
  /** A larger image: offer to show it rather than downloading it unasked. */
  offerPreview: boolean;
  /** The upload's progress bar (hidden when it failed before a byte left). */
  showUploadProgress: boolean;
}

export function fileCardView(
  item: ChatItem,
  file: FileMeta,
  upload: UploadView | null,
  download: DownloadView | null,
  remote: RemoteStatus,
): FileCardView {
  const stored = item.seq !== null && item.state === 'sent';
  const state = cardState(item, stored, upload, download, remote);
  const kind = fileKind(file.mime, file.name);
  const canPreview = previewable(file.mime, file.size);
  const previewUrl = upload?.previewUrl ?? download?.previewUrl ?? null;
  const downloadable = stored && file.fileId !== null && remote !== 'uploading' && remote !== 'gone';
  const uploading = upload !== null && upload.phase !== 'done' && !stored;
  const previewing = download !== null && !download.save && isRunning(download);
  return {
    state,
    kind,
    label: `${KIND_LABEL[kind]}: ${file.name}, ${formatBytes(file.size)}`,
    kindLabel: KIND_LABEL[kind],
    extension: shortExtension(file.name),
    status: statusText(state, item, upload, download, remote),
    canPreview,
    previewUrl,
    watchedFileId: stored ? file.fileId : null,
    autoPreview: canPreview && file.size <= AUTO_PREVIEW_MAX_BYTES && downloadable && !previewUrl && download === null,
    downloadable,
    uploading,
    saving: download !== null && download.save && isRunning(download),
    previewing,
    downloadFailed: download !== null && download.phase === 'failed',
    tampered: download !== null && download.phase === 'tampered',
    uploadFailed: state === 'failed' && (upload?.phase === 'failed' || (item.mine && item.state === 'failed')),
    offerPreview: canPreview && !previewUrl && !previewing && file.size > AUTO_PREVIEW_MAX_BYTES,
    showUploadProgress: uploading && upload !== null && !(upload.phase === 'failed' && upload.progress.done === 0),
  };
}
