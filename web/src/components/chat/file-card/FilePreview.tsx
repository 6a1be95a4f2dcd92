import { decryptingPreviewText, percentDone, type DownloadView } from '@onionchat/client';
import { useTranslation } from 'react-i18next';

interface FilePreviewProps {
  name: string;
  previewUrl: string | null;
  imageBroken: boolean;
  tampered: boolean;
  /** The file is an image that can be previewed. */
  canPreview: boolean;
  /** Its preview is being fetched and decrypted. */
  previewing: boolean;
  download: DownloadView | null;
  /** The browser could not show the image. */
  onBroken: () => void;
}

/** The picture on top of an image's card, or how far its decryption got. */
export function FilePreview(props: FilePreviewProps) {
  const { name, previewUrl, download } = props;
  const { t } = useTranslation();
  if (previewUrl && !props.imageBroken && !props.tampered) {
    return (
      <div className="file-preview">
        <img
          src={previewUrl}
          alt={t('file.previewOf', { name })}
          data-testid="file-preview"
          decoding="async"
          onError={props.onBroken}
        />
      </div>
    );
  }
  if (!(props.canPreview && props.previewing)) return null;
  return (
    <div className="file-preview file-preview-loading" aria-hidden="true">
      <span className="spinner" />
      <span>{decryptingPreviewText(download ? percentDone(download.progress) : '')}</span>
    </div>
  );
}
