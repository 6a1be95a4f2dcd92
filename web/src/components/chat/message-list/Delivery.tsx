import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { PendingIcon, SentIcon } from '../icons';
import { deliveryPhrase, type ChatItem } from '@onionchat/client';
import { formatNumber } from '../../../i18n/format';
import { useLocale } from '../../../i18n/use-locale';

interface DeliveryProps {
  item: ChatItem;
  offline: boolean;
  onRetry: () => void;
}

/** How far one of my messages got: sent, on its way, or not sent (with Retry). */
export function Delivery({ item, offline, onRetry }: DeliveryProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (item.state === 'sent') {
    return (
      <span className="delivery delivery-sent" data-testid="delivery">
        <SentIcon />
        {deliveredWords(item, locale, t)}
      </span>
    );
  }
  if (item.state === 'pending') {
    return (
      <span className="delivery delivery-pending">
        <PendingIcon />
        {offline
          ? t('chat.delivery.waiting')
          : item.note
            ? t('chat.delivery.sendingAgain', { reason: item.note.replace(/\.$/, '') })
            : t('chat.delivery.sending')}
      </span>
    );
  }
  if (item.state === 'failed') {
    return (
      <span className="delivery delivery-failed">
        <span>
          <span aria-hidden="true">⚠</span>{' '}
          {item.note ? t('chat.delivery.notSentBecause', { reason: item.note }) : t('chat.delivery.notSent')}
        </span>
        <button type="button" className="link-button" onClick={onRetry}>
          {t('file.retry')}
        </button>
      </span>
    );
  }
  return null;
}

/** The core's delivery sentence in the interface language, numbers in the reader's digits. */
function deliveredWords(item: ChatItem, locale: string, t: TFunction): string {
  const phrase = deliveryPhrase(item) ?? { key: 'chat.delivery.sent' };
  const values = phrase.values;
  if (!values) return t(phrase.key);
  return t(phrase.key, {
    of: formatNumber(values.of, locale),
    n: values.n === undefined ? undefined : formatNumber(values.n, locale),
  });
}
