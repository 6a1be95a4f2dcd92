'use client';

import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { FileActions } from './file-card/FileActions';
import { FilePreview } from './file-card/FilePreview';
import { FileProgress } from './file-card/FileProgress';
import { FileRow } from './file-card/FileRow';
import { FileStatus } from './file-card/FileStatus';
import { fileCardView, type ChatItem, type ChatSession, type FileMeta, type RemoteStatus } from '@onionchat/client';

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

  const view = fileCardView(item, file, upload, download, remote);
  const { autoPreview, watchedFileId: watchedId } = view;

  // Whether the file is still uploading on the server (the client looks again now and
  // then while it is), as long as the card is on screen.
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

  const name = file.name;

  return (
    <div
      ref={root}
      className={`file-card file-card-${view.state}`}
      data-testid="file-card"
      data-state={view.state}
      data-mine={item.mine ? 'true' : 'false'}
      role="group"
      aria-label={view.label}
    >
      <FilePreview
        name={name}
        previewUrl={view.previewUrl}
        imageBroken={imageBroken}
        tampered={view.tampered}
        canPreview={view.canPreview}
        previewing={view.previewing}
        download={download}
        onBroken={() => setImageBroken(true)}
      />

      <FileRow
        kind={view.kind}
        kindLabel={view.kindLabel}
        extension={view.extension}
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
            uploading: view.uploading,
            saving: view.saving,
            previewing: view.previewing,
            downloadFailed: view.downloadFailed,
            tampered: view.tampered,
            downloadable: view.downloadable,
            uploadFailed: view.uploadFailed,
            offerPreview: view.offerPreview,
          }}
        />
      </FileRow>

      <FileProgress
        name={name}
        showUpload={view.showUploadProgress}
        upload={upload}
        saving={view.saving}
        download={download}
      />

      <FileStatus bad={view.state === 'tampered' || view.state === 'failed'} text={view.status} />
    </div>
  );
}
