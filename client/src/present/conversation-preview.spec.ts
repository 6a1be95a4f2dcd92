import { describe, expect, it } from 'vitest';
import type { ChatItem } from '../chat/index.js';
import { PREVIEW_CHARS, conversationPreview, conversationPreviewPhrase } from './conversation-preview.js';

const ME = 'me';

function last(fields: Partial<ChatItem>): ChatItem {
  return {
    key: 'k',
    roomId: 'r',
    seq: 1,
    senderId: 'bob',
    mine: false,
    state: 'sent',
    text: null,
    file: null,
    unsupportedType: null,
    note: null,
    time: 0,
    messageId: 'm',
    ...fields,
  };
}

const preview = (item: ChatItem | null, loaded = true) => conversationPreview({ last: item, loaded }, ME);

describe('conversationPreview', () => {
  it('nothing while the conversation is not loaded; "No messages yet" once it is and is empty', () => {
    expect(conversationPreview(undefined, ME)).toBe('');
    expect(preview(null, false)).toBe('');
    expect(preview(null, true)).toBe('No messages yet');
  });

  it('an unverified message shows only that it is one', () => {
    expect(preview(last({ state: 'unverified', text: 'forged words' }))).toBe('⚠ Unverified message');
    expect(preview(last({ state: 'unverified', senderId: ME }))).toBe('⚠ Unverified message');
  });

  it('a deleted message says so, never what it said', () => {
    expect(preview(last({ deleted: true }))).toBe('A message was deleted');
    expect(preview(last({ deleted: true, senderId: ME, mine: true }))).toBe('You deleted a message');
  });

  it('a text: "You: " before mine, whitespace collapsed, cut at 120 characters', () => {
    expect(preview(last({ text: 'see you\n\n at   8' }))).toBe('see you at 8');
    expect(preview(last({ text: 'on my way', senderId: ME, mine: true }))).toBe('You: on my way');
    expect(PREVIEW_CHARS).toBe(120);
    const long = 'x'.repeat(200);
    expect(preview(last({ text: long }))).toBe('x'.repeat(120));
    expect(preview(last({ text: long, senderId: ME }))).toBe(`You: ${'x'.repeat(120)}`);
    // Collapsed first, then cut.
    expect(preview(last({ text: `${' '.repeat(50)}${'y'.repeat(150)}` }))).toBe(` ${'y'.repeat(119)}`);
    // An empty text is still a text.
    expect(preview(last({ text: '' }))).toBe('');
  });

  it('a file: who sent it and its name, cut at 120 characters', () => {
    const file = (name: string) => ({ name, mime: 'image/png', size: 1, fileId: 'f', key: null, digest: null });
    expect(preview(last({ file: file('photo.png') }))).toBe('Sent a file: photo.png');
    expect(preview(last({ file: file('photo.png'), senderId: ME }))).toBe('You sent a file: photo.png');
    expect(preview(last({ file: file(`${'n'.repeat(130)}.png`) }))).toBe(`Sent a file: ${'n'.repeat(120)}`);
  });

  it('a message delivered again or at the wrong time says so before its text', () => {
    expect(preview(last({ text: 'Yes, do it', flag: { kind: 'replayed' } }))).toBe('⚠ Delivered again: Yes, do it');
    expect(preview(last({ text: 'ok', flag: { kind: 're-timed', reason: 'behind' } }))).toBe(
      '⚠ Delivered at the wrong time: ok',
    );
  });

  it('a disappearing-timer notice as it reads, without "You: "', () => {
    const text = 'You set disappearing messages to 1 day';
    expect(preview(last({ senderId: ME, mine: true, state: 'notice', text, timer: 86_400 }))).toBe(text);
  });

  it('anything else: "Unsupported message"', () => {
    expect(preview(last({ unsupportedType: 'poll' }))).toBe('Unsupported message');
  });
});

describe('conversationPreviewPhrase', () => {
  const phrase = (item: ChatItem | null, loaded = true) => conversationPreviewPhrase({ last: item, loaded }, ME);

  it('names the line as a key with its values, for an interface in another language', () => {
    expect(conversationPreviewPhrase(undefined, ME)).toBeNull();
    expect(phrase(null)).toEqual({ key: 'chat.preview.empty' });
    expect(phrase(last({ text: 'see  you\nat 8', senderId: ME, mine: true }))).toEqual({
      key: 'chat.preview.textMine',
      values: { text: 'see you at 8' },
    });
    expect(phrase(last({ deleted: true }))).toEqual({ key: 'chat.preview.deleted' });
    expect(phrase(last({ state: 'unverified' }))).toEqual({ key: 'chat.preview.unverified' });
  });

  it('wraps a message delivered again in its warning', () => {
    expect(phrase(last({ text: 'yes', flag: { kind: 'replayed' } as ChatItem['flag'] }))).toEqual({
      key: 'chat.preview.text',
      values: { text: 'yes' },
      flag: 'chat.preview.replayed',
    });
  });
});
