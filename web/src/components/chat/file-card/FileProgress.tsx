import { ProgressLine } from './ProgressLine';
import { type DownloadView, type UploadView } from '@onionchat/client';

interface FileProgressProps {
  name: string;
  uploading: boolean;
  upload: UploadView | null;
  /** Being downloaded to be saved (not just for a preview). */
  saving: boolean;
  download: DownloadView | null;
}

/** The progress bars of the card's upload and download, while they run. */
export function FileProgress({ name, uploading, upload, saving, download }: FileProgressProps) {
  return (
    <>
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
    </>
  );
}
