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
  KIND_LABEL,
  cardState,
  fileKind,
  formatBytes,
  isRunning,
  previewable,
  shortExtension,
  statusText,
  type ChatItem,
  type FileMeta,
  type RemoteStatus,
} from '@onionchat/client';

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

  // Whether the file is still uploading on the server (the client looks again now and
  // then while it is), as long as the card is on screen.
  const watchedId = stored ? file.fileId : null;
  useEffect(() => (watchedId ? files.watchFile(item.roomId, watchedId) : undefined), [files, item.roomId, watchedId]);

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
