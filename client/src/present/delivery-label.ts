// How far one of this account's messages got, in words: "Read" or "Delivered" when the
// others said so in signed receipts; otherwise "Sent", or in a group how many of the
// members it was sealed for it reached (the server's word, as "Sent" is).

import type { ChatItem } from '../chat/index.js';

/** The words under a stored message of this account (null for any other item). */
export function deliveryLabel(item: Pick<ChatItem, 'mine' | 'state' | 'deliveredTo' | 'receipts'>): string | null {
  if (!item.mine || item.state !== 'sent') return null;
  const signed = item.receipts ? receiptLabel(item.receipts) : null;
  if (signed) return signed;
  const delivered = item.deliveredTo;
  if (!delivered || delivered.of === 0) return 'Sent';
  if (delivered.count === 0) return `Sent, not yet delivered to any of ${delivered.of}`;
  if (delivered.count === delivered.of) return delivered.of === 1 ? 'Delivered' : `Delivered to all ${delivered.of}`;
  return `Delivered to ${delivered.count} of ${delivered.of}`;
}

/** What the others' signed receipts say, or null when none says anything of this message. */
function receiptLabel({ delivered, read, of }: NonNullable<ChatItem['receipts']>): string | null {
  if (of === 0) return null;
  if (read > 0) return of === 1 ? 'Read' : read === of ? `Read by all ${of}` : `Read by ${read} of ${of}`;
  if (delivered > 0) {
    return of === 1 ? 'Delivered' : delivered === of ? `Delivered to all ${of}` : `Delivered to ${delivered} of ${of}`;
  }
  return null;
}
