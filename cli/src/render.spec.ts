import { describe, expect, it } from 'vitest';
import type { ChatItem, PublicUser } from '@onionchat/client';
import { messageJson, messageLine, messageRecord, singleLine } from './render.js';

const members: PublicUser[] = [
  { id: 'u-alice', username: 'alice', publicKeys: '' },
  { id: 'u-bob', username: 'bob', publicKeys: '' },
];

function item(overrides: Partial<ChatItem> = {}): ChatItem {
  return {
    key: '7',
    roomId: 'room-1',
    seq: 7,
    senderId: 'u-bob',
    mine: false,
    state: 'sent',
    text: 'hello',
    file: null,
    unsupportedType: null,
    note: null,
    time: Date.UTC(2026, 11, 4, 6, 30, 5),
    sentAt: Date.UTC(2026, 11, 4, 6, 30, 4),
    messageId: 'm-1',
    ...overrides,
  };
}

describe('message rendering', () => {
  it('has a stable JSON shape, one object per line', () => {
    const json = messageJson(messageRecord(item(), members, 'bob'));
    expect(json).not.toContain('\n');
    expect(JSON.parse(json)).toEqual({
      with: 'bob',
      group: false,
      roomId: 'room-1',
      seq: 7,
      id: 'm-1',
      from: 'bob',
      mine: false,
      time: '2026-12-04T06:30:05.000Z',
      sentAt: '2026-12-04T06:30:04.000Z',
      state: 'sent',
      text: 'hello',
      file: null,
      note: null,
      warning: null,
      delivered: null,
    });
  });

  it('describes files, flags and unverified messages', () => {
    const file = { name: 'a.pdf', mime: 'application/pdf', size: 2048, fileId: 'f-1', key: null, digest: null };
    const record = messageRecord(item({ text: null, file, flag: { kind: 'replayed' } }), members, 'bob');
    expect(record.file).toEqual({ id: 'f-1', name: 'a.pdf', size: 2048, mime: 'application/pdf' });
    expect(record.warning).toBe('replayed');
    expect(messageLine(record)).toBe(
      '2026-12-04 06:30  bob: sent a file “a.pdf” (2.0 KB, id f-1)  [warning: delivered replayed]',
    );
    const unverified = messageRecord(item({ state: 'unverified', text: null, note: 'bad signature' }), members, 'bob');
    expect(messageLine(unverified)).toContain('[UNVERIFIED: bad signature]');
  });

  it('names the group and each sender in a group, and shows a membership change as a line of its own', () => {
    const nameOf = (id: string) => (id === 'u-carol' ? 'carol' : 'someone');
    const record = messageRecord(item({ senderId: 'u-carol', text: 'hi all' }), members, 'Hikers', {
      group: true,
      nameOf,
    });
    expect(record).toMatchObject({ with: 'Hikers', group: true, from: 'carol', text: 'hi all' });
    expect(messageLine(record)).toBe('2026-12-04 06:30  carol: hi all');
    const change = item({
      state: 'notice',
      seq: null,
      messageId: null,
      senderId: 'u-alice',
      text: 'alice added carol',
    });
    const notice = messageRecord(change, members, 'Hikers', { group: true });
    expect(notice).toMatchObject({ state: 'notice', from: 'alice', text: 'alice added carol', group: true });
    expect(messageLine(notice)).toBe('2026-12-04 06:30  — alice added carol');
  });

  it('never lets control characters of a message reach the terminal', () => {
    expect(singleLine('a\nb\u001b[31mred\u0007')).toBe('a ⏎ b�[31mred�');
    expect(messageLine(messageRecord(item({ text: 'x\u001b]0;title\u0007' }), members, 'bob'))).not.toMatch(
      // eslint-disable-next-line no-control-regex
      /[\u001b\u0007]/,
    );
  });
});
