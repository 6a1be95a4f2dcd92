import { describe, expect, it } from 'vitest';
import type { ChatItem } from '../chat/items.js';
import { findMatches, foldQuery } from './fold.js';
import {
  MAX_QUERY_CHARS,
  MAX_SEARCH_RESULTS,
  SearchQueryError,
  searchConversations,
  type SearchableConversation,
} from './search-messages.js';
import { SNIPPET_RADIUS, snippetAround } from './snippet.js';

let nextSeq = 1;
function item(text: string | null, patch: Partial<ChatItem> = {}): ChatItem {
  const seq = nextSeq++;
  return {
    key: `seq:${seq}`,
    roomId: 'r',
    seq,
    senderId: 'them',
    mine: false,
    state: 'sent',
    text,
    file: null,
    unsupportedType: null,
    note: null,
    time: seq * 1000,
    messageId: `m${seq}`,
    ...patch,
  };
}

function conversation(roomId: string, items: ChatItem[], flags: Partial<SearchableConversation['state']> = {}) {
  return { roomId, title: `t-${roomId}`, state: { items, loaded: true, partial: false, hasOlder: false, ...flags } };
}

/** The highlighted parts of every hit, as the view would show them. */
function highlighted(results: ReturnType<typeof searchConversations>): string[] {
  return results.conversations.flatMap((c) =>
    c.hits.flatMap((hit) => hit.snippet.ranges.map(([from, to]) => hit.snippet.text.slice(from, to))),
  );
}

describe('folding', () => {
  it('ignores case and accents, in Latin, Cyrillic and Greek', () => {
    expect(findMatches('Crème Brûlée à Zürich', foldQuery('creme brulee'))).toEqual([[0, 12]]);
    expect(findMatches('Ещё раз ПРИВЕТ', foldQuery('еще'))).toEqual([[0, 3]]);
    expect(findMatches('Ещё раз ПРИВЕТ', foldQuery('привет'))).toEqual([[8, 14]]);
    expect(findMatches('Καλημέρα', foldQuery('ΚΑΛΗΜΕΡΑ'))).toEqual([[0, 8]]);
  });

  it('keeps Russian й a letter of its own', () => {
    expect(findMatches('мой', foldQuery('мои'))).toEqual([]);
    expect(findMatches('МОЙ', foldQuery('мой'))).toEqual([[0, 3]]);
  });

  it('finds Persian and Arabic with or without vowel marks, joiners and letter variants', () => {
    // Arabic yeh and kaf typed on an Arabic keyboard find the Persian letters, and back.
    expect(findMatches('کتاب‌های من', foldQuery('كتابهاي'))).toEqual([[0, 8]]);
    expect(findMatches('مُحَمَّد', foldQuery('محمد'))).toEqual([[0, 8]]);
    expect(findMatches('أحمد و إسلام', foldQuery('احمد'))).toEqual([[0, 4]]);
    expect(findMatches('سلام دنیا', foldQuery('دنیا'))).toEqual([[5, 9]]);
    expect(findMatches('ساعت ۱۰ صبح', foldQuery('10'))).toEqual([[5, 7]]);
  });

  it('finds Chinese and Japanese inside a run with no spaces', () => {
    expect(findMatches('我们明天下午三点见面吧', foldQuery('三点见面'))).toEqual([[6, 10]]);
    expect(findMatches('東京タワーへ行く', foldQuery('タワー'))).toEqual([[2, 5]]);
  });

  it('maps matches back past characters that fold to more or fewer units', () => {
    const text = 'ﬁnd the 😀 Straße';
    const [[from, to]] = findMatches(text, foldQuery('the 😀 stra')) as [[number, number]];
    expect(text.slice(from, to)).toBe('the 😀 Stra');
    expect(findMatches('ﬁnd', foldQuery('fi'))).toEqual([[0, 1]]);
  });

  it('treats any run of whitespace as one space', () => {
    expect(findMatches('see\n\n you  soon', foldQuery('  see you soon '))).toEqual([[0, 15]]);
  });

  it('finds every occurrence', () => {
    expect(findMatches('ab AB aB', foldQuery('ab'))).toEqual([
      [0, 2],
      [3, 5],
      [6, 8],
    ]);
    expect(findMatches('anything', '')).toEqual([]);
  });
});

