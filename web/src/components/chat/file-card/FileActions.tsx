import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { DownloadIcon } from '../icons';
import { type ChatSession, type ChatItem, type UploadView } from '@onionchat/client';

/** Which buttons the card offers. */
export interface FileActionFlags {
  uploading: boolean;
  saving: boolean;
  previewing: boolean;
  downloadFailed: boolean;
  tampered: boolean;
  downloadable: boolean;
  /** My upload (or the message carrying it) failed and can be tried again. */
  uploadFailed: boolean;
  /** The image is too big to preview by itself, but can be on request. */
  offerPreview: boolean;
}

interface FileActionsProps {
  session: ChatSession;
  item: ChatItem;
  /** The upload's id (my own files only). */
  clientId: string | null;
  upload: UploadView | null;
  /** The card, which keeps focus once the pressed button is gone. */
  cardRef: RefObject<HTMLDivElement | null>;
  flags: FileActionFlags;
}

/** The card's buttons: cancel, retry, preview and download. */
export function FileActions({ session, item, clientId, upload, cardRef, flags }: FileActionsProps) {
  const files = session.files;

  /** After an action its button may be gone: keep focus in the card. */
  const keepFocus = () =>
    requestAnimationFrame(() => {
      const el = cardRef.current;
      const active = document.activeElement;
      if (!el || (active && active !== document.body)) return;
      (
        el.querySelector<HTMLElement>('.file-actions button') ?? el.closest<HTMLElement>('[data-testid=message]')
      )?.focus();
    });

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

  const { t } = useTranslation();
  const { saving, downloadFailed, tampered } = flags;
  return (
    <div className="file-actions">
      {flags.uploading ? (
        <button type="button" className="button small ghost" onClick={onCancelUpload}>
          {t('file.cancel')}
        </button>
      ) : null}
      {saving || flags.previewing || downloadFailed ? (
        <button type="button" className="button small ghost" onClick={onCancelDownload}>
          {t('file.cancel')}
        </button>
      ) : null}
      {flags.uploadFailed ? (
        <button type="button" className="button small" onClick={onRetryUpload}>
          {t('file.retry')}
        </button>
      ) : null}
      {downloadFailed || tampered ? (
        <button type="button" className="button small" onClick={onRetryDownload}>
          {t('file.retry')}
        </button>
      ) : null}
      {flags.downloadable && !saving && !downloadFailed && !tampered ? (
        <>
          {flags.offerPreview ? (
            <button type="button" className="button small ghost" onClick={onPreview}>
              {t('file.showPreview')}
            </button>
          ) : null}
          <button type="button" className="button small file-download" onClick={onDownload}>
            <DownloadIcon />
            {t('file.download')}
          </button>
        </>
      ) : null}
    </div>
  );
}
