import { useTranslation } from 'react-i18next';
import { ProgressLine } from './ProgressLine';
import { type DownloadView, type UploadView } from '@onionchat/client';

interface FileProgressProps {
  name: string;
  /** The upload is under way and has something to show. */
  showUpload: boolean;
  upload: UploadView | null;
  /** Being downloaded to be saved (not just for a preview). */
  saving: boolean;
  download: DownloadView | null;
}

/** The progress bars of the card's upload and download, while they run. */
export function FileProgress({ name, showUpload, upload, saving, download }: FileProgressProps) {
  const { t } = useTranslation();
  return (
    <>
      {showUpload && upload ? (
        <ProgressLine
          testId="upload-progress"
          label={t('file.uploadOf', { name })}
          progress={upload.progress}
          indeterminate={upload.phase === 'queued'}
        />
      ) : null}
      {saving && download ? (
        <ProgressLine
          testId="download-progress"
          label={t('file.downloadOf', { name })}
          progress={download.progress}
          indeterminate={download.phase === 'verifying'}
        />
      ) : null}
    </>
  );
}
