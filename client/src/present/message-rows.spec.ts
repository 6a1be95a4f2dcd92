import { describe, expect, it } from 'vitest';
import type { ChatItem } from '../chat/index.js';
import { formatFull, formatTime } from './format.js';
import { deliveryWarning, messageRows, shownTime } from './message-rows.js';

const noon = new Date(2026, 11, 3, 12, 0, 0).getTime();
const HOUR = 60 * 60_000;

function item(key: string, overrides: Partial<ChatItem> = {}): ChatItem {
  return {
    key,
    roomId: 'r',
    seq: 1,
    senderId: 'bob',
    mine: false,
    state: 'sent',
    text: key,
    file: null,
    unsupportedType: null,
    note: null,
    time: noon,
    messageId: null,
    ...overrides,
  };
}

describe('signed send times in the message list', () => {
  it('shows the signed send time, the server’s only when there is none', () => {
    expect(shownTime(item('a', { sentAt: noon - 5_000 }))).toBe(noon - 5_000);
    expect(shownTime(item('b', { sentAt: null, state: 'unverified' }))).toBe(noon);
  });

  it('heads days by the signed time and never groups a flagged message', () => {
    const yesterday = noon - 24 * HOUR;
    const rows = messageRows([
      item('a', { sentAt: yesterday }),
      item('b', { sentAt: noon, time: noon }),
      item('c', { sentAt: noon + 1, flag: { kind: 'replayed' } }),
      item('d', { sentAt: noon + 2 }),
    ]);
    expect(
      rows.map((row) =>
        row.kind !== 'message' ? row.kind : `${row.key}${row.first ? '<' : ''}${row.last ? '>' : ''}`,
      ),
    ).toEqual(['day', 'a<>', 'day', 'b<>', 'c<>', 'd<>']);
  });

  it('warns under a re-timed or replayed message, saying when it was sent and delivered', () => {
    const late = item('a', { sentAt: noon - 3 * HOUR, time: noon, flag: { kind: 're-timed', reason: 'behind' } });
    expect(deliveryWarning(late, 'Bob', noon)).toBe(
      `Sent at ${formatTime(noon - 3 * HOUR)} by Bob’s clock but delivered at ${formatTime(noon)}: the server may have held it back, replayed or re-timed it.`,
    );
    const old = item('b', { sentAt: noon - 48 * HOUR, time: noon, flag: { kind: 're-timed', reason: 'behind' } });
    expect(deliveryWarning(old, 'Bob', noon)).toContain(`on ${formatFull(noon - 48 * HOUR)}`);
    const replayed = item('c', { sentAt: noon - HOUR, flag: { kind: 'replayed' } });
    expect(deliveryWarning(replayed, 'Bob', noon)).toMatch(
      /out of step with what was already received from Bob: the server may have delivered it again \(a replay\)\. It is not shown as new\.$/,
    );
    expect(
      deliveryWarning(item('d', { sentAt: noon, flag: { kind: 're-timed', reason: 'ahead' } }), 'Bob', noon),
    ).toMatch(/later than the server says it arrived/);
    expect(
      deliveryWarning(item('e', { sentAt: noon, flag: { kind: 're-timed', reason: 'before-previous' } }), 'Bob', noon),
    ).toMatch(/earlier than the message Bob sent before it/);
    expect(deliveryWarning(item('f', { sentAt: noon }), 'Bob', noon)).toBeNull();
  });
});

describe('group notices in the message list', () => {
  it('puts a notice on a line of its own that breaks the sender’s group on either side', () => {
    const rows = messageRows([
      item('a', { sentAt: noon }),
      item('n', { sentAt: noon + 1, state: 'notice', senderId: 'alice', text: 'Alice added Carol' }),
      item('b', { sentAt: noon + 2 }),
    ]);
    expect(rows.map((r) => r.kind)).toEqual(['day', 'message', 'notice', 'message']);
    expect(rows[2]).toMatchObject({ kind: 'notice', text: 'Alice added Carol', time: noon + 1 });
    // Bob's two messages are a minute apart, but the notice between them splits them.
    expect(rows[1]).toMatchObject({ first: true, last: true });
    expect(rows[3]).toMatchObject({ first: true, last: true });
  });

  it('heads a day that starts with a notice', () => {
    const rows = messageRows([item('n', { sentAt: noon, state: 'notice', text: 'You created the group' })]);
    expect(rows.map((r) => r.kind)).toEqual(['day', 'notice']);
  });
});
