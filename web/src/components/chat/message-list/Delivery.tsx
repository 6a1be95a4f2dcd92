import { PendingIcon, SentIcon } from '../icons';
import { deliveryLabel, type ChatItem } from '@onionchat/client';

interface DeliveryProps {
  item: ChatItem;
  offline: boolean;
  onRetry: () => void;
}

/** How far one of my messages got: sent, on its way, or not sent (with Retry). */
export function Delivery({ item, offline, onRetry }: DeliveryProps) {
  if (item.state === 'sent') {
    return (
      <span className="delivery delivery-sent" data-testid="delivery">
        <SentIcon />
        {deliveryLabel(item) ?? 'Sent'}
      </span>
    );
  }
  if (item.state === 'pending') {
    return (
      <span className="delivery delivery-pending">
        <PendingIcon />
        {offline
          ? 'Waiting for the connection…'
          : item.note
            ? `Sending again (${item.note.replace(/\.$/, '')})…`
            : 'Sending…'}
      </span>
    );
  }
  if (item.state === 'failed') {
    return (
      <span className="delivery delivery-failed">
        <span>
          <span aria-hidden="true">⚠</span> Not sent{item.note ? `: ${item.note}` : '.'}
        </span>
        <button type="button" className="link-button" onClick={onRetry}>
          Retry
        </button>
      </span>
    );
  }
  return null;
}
