// How far one of this account's messages got, in words: "Sent", or in a group how many
// of the members it was sealed for it reached (the server's word, as "Sent" is).

import type { ChatItem } from '../chat/index.js';

/** The words under a stored message of this account (null for any other item). */
export function deliveryLabel(item: Pick<ChatItem, 'mine' | 'state' | 'deliveredTo'>): string | null {
  if (!item.mine || item.state !== 'sent') return null;
  const delivered = item.deliveredTo;
  if (!delivered || delivered.of === 0) return 'Sent';
  if (delivered.count === 0) return `Sent, not yet delivered to any of ${delivered.of}`;
  if (delivered.count === delivered.of) return delivered.of === 1 ? 'Delivered' : `Delivered to all ${delivered.of}`;
  return `Delivered to ${delivered.count} of ${delivered.of}`;
}
