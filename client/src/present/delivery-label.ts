// How far one of this account's messages got, in words: "Read" or "Delivered" when the
// others said so in signed receipts; otherwise "Sent", or in a group how many of the
// members it was sealed for it reached (the server's word, as "Sent" is).
// `deliveryPhrase` names the sentence for an interface with its own catalogue (the web
// app); `deliveryLabel` is the same sentence in English (the terminal).

import type { ChatItem } from '../chat/index.js';

type Delivered = Pick<ChatItem, 'mine' | 'state' | 'deliveredTo' | 'receipts'>;

/** A delivery sentence as a message key and its values (`n` of `of` members). */
export interface DeliveryPhrase {
  key: DeliveryKey;
  values?: { n?: number; of: number };
}

const ENGLISH = {
  'chat.delivery.sent': () => 'Sent',
  'chat.delivery.sentNoneOf': ({ of }) => `Sent, not yet delivered to any of ${of}`,
  'chat.delivery.delivered': () => 'Delivered',
  'chat.delivery.deliveredAll': ({ of }) => `Delivered to all ${of}`,
  'chat.delivery.deliveredSome': ({ n, of }) => `Delivered to ${n} of ${of}`,
  'chat.delivery.read': () => 'Read',
  'chat.delivery.readAll': ({ of }) => `Read by all ${of}`,
  'chat.delivery.readSome': ({ n, of }) => `Read by ${n} of ${of}`,
} satisfies Record<string, (values: { n?: number; of: number }) => string>;

export type DeliveryKey = keyof typeof ENGLISH;

/** The words under a stored message of this account (null for any other item). */
export function deliveryLabel(item: Delivered): string | null {
  const phrase = deliveryPhrase(item);
  return phrase ? ENGLISH[phrase.key](phrase.values ?? { of: 0 }) : null;
}

/** Which sentence `deliveryLabel` says, for an interface that words it in its own language. */
export function deliveryPhrase(item: Delivered): DeliveryPhrase | null {
  if (!item.mine || item.state !== 'sent') return null;
  const signed = item.receipts ? receiptPhrase(item.receipts) : null;
  if (signed) return signed;
  const delivered = item.deliveredTo;
  if (!delivered || delivered.of === 0) return { key: 'chat.delivery.sent' };
  const { count: n, of } = delivered;
  if (n === 0) return { key: 'chat.delivery.sentNoneOf', values: { of } };
  if (n === of)
    return of === 1 ? { key: 'chat.delivery.delivered' } : { key: 'chat.delivery.deliveredAll', values: { of } };
  return { key: 'chat.delivery.deliveredSome', values: { n, of } };
}

/** What the others' signed receipts say, or null when none says anything of this message. */
function receiptPhrase({ delivered, read, of }: NonNullable<ChatItem['receipts']>): DeliveryPhrase | null {
  if (of === 0) return null;
  if (read > 0) {
    if (of === 1) return { key: 'chat.delivery.read' };
    return read === of
      ? { key: 'chat.delivery.readAll', values: { of } }
      : { key: 'chat.delivery.readSome', values: { n: read, of } };
  }
  if (delivered > 0) {
    if (of === 1) return { key: 'chat.delivery.delivered' };
    return delivered === of
      ? { key: 'chat.delivery.deliveredAll', values: { of } }
      : { key: 'chat.delivery.deliveredSome', values: { n: delivered, of } };
  }
  return null;
}
