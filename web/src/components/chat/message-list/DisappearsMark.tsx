import { formatFull, type ChatItem } from '@onionchat/client';

/** A small mark on a message that will disappear, with when (once it is known: after the server stored it). */
export function DisappearsMark({ item }: { item: ChatItem }) {
  if (item.expiresAt == null && item.ttl == null) return null;
  const label = item.expiresAt != null ? `Disappears ${formatFull(item.expiresAt)}` : 'Disappears';
  return (
    <span className="disappears-mark" data-testid="disappears-mark" title={label}>
      <span aria-hidden="true">⏱</span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
