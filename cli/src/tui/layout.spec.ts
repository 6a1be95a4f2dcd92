import type { ChatItem, UploadView } from '@onionchat/client';
import { describe, expect, it } from 'vitest';
import { historyLines, type FileLookup } from './conversation-view.js';
import {
  friend,
  groupMember,
  groupRoom,
  groupView,
  item,
  ME,
  NOON,
  notice,
  roomState,
  snapshot,
  withUnread,
} from '../test-support/tui-fixtures.js';
import { layout, type LayoutInput } from './layout.js';
import { lineText } from './lines.js';
import { cleanText, textWidth, wrap } from './text.js';
import { initialUiState, type UiState } from './ui-state.js';

const bob = friend('bob');
const carol = friend('carol');

function screenText(input: Partial<LayoutInput> & Pick<LayoutInput, 'snapshot'>, ui: Partial<UiState> = {}) {
  const result = layout({ width: 100, height: 30, me: ME, now: NOON, ui: { ...initialUiState(), ...ui }, ...input });
  return { result, text: result.lines.map(lineText) };
}

function mine(overrides: Partial<ChatItem>): ChatItem {
  return item({ roomId: bob.roomId, mine: true, senderId: ME.id, ...overrides });
}

describe('layout', () => {
  it('lists conversations, most recent first, with their unread counts', () => {
    const bobRoom = withUnread(
      roomState(bob, [item({ roomId: bob.roomId, text: 'hi alice', time: NOON + 60_000 })]),
      3,
    );
    const carolRoom = roomState(carol, [item({ roomId: carol.roomId, senderId: carol.user.id, time: NOON - 60_000 })]);
    const { text } = screenText({ snapshot: snapshot([carol, bob], [carolRoom, bobRoom]) });
    const bobLine = text.findIndex((value) => value.includes('bob'));
    const carolLine = text.findIndex((value) => value.includes('carol'));
    expect(bobLine).toBeGreaterThan(0);
    expect(bobLine).toBeLessThan(carolLine);
    expect(text[bobLine]).toMatch(/bob.*\(3\)/);
    expect(text[carolLine]).not.toMatch(/\(\d+\)/);
    // The preview line under the name comes from the core's conversationPreview.
    expect(text[bobLine + 1]).toContain('hi alice');
    // The top bar adds them up.
    expect(text[0]).toContain('3 unread');
  });

  it('draws exactly height lines of exactly width columns, wide or narrow', () => {
    const long = 'word '.repeat(80) + '漢字かな交じり文'.repeat(10);
    const room = roomState(bob, [
      item({ roomId: bob.roomId, text: long }),
      mine({ state: 'failed', note: 'Timed out' }),
    ]);
    for (const [width, height] of [
      [120, 40],
      [60, 20],
      [40, 10],
    ] as const) {
      const { result } = screenText(
        { snapshot: snapshot([bob], [room]), width, height },
        { selectedRoomId: bob.roomId, focus: 'conversation' },
      );
      expect(result.lines).toHaveLength(height);
      for (const value of result.lines) expect(textWidth(lineText(value))).toBe(width);
    }
  });

  it('shows the delivery state of each of my messages', () => {
    const items = [
      mine({ text: 'first', time: NOON, sentAt: NOON }),
      mine({ text: 'going', state: 'pending', seq: null, time: NOON + 10 * 60_000, sentAt: null }),
      mine({
        text: 'broken',
        state: 'failed',
        seq: null,
        note: 'The server refused it',
        time: NOON + 20 * 60_000,
        sentAt: null,
      }),
    ];
    const room = roomState(bob, items);
    const online = historyLines(room, 60, { peerName: 'bob', offline: false, files: noFiles() }).map(lineText);
    expect(online.join('\n')).toMatch(/first\n\s+✓ Sent/);
    expect(online.join('\n')).toMatch(/going\n\s+… Sending…/);
    expect(online.join('\n')).toMatch(/broken\n\s+⚠ Not sent: The server refused it\. Type \/retry/);
    const offline = historyLines(room, 60, { peerName: 'bob', offline: true, files: noFiles() }).map(lineText);
    expect(offline.join('\n')).toContain('Waiting for the connection…');
  });

  it('warns of a changed key and says sending is paused', () => {
    const room = roomState(bob, [item({ roomId: bob.roomId })], {
      trust: { state: 'changed', username: 'bob', presented: null },
      sendBlocked: 'bob’s safety number has changed: review it before sending.',
    });
    const { text } = screenText(
      { snapshot: snapshot([bob], [room]) },
      { selectedRoomId: bob.roomId, focus: 'conversation' },
    );
    const all = text.join('\n');
    expect(all).toContain('⚠ Safety number changed');
    expect(all).toContain('bob’s safety number has changed.');
    expect(all).toContain('/verify');
    expect(text[text.length - 1]).toContain('Sending is paused');
    // The list marks the conversation too.
    expect(text.find((value) => value.includes('bob'))).toContain('⚠');
  });

  it('shows verified and unverified state in the header', () => {
    const verified = roomState(bob, [], { trust: { state: 'verified', username: 'bob', presented: null } });
    expect(
      screenText({ snapshot: snapshot([bob], [verified]) }, { selectedRoomId: bob.roomId }).text.join('\n'),
    ).toContain('✓ Verified');
    const unverified = roomState(bob, []);
    const text = screenText({ snapshot: snapshot([bob], [unverified]) }, { selectedRoomId: bob.roomId }).text.join(
      '\n',
    );
    expect(text).toContain('Not verified');
    expect(text).not.toContain('Sending is paused');
    expect(text).toContain('No messages yet. Say hello to bob.');
  });

  it('shows the disappearing timer in the header while it is on, and its notice in the history', () => {
    const notice = item({
      roomId: bob.roomId,
      text: 'bob set disappearing messages to 1 day',
      state: 'notice',
      timer: 86_400,
    });
    const timed = roomState(bob, [notice], { timer: 86_400 });
    const text = screenText({ snapshot: snapshot([bob], [timed]) }, { selectedRoomId: bob.roomId }).text.join('\n');
    expect(text).toContain('disappearing 1d · Not verified');
    expect(text).toContain('bob set disappearing messages to 1 day');
    const off = roomState(bob, [], { timer: 0 });
    expect(
      screenText({ snapshot: snapshot([bob], [off]) }, { selectedRoomId: bob.roomId }).text.join('\n'),
    ).not.toContain('disappearing');
  });

  it('shows flagged and unverified messages as the core marks them', () => {
    const replayed = item({
      roomId: bob.roomId,
      text: 'old news',
      flag: { kind: 'replayed' },
      sentAt: NOON - 3_600_000,
    });
    const forged = item({ roomId: bob.roomId, state: 'unverified', text: null, note: 'bad signature' });
    const room = roomState(bob, [replayed, forged], {
      notices: new Map([[forged.key, '2 messages from bob are missing.']]),
    });
    const text = historyLines(room, 80, { peerName: 'bob', offline: false, files: noFiles(), now: NOON })
      .map(lineText)
      .join(' ');
    expect(text).toContain('old news');
    expect(text).toMatch(/⚠ Sent at .* by bob’s clock, and out of step/);
    expect(text).toContain('(a replay)');
    expect(text).toContain('⚠ This message could not be verified and is hidden. Reason: bad signature.');
    expect(text).toContain('⚠ 2 messages from bob are missing.');
  });

  it('wraps long lines to the width and keeps every word', () => {
    const text = 'The quick brown fox jumps over the lazy dog '.repeat(5).trim();
    const room = roomState(bob, [item({ roomId: bob.roomId, text })]);
    const lines = historyLines(room, 30, { peerName: 'bob', offline: false, files: noFiles() }).map(lineText);
    const body = lines.filter((value) => value.startsWith('  '));
    expect(body.length).toBeGreaterThan(5);
    for (const value of lines) expect(textWidth(value)).toBeLessThanOrEqual(30);
    expect(body.map((value) => value.trim()).join(' ')).toBe(text);
  });

  it('at 60 columns shows one pane at a time', () => {
    const room = roomState(bob, [
      item({ roomId: bob.roomId, text: 'only in the conversation' }),
      item({ roomId: bob.roomId, text: 'the newest' }),
    ]);
    const snap = snapshot([bob], [room]);
    const list = screenText({ snapshot: snap, width: 60, height: 20 }, { selectedRoomId: bob.roomId, focus: 'list' });
    expect(list.result.panes).toEqual({ list: true, conversation: false });
    expect(list.text.join('\n')).not.toContain('only in the conversation');
    const conv = screenText(
      { snapshot: snap, width: 60, height: 20 },
      { selectedRoomId: bob.roomId, focus: 'conversation' },
    );
    expect(conv.result.panes).toEqual({ list: false, conversation: true });
    expect(conv.text.join('\n')).toContain('only in the conversation');
    const wide = screenText({ snapshot: snap, width: 100, height: 20 }, { selectedRoomId: bob.roomId, focus: 'list' });
    expect(wide.result.panes).toEqual({ list: true, conversation: true });
  });

  it('scrolls back through the history and says what is below', () => {
    const items = Array.from({ length: 40 }, (_, index) => item({ roomId: bob.roomId, text: `line ${index}` }));
    const room = roomState(bob, items, { hasOlder: true });
    const snap = snapshot([bob], [room]);
    const bottom = screenText({ snapshot: snap, height: 20 }, { selectedRoomId: bob.roomId });
    expect(bottom.text.join('\n')).toContain('line 39');
    expect(bottom.result.historyLines).toBeGreaterThan(bottom.result.historyHeight);
    const back = screenText({ snapshot: snap, height: 20 }, { selectedRoomId: bob.roomId, scroll: 1000 });
    expect(back.result.scroll).toBe(back.result.historyLines - back.result.historyHeight);
    expect(back.text.join('\n')).toContain('↑ Older messages: PgUp or /older');
    expect(back.text.join('\n')).not.toMatch(/│ {2}line 39/);
    expect(back.text.join('\n')).toMatch(/↓ \d+ more lines below/);
  });

  it('shows a file upload with progress, speed and time left', () => {
    const file = { name: 'holiday.jpg', mime: 'image/jpeg', size: 5_000_000, fileId: null, key: null, digest: null };
    const uploading = mine({ text: null, file, state: 'pending', seq: null, messageId: 'c-1' });
    const upload: UploadView = {
      phase: 'uploading',
      progress: { done: 1_000_000, total: 5_000_000, speed: 800_000, secondsLeft: 5 },
      note: null,
      resumable: true,
      previewUrl: null,
    };
    const files: FileLookup = { ...noFiles(), upload: (id) => (id === 'c-1' ? upload : null) };
    const text = historyLines(roomState(bob, [uploading]), 80, { peerName: 'bob', offline: false, files })
      .map(lineText)
      .join('\n');
    expect(text).toContain('[file 1] Image: holiday.jpg');
    expect(text).toContain('Uploading…');
    expect(text).toMatch(/\[#{4}\.{16}\] 20% · .* of .* · .*\/s · .*5.*left/);
  });

  it('offers a received file for download by its number', () => {
    const file = {
      name: 'notes.pdf',
      mime: 'application/pdf',
      size: 2048,
      fileId: 'f1',
      key: new Uint8Array(32),
      digest: new Uint8Array(32),
    };
    const received = item({ roomId: bob.roomId, text: null, file });
    const text = historyLines(roomState(bob, [received]), 80, { peerName: 'bob', offline: false, files: noFiles() })
      .map(lineText)
      .join('\n');
    expect(text).toContain('[file 1] PDF: notes.pdf');
    expect(text).toContain('/save 1 [FOLDER]');
  });
});

describe('groups', () => {
  const members = [groupMember(ME.username, { role: 'admin' }), groupMember('bob'), groupMember('carol')];
  const view = groupView('Hikers', members);
  const history = [
    notice('r-hikers', 'You created the group', { time: NOON, sentAt: NOON }),
    item({ roomId: 'r-hikers', senderId: 'u-bob', text: 'hi all', time: NOON + 1000, sentAt: NOON + 1000 }),
    item({ roomId: 'r-hikers', senderId: 'u-carol', text: 'hello from carol', time: NOON + 2000, sentAt: NOON + 2000 }),
    notice('r-hikers', 'You removed carol; a new key is in use', { time: NOON + 3000, sentAt: NOON + 3000 }),
  ];
  const open = { selectedRoomId: 'r-hikers', focus: 'conversation' as const };

  it('lists a group among the friends, marked, with its unread count and who wrote last', () => {
    const bobRoom = roomState(bob, [item({ roomId: bob.roomId, text: 'older', time: NOON - 60_000 })]);
    const hikers = withUnread(groupRoom('r-hikers', view, history.slice(0, 3)), 2);
    const { text, result } = screenText({ snapshot: snapshot([bob], [bobRoom, hikers]) });
    expect(result.roomIds).toEqual(['r-hikers', bob.roomId]);
    const at = text.findIndex((value) => value.includes('# Hikers'));
    expect(at).toBeGreaterThan(0);
    expect(text[at]).toMatch(/# Hikers +\(2\)/);
    expect(text[at + 1]).toContain('carol: hello from carol');
    expect(text.findIndex((value) => value.includes('bob') && !value.includes('#'))).toBeGreaterThan(at);
  });

  it('shows each message under its sender’s name, and membership changes as centred notices', () => {
    const hikers = groupRoom('r-hikers', view, history);
    const { text } = screenText({ snapshot: snapshot([bob], [hikers]) }, open);
    const all = text.join('\n');
    expect(all).toMatch(/Hikers +Group · 3 members · you are an admin/);
    expect(all).toMatch(/│bob {2}\d+:\d\d[^\n]*\n[^\n]*│ {2}hi all/);
    expect(all).toMatch(/│carol {2}\d+:\d\d[^\n]*\n[^\n]*│ {2}hello from carol/);
    const lines = historyLines(hikers, 60, {
      peerName: 'Hikers',
      offline: false,
      files: noFiles(),
      senderName: (id) => (id === 'u-bob' ? 'bob' : 'carol'),
    }).map(lineText);
    const removed = lines.find((value) => value.includes('You removed carol; a new key is in use'))!;
    expect(removed).toMatch(/^ {5,}You removed carol; a new key is in use · \d+:\d\d( [AP]M)?$/);
    const left = removed.length - removed.trimStart().length;
    expect(Math.abs(left - (60 - removed.trim().length) / 2)).toBeLessThanOrEqual(1);
    const created = lines.find((value) => value.includes('You created the group'))!;
    expect(created.trimStart()).toMatch(/^You created the group/);
  });

  it('shows the group’s warnings at the top, a member whose keys do not match among them', () => {
    const warned = groupView(
      'Hikers',
      [...members.slice(0, 2), groupMember('carol', { check: 'mismatch', label: 'keys do not match the group’s' })],
      {
        warning: 'The server handed out a change to this group that does not check out.',
        nameWarning: 'The group’s name could not be read.',
      },
    );
    const hikers = groupRoom('r-hikers', warned, history, { sendBlocked: warned.warning });
    const { text } = screenText({ snapshot: snapshot([bob], [hikers]) }, open);
    const all = text.join('\n');
    const at = (needle: string) => all.indexOf(needle);
    expect(at('⚠ The server handed out a change')).toBeGreaterThan(0);
    expect(at('⚠ carol: keys do not match the group’s. /members')).toBeGreaterThan(at('⚠ The server handed out'));
    expect(at('⚠ The group’s name could not be read.')).toBeGreaterThan(0);
    // Said once, not again as why sending is paused.
    expect(all.split('The server handed out a change').length).toBe(2);
    expect(text.at(-1)).toContain('Sending is paused here (see above). /members');
    expect(text.find((value) => value.includes('# Hikers'))).toContain('⚠');
  });

  it('says clearly when this account is no longer in the group', () => {
    const gone = groupRoom('r-hikers', { ...view, gone: true, myRole: null }, history, {
      sendBlocked: 'You are no longer a member of this group.',
    });
    const { text } = screenText({ snapshot: snapshot([bob], [gone]) }, open);
    const all = text.join('\n');
    expect(all).toMatch(/Hikers +Group · you are no longer in it/);
    expect(all).toContain('⚠ You are no longer in this group: nothing can be sent to it');
    expect(all).toContain('/leave removes it from your list.');
    expect(text.find((value) => value.includes('# Hikers'))).toContain('⚠');
    expect(all).toMatch(/^ {2}⚠ You are no longer in this/m);
    expect(text.at(-1)).toContain('You are no longer in this group. /leave removes it from your list');
  });

  it('draws a yes-or-no question as typed', () => {
    const hikers = groupRoom('r-hikers', view, history);
    const asking = { ...open, prompt: 'Leave “Hikers”? (y/N)', promptShown: true };
    expect(screenText({ snapshot: snapshot([bob], [hikers]) }, asking).text.at(-1)).toMatch(
      /^Leave “Hikers”\? \(y\/N\) y and Enter: yes · Enter or Esc: no/,
    );
    const typed = screenText({ snapshot: snapshot([bob], [hikers]) }, { ...asking, input: 'yes', cursor: 3 });
    expect(typed.text.at(-1)).toMatch(/^Leave “Hikers”\? \(y\/N\) yes *$/);
  });
});

describe('input line', () => {
  it('keeps the cursor in view in a long line, quickly', () => {
    const input = 'x'.repeat(50_000) + '漢字';
    const started = Date.now();
    const { result, text } = screenText(
      { snapshot: snapshot([bob], [roomState(bob, [])]), width: 60, height: 10 },
      { input, cursor: [...input].length },
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(text[text.length - 1]).toMatch(/^> x+漢字 *$/);
    expect(result.cursor).toEqual({ x: textWidth(text[text.length - 1]!.trimEnd()), y: 9 });
  });

  it('says when sending is paused in the open conversation', () => {
    const room = roomState(bob, [], { sendBlocked: 'Paused.' });
    const { text } = screenText({ snapshot: snapshot([bob], [room]) }, { selectedRoomId: bob.roomId });
    expect(text[text.length - 1]).toContain('Sending is paused here. /safety, /verify, /trust');
  });

  it('draws what is typed at a prompt as dots only, however long, keeping the cursor in view', () => {
    const typed = 'wide 漢字 and a very long passphrase '.repeat(4);
    for (const width of [100, 40]) {
      const { result, text } = screenText(
        { snapshot: snapshot([bob], []), width },
        { prompt: 'New passphrase:', input: typed, cursor: [...typed].length },
      );
      const last = text[text.length - 1]!;
      expect(last.startsWith('New passphrase: ')).toBe(true);
      expect(last.slice('New passphrase: '.length)).toMatch(/^•+ *$/);
      expect(textWidth(last)).toBe(width);
      expect(result.cursor.x).toBeLessThan(width);
      expect(text.join('\n')).not.toMatch(/passphrase |漢/);
    }
    const empty = screenText({ snapshot: snapshot([bob], []) }, { prompt: 'Again:' }).text.at(-1)!;
    expect(empty).toMatch(/^Again: typed hidden · Enter when done · Esc cancels/);
  });

  it('shows a panel over the conversation, its first line as the title', () => {
    const room = roomState(bob, [item({ roomId: bob.roomId, text: 'under the panel' })]);
    const { text } = screenText(
      { snapshot: snapshot([bob], [room]) },
      { selectedRoomId: bob.roomId, focus: 'conversation', panel: ['Your sessions', 'one', 'two'] },
    );
    expect(text.join('\n')).toMatch(/Your sessions[^\n]*\n[^\n]*one[^\n]*\n[^\n]*two/);
    // Only the list's preview (left of the divider) shows the message; the conversation is under the panel.
    const rows = text.filter((value) => value.includes('under the panel'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.indexOf('under the panel')).toBeLessThan(rows[0]!.indexOf('│'));
  });
});

describe('terminal text', () => {
  it('measures wide characters and emoji as two columns, combining marks as none', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('漢字')).toBe(4);
    expect(textWidth('👍')).toBe(2);
    expect(textWidth('e\u0301')).toBe(1);
  });

  it('wraps wide text by columns', () => {
    const lines = wrap('漢字'.repeat(10), 7);
    for (const value of lines) expect(textWidth(value)).toBeLessThanOrEqual(7);
    expect(lines.join('')).toBe('漢字'.repeat(10));
  });

  it('removes escape sequences and bidirectional controls from what others wrote', () => {
    expect(cleanText('hi\u001b[2Jthere\u202Eevil')).toBe('hi\uFFFD[2Jthere\uFFFDevil');
    expect(cleanText('a\nb')).toBe('a b');
  });
});

function noFiles(): FileLookup {
  return { upload: () => null, download: () => null, remoteStatus: () => 'unknown' };
}
