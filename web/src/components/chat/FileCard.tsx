'use client';

import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { FileActions } from './file-card/FileActions';
import { FilePreview } from './file-card/FilePreview';
import { FileProgress } from './file-card/FileProgress';
import { FileRow } from './file-card/FileRow';
import { FileStatus } from './file-card/FileStatus';
import {
  type ChatSession,
  AUTO_PREVIEW_MAX_BYTES,
  fileKind,
  formatBytes,
  previewable,
  type FileKind,
  type ChatItem,
  type FileMeta,
  type DownloadView,
  type RemoteStatus,
  type UploadView,
} from '@onionchat/client';

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
      <FilePreview
        name={name}
        previewUrl={previewUrl}
        imageBroken={imageBroken}
        tampered={tampered}
        canPreview={canPreview}
        previewing={previewing}
        download={download}
        onBroken={() => setImageBroken(true)}
      />

      <FileRow
        kind={kind}
        kindLabel={KIND_LABEL[kind]}
        extension={shortExtension(name)}
        name={name}
        size={file.size}
        imageBroken={imageBroken}
      >
        <FileActions
          session={session}
          item={item}
          clientId={clientId}
          upload={upload}
          cardRef={root}
          flags={{
            uploading,
            saving,
            previewing,
            downloadFailed,
            tampered,
            downloadable,
            uploadFailed: state === 'failed' && (upload?.phase === 'failed' || (item.mine && item.state === 'failed')),
            offerPreview: canPreview && !previewUrl && !previewing && file.size > AUTO_PREVIEW_MAX_BYTES,
          }}
        />
      </FileRow>

      <FileProgress name={name} uploading={uploading} upload={upload} saving={saving} download={download} />

      <FileStatus bad={state === 'tampered' || state === 'failed'} text={status} />
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
