import { useTranslation } from 'react-i18next';
import { UploadIcon } from '../icons';

/** Covers the conversation while files are dragged over it. */
export function DropOverlay({ name }: { name: string }) {
  const { t } = useTranslation();
  return (
    <div className="drop-zone" data-testid="drop-zone" aria-hidden="true">
      <div className="drop-zone-inner">
        <UploadIcon />
        <p className="drop-zone-title">{t('chat.drop.title', { name })}</p>
        <p className="drop-zone-sub">{t('chat.drop.sub')}</p>
      </div>
    </div>
  );
}
