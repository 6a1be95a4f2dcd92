import { useTranslation } from 'react-i18next';
import { formatDuration } from '../../../i18n/format';
import { useLocale } from '../../../i18n/use-locale';

/** The conversation's disappearing timer, small, in its header (nothing while it is off). */
export function TimerMark({ timer }: { timer: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (timer <= 0) return null;
  const label = t('chat.disappearing.mark', { duration: formatDuration(timer, locale) });
  return (
    <span className="timer-mark" data-testid="timer-mark" data-timer={timer} title={label}>
      <span aria-hidden="true">⏱ {formatDuration(timer, locale, 'narrow')}</span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
