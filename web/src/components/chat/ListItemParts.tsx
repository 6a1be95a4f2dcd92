// What every entry of the conversation list shows, a direct conversation or a group.
import { formatActivity, formatFull } from '@onionchat/client';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../i18n/use-locale';

/** When the conversation last moved, or nothing before it has. */
export function ActivityTime({ at }: { at: number | null }) {
  const locale = useLocale();
  if (!at) return null;
  return (
    <time className="friend-time" dateTime={new Date(at).toISOString()} title={formatFull(at, locale)}>
      {formatActivity(at, undefined, locale)}
    </time>
  );
}

/** The unread count, read out as "N unread". */
export function UnreadBadge({ count }: { count: number }) {
  const { t } = useTranslation();
  if (count <= 0) return null;
  return (
    <span className="unread-badge">
      <span data-testid="unread">{count}</span>
      <span className="visually-hidden">{t('chat.list.unread')}</span>
    </span>
  );
}
