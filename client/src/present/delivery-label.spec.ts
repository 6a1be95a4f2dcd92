import { describe, expect, it } from 'vitest';
import { deliveryLabel, deliveryPhrase } from './delivery-label.js';

describe('delivery labels', () => {
  it('says Sent without a count, and how many of the members a group message reached', () => {
    expect(deliveryLabel({ mine: true, state: 'sent' })).toBe('Sent');
    expect(deliveryLabel({ mine: true, state: 'sent', deliveredTo: { count: 0, of: 0 } })).toBe('Sent');
    expect(deliveryLabel({ mine: true, state: 'sent', deliveredTo: { count: 0, of: 3 } })).toBe(
      'Sent, not yet delivered to any of 3',
    );
    expect(deliveryLabel({ mine: true, state: 'sent', deliveredTo: { count: 2, of: 3 } })).toBe('Delivered to 2 of 3');
    expect(deliveryLabel({ mine: true, state: 'sent', deliveredTo: { count: 3, of: 3 } })).toBe('Delivered to all 3');
    expect(deliveryLabel({ mine: true, state: 'sent', deliveredTo: { count: 1, of: 1 } })).toBe('Delivered');
  });

  it('says Read or Delivered from signed receipts before the server’s word', () => {
    const receipts = (delivered: number, read: number, of: number) => ({ delivered, read, of });
    expect(deliveryLabel({ mine: true, state: 'sent', receipts: receipts(1, 1, 1) })).toBe('Read');
    expect(deliveryLabel({ mine: true, state: 'sent', receipts: receipts(1, 0, 1) })).toBe('Delivered');
    expect(deliveryLabel({ mine: true, state: 'sent', receipts: receipts(0, 0, 1) })).toBe('Sent');
    expect(deliveryLabel({ mine: true, state: 'sent', receipts: receipts(3, 1, 3) })).toBe('Read by 1 of 3');
    expect(deliveryLabel({ mine: true, state: 'sent', receipts: receipts(3, 3, 3) })).toBe('Read by all 3');
    expect(deliveryLabel({ mine: true, state: 'sent', receipts: receipts(2, 0, 3) })).toBe('Delivered to 2 of 3');
    expect(
      deliveryLabel({ mine: true, state: 'sent', receipts: receipts(0, 0, 3), deliveredTo: { count: 1, of: 3 } }),
    ).toBe('Delivered to 1 of 3');
  });

  it('says nothing under others’ messages or sends not stored yet', () => {
    expect(deliveryLabel({ mine: false, state: 'sent', deliveredTo: { count: 1, of: 2 } })).toBeNull();
    expect(deliveryLabel({ mine: true, state: 'pending' })).toBeNull();
    expect(deliveryLabel({ mine: true, state: 'failed' })).toBeNull();
  });
});

describe('delivery phrases', () => {
  it('names the same sentence as a key with its numbers, for an interface in another language', () => {
    const receipts = (delivered: number, read: number, of: number) => ({ delivered, read, of });
    expect(deliveryPhrase({ mine: true, state: 'sent' })).toEqual({ key: 'chat.delivery.sent' });
    expect(deliveryPhrase({ mine: true, state: 'sent', deliveredTo: { count: 0, of: 3 } })).toEqual({
      key: 'chat.delivery.sentNoneOf',
      values: { of: 3 },
    });
    expect(deliveryPhrase({ mine: true, state: 'sent', deliveredTo: { count: 2, of: 3 } })).toEqual({
      key: 'chat.delivery.deliveredSome',
      values: { n: 2, of: 3 },
    });
    expect(deliveryPhrase({ mine: true, state: 'sent', receipts: receipts(1, 1, 1) })).toEqual({
      key: 'chat.delivery.read',
    });
    expect(deliveryPhrase({ mine: true, state: 'sent', receipts: receipts(3, 3, 3) })).toEqual({
      key: 'chat.delivery.readAll',
      values: { of: 3 },
    });
    expect(deliveryPhrase({ mine: true, state: 'sent', receipts: receipts(3, 1, 3) })).toEqual({
      key: 'chat.delivery.readSome',
      values: { n: 1, of: 3 },
    });
    expect(deliveryPhrase({ mine: false, state: 'sent' })).toBeNull();
  });
});
