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
import { FILE_PHRASES } from '../files/file-phrases.js';
import type { DownloadView, Progress, RemoteStatus, UploadView } from '../files/transfers.js';
import { sayer } from './phrasebook.js';

const say = sayer(FILE_PHRASES);

/** What the card shows, and what the end-to-end tests read from data-state. */
export type FileCardState = 'uploading' | 'sent' | 'ready' | 'downloading' | 'downloaded' | 'failed' | 'tampered';

/** What a card says when the file failed its checks. */
export function tamperedText(): string {
  return say('files.status.tampered');
}

/** "Image", "PDF", …: what kind of file it is, in words. */
export function kindLabel(kind: FileKind): string {
  return say(`files.kind.${kind}`);
}

/** "Decrypting preview… 42%": an image's preview on its way (percent: '' while unknown). */
export function decryptingPreviewText(percent: string): string {
  return say('files.card.decryptingPreview', { percent });
}

/** A note to go before more words: without its full stop (also a Chinese one). */
function bare(note: string): string {
  return note.replace(/[.。]$/u, '');
}

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
      if (!item.mine || item.seq !== null) return say('files.status.uploadingElsewhere');
      if (!upload) return say('files.status.sending');
      switch (upload.phase) {
        case 'queued':
          return say('files.status.waitingToUpload');
        case 'encrypting':
          return upload.progress.done > 0 ? say('files.status.uploading') : say('files.status.encrypting');
        case 'uploading':
          return say('files.status.uploading');
        case 'waiting':
          return tryingAgain(upload.note);
        default:
          return item.note
            ? say('files.status.sendingMessageWithNote', { note: bare(item.note) })
            : say('files.status.sendingMessage');
      }
    case 'sent':
    case 'ready':
      return say('files.status.encrypted');
    case 'downloading':
      if (download?.phase === 'verifying') return say('files.status.verifying');
      if (download?.phase === 'waiting') return tryingAgain(download.note);
      return say('files.status.downloading');
    case 'downloaded':
      return say('files.status.downloaded');
    case 'tampered':
      return tamperedText();
    case 'failed':
      if (item.mine && item.seq === null) {
        if (upload?.phase === 'failed') return notSent(upload.note, upload.resumable);
        return notSent(item.note, false);
      }
      if (download?.phase === 'failed') {
        return download.note
          ? say('files.status.downloadFailedWithNote', { note: download.note })
          : say('files.status.downloadFailed');
      }
      if (remote === 'gone') return say('files.status.gone');
      return say('files.status.unknownProblem');
  }
}

/** "The connection dropped. Trying again in a moment…" */
function tryingAgain(note: string | null): string {
  return note ? say('files.status.tryingAgainWithNote', { note: bare(note) }) : say('files.status.tryingAgain');
}

/**
 * "Not sent: The connection dropped." `resumable`: the keys live in this page only, so a reload can't
 * pick the upload up again, but Retry can while it stays open.
 */
function notSent(note: string | null, resumable: boolean): string {
  if (resumable) {
    return note ? say('files.status.notSentWithNoteResumable', { note }) : say('files.status.notSentResumable');
  }
  return note ? say('files.status.notSentWithNote', { note }) : say('files.status.notSent');
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
  const parts = [say('files.progress.doneOfTotal', { done: formatBytes(done), total: formatBytes(total) })];
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
  const kindText = kindLabel(kind);
  const canPreview = previewable(file.mime, file.size);
  const previewUrl = upload?.previewUrl ?? download?.previewUrl ?? null;
  const downloadable = stored && file.fileId !== null && remote !== 'uploading' && remote !== 'gone';
  const uploading = upload !== null && upload.phase !== 'done' && !stored;
  const previewing = download !== null && !download.save && isRunning(download);
  return {
    state,
    kind,
    label: say('files.card.label', { kind: kindText, name: file.name, size: formatBytes(file.size) }),
    kindLabel: kindText,
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
