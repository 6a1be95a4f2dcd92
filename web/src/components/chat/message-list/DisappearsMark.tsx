import { useTranslation } from 'react-i18next';
import { formatFull, type ChatItem } from '@onionchat/client';
import { useLocale } from '../../../i18n/use-locale';

/** A small mark on a message that will disappear, with when (once it is known: after the server stored it). */
export function DisappearsMark({ item }: { item: ChatItem }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (item.expiresAt == null && item.ttl == null) return null;
  const label =
    item.expiresAt != null
      ? t('chat.message.disappearsAt', { when: formatFull(item.expiresAt, locale) })
      : t('chat.message.disappears');
  return (
    <span className="disappears-mark" data-testid="disappears-mark" title={label}>
      <span aria-hidden="true">⏱</span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
