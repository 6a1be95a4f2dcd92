'use client';

import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { ChatSession } from '../../lib/chat';
import {
  AUTO_PREVIEW_MAX_BYTES,
  fileKind,
  formatBytes,
  formatSpeed,
  formatTimeLeft,
  previewable,
  type FileKind,
} from '../../lib/files';
import type { ChatItem, FileMeta } from '../../lib/messages';
import type { DownloadView, Progress, RemoteStatus, UploadView } from '../../lib/transfers';

/** What the card shows, and what the end-to-end tests read from data-state. */
export type FileCardState = 'uploading' | 'sent' | 'ready' | 'downloading' | 'downloaded' | 'failed' | 'tampered';

export const TAMPERED_TEXT = 'This file was tampered with or damaged; it was not saved.';
/** While a file is still uploading on the server: look again this often. */
const RECHECK_MS = 20_000;

const KIND_LABEL: Record<FileKind, string> = {
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  pdf: 'PDF',
  archive: 'Archive',
  text: 'Text',
  document: 'Document',
  other: 'File',
};

const noUpload = () => null;
const noDownload = () => null;
const unknown = (): RemoteStatus => 'unknown';

interface FileCardProps {
  session: ChatSession;
  item: ChatItem;
  file: FileMeta;
}

export function FileCard({ session, item, file }: FileCardProps) {
  const files = session.files;
  const clientId = item.mine ? item.messageId : null;
  const upload = useSyncExternalStore(files.subscribe, () => (clientId ? files.upload(clientId) : null), noUpload);
  const download = useSyncExternalStore(files.subscribe, () => files.download(item.key), noDownload);
  const remote = useSyncExternalStore(
    files.subscribe,
    () => (file.fileId ? files.remoteStatus(file.fileId) : 'unknown'),
    unknown,
  );
  const root = useRef<HTMLDivElement>(null);
  const [imageBroken, setImageBroken] = useState(false);

  const stored = item.seq !== null && item.state === 'sent';
  const state = cardState(item, stored, upload, download, remote);
  const kind = fileKind(file.mime, file.name);
  const canPreview = previewable(file.mime, file.size);
  const previewUrl = upload?.previewUrl ?? download?.previewUrl ?? null;
  const downloadable = stored && file.fileId !== null && remote !== 'uploading' && remote !== 'gone';
  const autoPreview =
    canPreview && file.size <= AUTO_PREVIEW_MAX_BYTES && downloadable && !previewUrl && download === null;

  // Which of the room's files are still uploading (one request per conversation), and
  // again now and then while this one is (in case its file:ready event was missed).
  useEffect(() => {
    if (!stored || !file.fileId) return;
    files.watchRoom(item.roomId);
    if (remote !== 'uploading') return;
    const timer = setInterval(() => files.watchRoom(item.roomId, RECHECK_MS), RECHECK_MS);
    return () => clearInterval(timer);
  }, [files, stored, file.fileId, item.roomId, remote]);

  /** After an action its button may be gone: keep focus in the card. */
  const keepFocus = () =>
    requestAnimationFrame(() => {
      const el = root.current;
      const active = document.activeElement;
      if (!el || (active && active !== document.body)) return;
      (
        el.querySelector<HTMLElement>('.file-actions button') ?? el.closest<HTMLElement>('[data-testid=message]')
      )?.focus();
    });

  // Small images: preview once the card is on screen.
  useEffect(() => {
    const el = root.current;
    if (!autoPreview || !el) return;
    if (typeof IntersectionObserver === 'undefined') {
      session.previewFile(item, true);
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        session.previewFile(item, true);
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [autoPreview, session, item]);

  const onDownload = () => {
    session.saveFile(item);
    keepFocus();
  };
  const onPreview = () => {
    session.previewFile(item, false);
    keepFocus();
  };
  const onCancelDownload = () => {
    files.cancelDownload(item.key);
    keepFocus();
  };
  const onRetryDownload = () => {
    files.retryDownload(item.key);
    keepFocus();
  };
  const onCancelUpload = () => {
    if (!clientId) return;
    files.cancelUpload(clientId);
    // The card goes away: keep focus somewhere useful.
    document.getElementById('composer')?.focus();
  };
  const onRetryUpload = () => {
    if (!clientId) return;
    if (upload && upload.phase === 'failed') files.retryUpload(clientId);
    else session.retry(item.roomId, clientId);
    keepFocus();
  };

  const uploading = upload !== null && upload.phase !== 'done' && !stored;
  const saving = download !== null && download.save && isRunning(download);
  const previewing = download !== null && !download.save && isRunning(download);
  const downloadFailed = download !== null && download.phase === 'failed';
  const tampered = download !== null && download.phase === 'tampered';

  const status = statusText(state, item, upload, download, remote);
  const name = file.name;

  return (
    <div
      ref={root}
      className={`file-card file-card-${state}`}
      data-testid="file-card"
      data-state={state}
      data-mine={item.mine ? 'true' : 'false'}
      role="group"
      aria-label={`${KIND_LABEL[kind]}: ${name}, ${formatBytes(file.size)}`}
    >
      {previewUrl && !imageBroken && !tampered ? (
        <div className="file-preview">
          <img
            src={previewUrl}
            alt={`Preview of ${name}`}
            data-testid="file-preview"
            decoding="async"
            onError={() => setImageBroken(true)}
          />
        </div>
      ) : canPreview && previewing ? (
        <div className="file-preview file-preview-loading" aria-hidden="true">
          <span className="spinner" />
          <span>
            Decrypting preview…{' '}
            {download ? `${Math.floor((download.progress.done / Math.max(1, download.progress.total)) * 100)}%` : ''}
          </span>
        </div>
      ) : null}

      <div className="file-row">
        <FileIcon kind={kind} extension={shortExtension(name)} />
        <div className="file-info">
          <p className="file-name" data-testid="file-name" title={name}>
            {name}
          </p>
          <p className="file-sub">
            {formatBytes(file.size)} · {KIND_LABEL[kind]}
            {imageBroken ? ' · can’t be shown' : ''}
          </p>
        </div>
        <div className="file-actions">
          {uploading ? (
            <button type="button" className="button small ghost" onClick={onCancelUpload}>
              Cancel
            </button>
          ) : null}
          {saving || previewing || downloadFailed ? (
            <button type="button" className="button small ghost" onClick={onCancelDownload}>
              Cancel
            </button>
          ) : null}
          {state === 'failed' && (upload?.phase === 'failed' || (item.mine && item.state === 'failed')) ? (
            <button type="button" className="button small" onClick={onRetryUpload}>
              Retry
            </button>
          ) : null}
          {downloadFailed || tampered ? (
            <button type="button" className="button small" onClick={onRetryDownload}>
              Retry
            </button>
          ) : null}
          {downloadable && !saving && !downloadFailed && !tampered ? (
            <>
              {canPreview && !previewUrl && !previewing && file.size > AUTO_PREVIEW_MAX_BYTES ? (
                <button type="button" className="button small ghost" onClick={onPreview}>
                  Show preview
                </button>
              ) : null}
              <button type="button" className="button small file-download" onClick={onDownload}>
                <DownloadIcon />
                Download
              </button>
            </>
          ) : null}
        </div>
      </div>

      {uploading && upload && !(upload.phase === 'failed' && upload.progress.done === 0) ? (
        <ProgressLine
          testId="upload-progress"
          label={`Upload of ${name}`}
          progress={upload.progress}
          indeterminate={upload.phase === 'queued'}
        />
      ) : null}
      {saving && download ? (
        <ProgressLine
          testId="download-progress"
          label={`Download of ${name}`}
          progress={download.progress}
          indeterminate={download.phase === 'verifying'}
        />
      ) : null}

      <p
        className={state === 'tampered' || state === 'failed' ? 'file-status file-status-bad' : 'file-status'}
        role="status"
      >
        {state === 'tampered' || state === 'failed' ? (
          <svg
            className="file-status-icon"
            viewBox="0 0 20 20"
            width="15"
            height="15"
            aria-hidden="true"
            focusable="false"
          >
            <path
              d="M10 2.5 18.5 17h-17L10 2.5Z"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.6"
              strokeLinejoin="round"
            />
            <path d="M10 8v4.2M10 14.6v.1" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
        ) : null}
        {status}
      </p>
    </div>
  );
}

/** "BIN" for "random.bin": up to four letters or digits, for the generic icon. */
function shortExtension(name: string): string | null {
  return /\.([a-z0-9]{1,4})$/i.exec(name)?.[1]?.toUpperCase() ?? null;
}

function isRunning(download: DownloadView): boolean {
  return ['queued', 'downloading', 'waiting', 'not-ready', 'verifying'].includes(download.phase);
}

function cardState(
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

function statusText(
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

function ProgressLine({
  testId,
  label,
  progress,
  indeterminate,
}: {
  testId: string;
  label: string;
  progress: Progress;
  indeterminate: boolean;
}) {
  const { done, total, speed, secondsLeft } = progress;
  const percent = total > 0 ? Math.floor((done / total) * 100) : 0;
  const parts = [`${formatBytes(done)} of ${formatBytes(total)}`];
  if (speed !== null && speed > 0 && done < total) parts.push(formatSpeed(speed));
  if (secondsLeft !== null && done < total) parts.push(formatTimeLeft(secondsLeft));
  return (
    <div className="file-progress">
      <progress
        data-testid={testId}
        aria-label={label}
        max={indeterminate ? undefined : Math.max(1, total)}
        value={indeterminate ? undefined : done}
        aria-valuetext={indeterminate ? undefined : `${percent}%`}
      />
      <p className="file-progress-text">
        <span className="file-percent">{indeterminate ? '' : `${percent}%`}</span> {parts.join(' · ')}
      </p>
    </div>
  );
}

function DownloadIcon() {
  return (
    <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        d="M10 3v9m0 0-3.5-3.5M10 12l3.5-3.5M4 15.5h12"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

function FileIcon({ kind, extension }: { kind: FileKind; extension: string | null }) {
  return (
    <span className={`file-icon file-icon-${kind}`} aria-hidden="true">
      <svg viewBox="0 0 32 40" width="32" height="40" focusable="false">
        <path d="M4 2h16l8 8v26a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2Z" className="file-icon-sheet" />
        <path d="M20 2v6a2 2 0 0 0 2 2h6" className="file-icon-fold" />
        {kind === 'image' ? (
          <>
            <circle cx="11" cy="18" r="2.5" className="file-icon-mark" />
            <path d="m6 31 6-7 4 4 3-3 7 6Z" className="file-icon-mark" />
          </>
        ) : kind === 'video' ? (
          <path d="M12 18v12l10-6Z" className="file-icon-mark" />
        ) : kind === 'audio' ? (
          <path d="M13 29a3 3 0 1 1-2-2.8V17l10-2v11a3 3 0 1 1-2-2.8V18l-6 1.2Z" className="file-icon-mark" />
        ) : kind === 'archive' ? (
          <path d="M13 14h3v3h-3Zm3 3h3v3h-3Zm-3 3h3v3h-3Zm3 3h3v3h-3Zm-3 3h6v5h-6Z" className="file-icon-mark" />
        ) : kind === 'pdf' ? (
          <text x="16" y="30" textAnchor="middle" className="file-icon-label">
            PDF
          </text>
        ) : kind === 'text' || kind === 'document' ? (
          <path d="M8 17h16M8 22h16M8 27h16M8 32h10" className="file-icon-lines" />
        ) : extension ? (
          <text x="16" y="30" textAnchor="middle" className="file-icon-label">
            {extension}
          </text>
        ) : null}
      </svg>
    </span>
  );
}
