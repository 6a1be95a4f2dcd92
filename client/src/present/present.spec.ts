import { describe, expect, it } from 'vitest';
import type { ChatItem } from '../chat/index.js';
import { invitesInOrder, sessionsInOrder } from './account-lists.js';
import { GROUP_MS, messageRows } from './message-rows.js';

const DAY = 24 * 60 * 60_000;
const noon = new Date(2026, 11, 3, 12, 0, 0).getTime();

function item(key: string, senderId: string, time: number, state: ChatItem['state'] = 'sent'): ChatItem {
  return {
    key,
    roomId: 'r',
    seq: null,
    senderId,
    mine: false,
    state,
    text: key,
    file: null,
    unsupportedType: null,
    note: null,
    time,
    messageId: null,
  };
}

describe('messageRows', () => {
  it('groups one sender’s messages close in time and heads each day', () => {
    const rows = messageRows([
      item('a', 'bob', noon),
      item('b', 'bob', noon + GROUP_MS),
      item('c', 'bob', noon + 2 * GROUP_MS + 1),
      item('d', 'alice', noon + 2 * GROUP_MS + 2),
      item('e', 'alice', noon + DAY),
    ]);
    expect(
      rows.map((row) =>
        row.kind !== 'message' ? row.kind : `${row.key}${row.first ? '<' : ''}${row.last ? '>' : ''}`,
      ),
    ).toEqual(['day', 'a<', 'b>', 'c<>', 'd<>', 'day', 'e<>']);
  });

  it('never groups an unverified message with its neighbours', () => {
    const rows = messageRows([
      item('a', 'bob', noon),
      item('b', 'bob', noon + 1, 'unverified'),
      item('c', 'bob', noon + 2),
    ]);
    const marks = rows.filter((row) => row.kind === 'message').map((row) => [row.first, row.last]);
    expect(marks).toEqual([
      [true, true],
      [true, true],
      [true, true],
    ]);
  });
});

describe('account lists', () => {
  it('puts this session first, then the most recently used', () => {
    const at = (iso: string) => ({ id: iso, createdAt: iso, expiresAt: iso, lastSeenAt: iso, current: false });
    const ordered = sessionsInOrder([
      at('2026-01-01T00:00:00Z'),
      { ...at('2025-01-01T00:00:00Z'), current: true },
      at('2026-02-01T00:00:00Z'),
    ]);
    expect(ordered.map((s) => s.id)).toEqual(['2025-01-01T00:00:00Z', '2026-02-01T00:00:00Z', '2026-01-01T00:00:00Z']);
  });

  it('puts the newest invite first', () => {
    const at = (iso: string) => ({ id: iso, createdAt: iso, expiresAt: iso, usedAt: null });
    expect(invitesInOrder([at('2026-01-01T00:00:00Z'), at('2026-03-01T00:00:00Z')]).map((i) => i.id)).toEqual([
      '2026-03-01T00:00:00Z',
      '2026-01-01T00:00:00Z',
    ]);
  });
});
