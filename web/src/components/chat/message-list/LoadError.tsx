import { useTranslation } from 'react-i18next';

/** Loading the messages failed: why, and a way to try again. */
export function LoadError({ error, onRetry }: { error: string | null | undefined; onRetry: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <div className="list-error" role="alert">
      <span>{t('chat.history.loadFailed', { error })}</span>
      <button type="button" className="button small" onClick={onRetry}>
        {t('chat.tryAgain')}
      </button>
    </div>
  );
}