describe('snippets', () => {
  it('keeps a short text whole', () => {
    expect(snippetAround('hello there', [[6, 11]])).toEqual({ text: 'hello there', ranges: [[6, 11]] });
  });

  it('cuts a long text around the first match, with ellipses, and moves the ranges with it', () => {
    const text = `${'a'.repeat(300)} needle ${'b'.repeat(300)} needle`;
    const ranges = findMatches(text, 'needle');
    const snippet = snippetAround(text, ranges);
    expect(snippet.text.startsWith('…')).toBe(true);
    expect(snippet.text.endsWith('…')).toBe(true);
    expect([...snippet.text].length).toBeLessThanOrEqual(SNIPPET_RADIUS * 2 + 'needle'.length + 2);
    // The second match is outside the snippet: only the first is highlighted.
    expect(snippet.ranges).toHaveLength(1);
    const [[from, to]] = snippet.ranges as [[number, number]];
    expect(snippet.text.slice(from, to)).toBe('needle');
  });

  it('never cuts a character made of two code units in half', () => {
    const text = `${'😀'.repeat(100)}x${'😀'.repeat(100)}`;
    const snippet = snippetAround(text, findMatches(text, 'x'));
    expect(snippet.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u);
    expect(snippet.text).toContain('x');
  });
});

describe('searching conversations', () => {
  it('groups hits by conversation, newest first, and finds file names', () => {
    const a1 = item('Meeting at the café');
    const b1 = item(null, {
      file: { name: 'cafe-menu.pdf', mime: 'application/pdf', size: 1, fileId: 'f', key: null, digest: null },
    });
    const a2 = item('CAFE again?', { mine: true, senderId: 'me' });
    const results = searchConversations([conversation('a', [a1, a2]), conversation('b', [b1])], 'Cafe');
    expect(results.conversations.map((c) => [c.roomId, c.hits.map((h) => [h.key, h.field])])).toEqual([
      [
        'a',
        [
          [a2.key, 'text'],
          [a1.key, 'text'],
        ],
      ],
      ['b', [[b1.key, 'file']]],
    ]);
    expect(highlighted(results)).toEqual(['CAFE', 'café', 'cafe']);
    expect(results.count).toBe(3);
    expect(results.truncated).toBe(false);
  });

  it('skips notices, timer changes and messages that failed their checks', () => {
    const items = [
      item('alice added carol', { state: 'notice' }),
      item('carol set disappearing messages', { timer: 3600 }),
      item('carol says hi', { state: 'unverified' }),
      item('hello carol'),
    ];
    const results = searchConversations([conversation('a', items)], 'carol');
    expect(highlighted(results)).toEqual(['carol']);
    expect(results.conversations[0]!.hits[0]!.key).toBe(items[3]!.key);
  });

  it('searches this client own sends not stored yet', () => {
    const pending = item('still on its way', { seq: null, state: 'pending', mine: true, key: 'id:x' });
    expect(searchConversations([conversation('a', [pending])], 'its way').count).toBe(1);
  });

  it('names the conversations it could not search fully', () => {
    const results = searchConversations(
      [
        conversation('opened', [item('x')]),
        { roomId: 'never', title: 'bob', state: undefined },
        conversation('list-only', [item('latest only')], { partial: true }),
        conversation('long', [item('recent')], { hasOlder: true }),
      ],
      'latest',
    );
    expect(results.unopened).toEqual([
      { roomId: 'never', title: 'bob' },
      { roomId: 'list-only', title: 't-list-only' },
    ]);
    expect(results.olderNotLoaded).toEqual([{ roomId: 'long', title: 't-long' }]);
    // What a conversation not opened holds (its newest message) is searched all the same.
    expect(results.conversations.map((c) => c.roomId)).toEqual(['list-only']);
  });

  it('lists at most MAX_SEARCH_RESULTS, the newest, and says there were more', () => {
    const items = Array.from({ length: MAX_SEARCH_RESULTS + 5 }, (_, i) => item(`match ${i}`));
    const results = searchConversations([conversation('a', items)], 'match');
    expect(results.count).toBe(MAX_SEARCH_RESULTS);
    expect(results.truncated).toBe(true);
    expect(results.conversations[0]!.hits[0]!.key).toBe(items[items.length - 1]!.key);
  });

  it('finds nothing for an empty query and refuses one that is too long', () => {
    expect(searchConversations([conversation('a', [item('anything')])], '   ').count).toBe(0);
    expect(() => searchConversations([], 'x'.repeat(MAX_QUERY_CHARS + 1))).toThrow(SearchQueryError);
    expect(() => searchConversations([], 'x'.repeat(MAX_QUERY_CHARS))).not.toThrow();
  });
});
