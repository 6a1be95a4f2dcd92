import { describe, expect, it } from 'vitest';
import { deliveryLabel } from './delivery-label.js';

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

  it('says nothing under others’ messages or sends not stored yet', () => {
    expect(deliveryLabel({ mine: false, state: 'sent', deliveredTo: { count: 1, of: 2 } })).toBeNull();
    expect(deliveryLabel({ mine: true, state: 'pending' })).toBeNull();
    expect(deliveryLabel({ mine: true, state: 'failed' })).toBeNull();
  });
});
