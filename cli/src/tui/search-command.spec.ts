import { describe, expect, it } from 'vitest';
import type { ChatItem, SearchableConversation } from '@onionchat/client';
import { parseInput, runCommand, type TuiActions } from './commands.js';
import { searchPanel } from './search-command.js';

function item(seq: number, text: string, senderId = 'a-id', mine = false): ChatItem {
  return {
    key: `seq:${seq}`,
    roomId: 'r1',
    seq,
    senderId,
    mine,
    state: 'sent',
    text,
    file: null,
    unsupportedType: null,
    note: null,
    time: Date.UTC(2026, 0, 1, 12, seq),
    messageId: `m${seq}`,
  };
}

const members = [
  { id: 'a-id', username: 'alice' },
  { id: 'me-id', username: 'me' },
];

function opened(roomId: string, title: string, items: ChatItem[]): SearchableConversation {
  const state = { items, loaded: true, partial: false, hasOlder: false, room: { members } };
  return { roomId, title, state: state as unknown as SearchableConversation['state'] };
}

describe('/search', () => {
  it('parses the words after it as one query', () => {
    expect(parseInput('/search see you  tomorrow')).toEqual({ kind: 'search', query: 'see you tomorrow' });
    expect(parseInput('/search')).toMatchObject({ kind: 'error' });
  });

  it('lists the matches by conversation, marks them, and names what was not searched', () => {
    const panel = searchPanel(
      [
        opened('r1', 'alice', [item(1, 'Привет из Москвы'), item(2, 'ещё раз привет', 'me-id', true)]),
        { roomId: 'r2', title: 'carol', state: undefined },
      ],
      'ПРИВЕТ',
    );
    expect(panel[0]).toBe('2 messages found in 1 conversation for “ПРИВЕТ”:');
    expect(panel).toContain('alice:');
    expect(panel.some((line) => line.includes('you: ещё раз «привет»'))).toBe(true);
    expect(panel.some((line) => line.includes('alice: «Привет» из Москвы'))).toBe(true);
    expect(panel).toContain('Not searched, because not opened here yet: carol (/open them to search them).');
  });

  it('says when nothing was found, and runs through the command line without an action', async () => {
    const outcome = await runCommand(parseInput('/search 后天见'), {} as TuiActions, {
      roomId: null,
      room: undefined,
      peer: null,
      conversations: [opened('r1', 'alice', [item(1, '我们明天见面吧')])],
    });
    expect(outcome.panel?.[0]).toBe('Nothing found for “后天见”.');
    const found = await runCommand(parseInput('/search 明天见面'), {} as TuiActions, {
      roomId: null,
      room: undefined,
      peer: null,
      conversations: [opened('r1', 'alice', [item(1, '我们明天见面吧')])],
    });
    expect(found.panel?.some((line) => line.includes('alice: 我们«明天见面»吧'))).toBe(true);
  });

  it('refuses a query that is too long with a sentence', async () => {
    const outcome = await runCommand(parseInput(`/search ${'x'.repeat(201)}`), {} as TuiActions, {
      roomId: null,
      room: undefined,
      peer: null,
      conversations: [],
    });
    expect(outcome.error).toBe('Search for at most 200 characters.');
  });
});
