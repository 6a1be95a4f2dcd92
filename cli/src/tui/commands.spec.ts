import { AccountError, type ChatItem, type Session } from '@onionchat/client';
import { describe, expect, it, vi } from 'vitest';
import {
  HELP_LINES,
  NO_CONVERSATION,
  parseInput,
  runCommand,
  tokenize,
  type CommandContext,
  type TuiActions,
} from './commands.js';
import { friend, item, roomState } from '../test-support/tui-fixtures.js';

describe('command parser', () => {
  it('reads plain text as a message, and // as a message starting with /', () => {
    expect(parseInput('  hello there ')).toEqual({ kind: 'message', text: 'hello there' });
    expect(parseInput('//shrug')).toEqual({ kind: 'message', text: '/shrug' });
  });

  it('reads every command with its arguments', () => {
    expect(parseInput('/help')).toEqual({ kind: 'help' });
    expect(parseInput('/q')).toEqual({ kind: 'quit' });
    expect(parseInput('/quit')).toEqual({ kind: 'quit' });
    expect(parseInput('/older')).toEqual({ kind: 'older' });
    expect(parseInput('/retry')).toEqual({ kind: 'retry' });
    expect(parseInput('/send "my file.txt"')).toEqual({ kind: 'send', path: 'my file.txt' });
    expect(parseInput('/send my\\ file.txt')).toEqual({ kind: 'send', path: 'my file.txt' });
    expect(parseInput('/save 2')).toEqual({ kind: 'save', number: 2, dir: null });
    expect(parseInput('/save #3 ~/Downloads')).toEqual({ kind: 'save', number: 3, dir: '~/Downloads' });
    expect(parseInput('/request @bob')).toEqual({ kind: 'request', username: 'bob' });
    expect(parseInput('/ACCEPT bob')).toEqual({ kind: 'accept', username: 'bob' });
    expect(parseInput('/decline bob')).toEqual({ kind: 'decline', username: 'bob' });
    expect(parseInput('/cancel bob')).toEqual({ kind: 'cancel', username: 'bob' });
    expect(parseInput('/block bob')).toEqual({ kind: 'block', username: 'bob' });
    expect(parseInput('/open bob')).toEqual({ kind: 'open', username: 'bob' });
    expect(parseInput('/add http://x.onion/chat/#add=bob&fp=AB')).toEqual({
      kind: 'add',
      link: 'http://x.onion/chat/#add=bob&fp=AB',
    });
    expect(parseInput('/safety')).toEqual({ kind: 'safety' });
    expect(parseInput('/verify')).toEqual({ kind: 'verify' });
    expect(parseInput('/trust')).toEqual({ kind: 'trust' });
  });

  it('reads the account commands', () => {
    expect(parseInput('/sessions')).toEqual({ kind: 'sessions' });
    expect(parseInput('/end 0b8c5a3e-1111-4222-8333-944445555666')).toEqual({
      kind: 'endSession',
      id: '0b8c5a3e-1111-4222-8333-944445555666',
    });
    expect(parseInput('/end others')).toEqual({ kind: 'endOthers' });
    expect(parseInput('/end Others')).toEqual({ kind: 'endOthers' });
    expect(parseInput('/passphrase')).toEqual({ kind: 'passphrase' });
    expect(parseInput('/password')).toEqual({ kind: 'passphrase' });
    expect(parseInput('/me')).toEqual({ kind: 'me' });
    expect(parseInput('/link')).toEqual({ kind: 'me' });
    expect(parseInput('/end')).toEqual({
      kind: 'error',
      message: 'Usage: /end ID|others (end session ID, or all but this one (others)).',
    });
    expect(parseInput('/end a b')).toMatchObject({ kind: 'error', message: expect.stringContaining('Usage: /end') });
    // Never with the passphrase on the command line, where it would be drawn.
    expect(parseInput('/passphrase hunter2')).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('Usage: /passphrase'),
    });
  });

  it('lists the account commands in the help', () => {
    const help = HELP_LINES.join('\n');
    for (const usage of ['/sessions', '/end ID|others', '/passphrase', '/me']) expect(help).toContain(usage);
  });

  it('says what is wrong with an unknown command or wrong arguments', () => {
    expect(parseInput('/frobnicate')).toEqual({
      kind: 'error',
      message: 'Unknown command “/frobnicate”. Type /help for the commands.',
    });
    expect(parseInput('/send')).toEqual({
      kind: 'error',
      message: 'Usage: /send PATH (send a file (end-to-end encrypted)).',
    });
    expect(parseInput('/request bob carol')).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('Usage: /request USER'),
    });
    expect(parseInput('/save two')).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('“two” is not a file number'),
    });
    expect(parseInput('/save 0')).toMatchObject({ kind: 'error' });
    expect(parseInput('/send "unclosed')).toEqual({ kind: 'error', message: 'A " quote is not closed.' });
    expect(parseInput('   ')).toMatchObject({ kind: 'error' });
  });

  it('tokenizes quotes and escapes', () => {
    expect(tokenize(`a "b c" 'd e' f\\ g`)).toEqual(['a', 'b c', 'd e', 'f g']);
    expect(tokenize('x ""')).toEqual(['x', '']);
  });
});

const HOUR = 3_600_000;
const NOW = Date.now();
const session = (id: string, startedHoursAgo: number, current = false, seenHoursAgo = 1): Session => ({
  id,
  createdAt: new Date(NOW - startedHoursAgo * HOUR).toISOString(),
  lastSeenAt: new Date(NOW - seenHoursAgo * HOUR).toISOString(),
  expiresAt: new Date(NOW + 73 * HOUR).toISOString(),
  current,
});
// The server's order is not the one shown: this chat's first, then the most recently seen.
const SESSIONS = [
  session('aaaa1111-0000-4000-8000-000000000001', 50, false, 3),
  session('bbbb2222-0000-4000-8000-000000000002', 5, true),
  session('aaaa3333-0000-4000-8000-000000000003', 2, false, 1),
];

function fakeActions(overrides: Partial<TuiActions> = {}): TuiActions {
  return {
    send: vi.fn(),
    retry: vi.fn(() => 0),
    sendFile: vi.fn(async (_room: string, path: string) => path.split('/').pop()!),
    saveFile: vi.fn(async (_item: ChatItem, dir: string | null) => dir ?? 'Downloads'),
    stopFile: vi.fn(),
    loadOlder: vi.fn(async () => {}),
    requestFriend: vi.fn(async () => {}),
    accept: vi.fn(async () => 'r-new'),
    decline: vi.fn(async () => {}),
    cancel: vi.fn(async () => {}),
    remove: vi.fn(async () => {}),
    block: vi.fn(async () => {}),
    unblock: vi.fn(async () => {}),
    addFromLink: vi.fn(async () => ({ message: 'added', roomId: null })),
    safetyNumber: vi.fn(async () => ['12345', '67890']),
    setTrust: vi.fn(),
    roomOf: vi.fn((name: string) => (name === 'bob' ? 'r-bob' : null)),
    listSessions: vi.fn(async () => SESSIONS),
    endSession: vi.fn(async () => {}),
    changePassphrase: vi.fn(async () => {}),
    contactLink: vi.fn(() => 'http://x.onion/chat/#add=alice&fp=ABCD'),
    ...overrides,
  };
}

const bob = friend('bob');
const file = {
  name: 'a.pdf',
  mime: 'application/pdf',
  size: 10,
  fileId: 'f',
  key: new Uint8Array(32),
  digest: new Uint8Array(32),
};
const fileItem = item({ roomId: bob.roomId, text: null, file });
const room = roomState(bob, [item({ roomId: bob.roomId }), fileItem]);
const inRoom: CommandContext = { roomId: bob.roomId, room, peer: { id: bob.user.id, username: 'bob' } };
const nowhere: CommandContext = { roomId: null, room: undefined, peer: null };

describe('command dispatcher', () => {
  it('sends a message to the open conversation', async () => {
    const actions = fakeActions();
    expect(await runCommand(parseInput('hi bob'), actions, inRoom)).toEqual({});
    expect(actions.send).toHaveBeenCalledWith(bob.roomId, 'hi bob');
  });

  it('refuses to send without a conversation, or while the core blocks sending', async () => {
    const actions = fakeActions();
    expect(await runCommand(parseInput('hi'), actions, nowhere)).toEqual({ error: NO_CONVERSATION });
    const blocked = { ...inRoom, room: { ...room, sendBlocked: 'bob’s safety number has changed.' } };
    expect(await runCommand(parseInput('hi'), actions, blocked)).toEqual({ error: 'bob’s safety number has changed.' });
    expect(await runCommand(parseInput('/send x.txt'), actions, blocked)).toEqual({
      error: 'bob’s safety number has changed.',
    });
    expect(actions.send).not.toHaveBeenCalled();
    expect(actions.sendFile).not.toHaveBeenCalled();
  });

  it('turns what an action throws into an error', async () => {
    const actions = fakeActions({
      send: () => {
        throw new Error('The message is too long.');
      },
      requestFriend: async () => {
        throw new Error('No such user.');
      },
    });
    expect(await runCommand(parseInput('x'), actions, inRoom)).toEqual({ error: 'The message is too long.' });
    expect(await runCommand(parseInput('/request zed'), actions, inRoom)).toEqual({ error: 'No such user.' });
  });

  it('sends and saves files by number, into a chosen folder', async () => {
    const actions = fakeActions();
    expect(await runCommand(parseInput('/send /tmp/report.pdf'), actions, inRoom)).toEqual({
      notice: 'Sending report.pdf…',
    });
    expect(actions.sendFile).toHaveBeenCalledWith(bob.roomId, '/tmp/report.pdf');
    expect(await runCommand(parseInput('/save 1 /tmp/in'), actions, inRoom)).toEqual({
      notice: 'Downloading a.pdf to /tmp/in…',
    });
    expect(actions.saveFile).toHaveBeenCalledWith(fileItem, '/tmp/in');
    expect(await runCommand(parseInput('/stop 1'), actions, inRoom)).toEqual({ notice: 'Stopped a.pdf.' });
    expect(actions.stopFile).toHaveBeenCalledWith(fileItem);
    expect(parseInput('/stop x')).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('not a file number'),
    });
    expect(await runCommand(parseInput('/save 2'), actions, inRoom)).toEqual({
      error: 'There is no file 2 here: files are numbered 1 to 1.',
    });
  });

  it('runs the friend commands', async () => {
    const actions = fakeActions();
    expect(await runCommand(parseInput('/request carol'), actions, nowhere)).toEqual({
      notice: 'Friend request sent to carol.',
    });
    expect(actions.requestFriend).toHaveBeenCalledWith('carol');
    expect(await runCommand(parseInput('/accept dave'), actions, nowhere)).toEqual({
      notice: 'You and dave are now friends.',
      open: 'r-new',
    });
    await runCommand(parseInput('/decline erin'), actions, nowhere);
    expect(actions.decline).toHaveBeenCalledWith('erin');
    await runCommand(parseInput('/cancel fay'), actions, nowhere);
    expect(actions.cancel).toHaveBeenCalledWith('fay');
    await runCommand(parseInput('/block mallory'), actions, nowhere);
    expect(actions.block).toHaveBeenCalledWith('mallory');
    expect(await runCommand(parseInput('/open bob'), actions, nowhere)).toEqual({ open: 'r-bob' });
    expect(await runCommand(parseInput('/open zed'), actions, nowhere)).toEqual({
      error: 'zed is not one of your friends.',
    });
  });

  it('shows the safety number and verifies or accepts the key of the open conversation', async () => {
    const actions = fakeActions();
    const safety = await runCommand(parseInput('/safety'), actions, inRoom);
    expect(safety.notice).toContain('Safety number with bob: 12345 67890.');
    expect(actions.safetyNumber).toHaveBeenCalledWith(bob.user.id);
    await runCommand(parseInput('/verify'), actions, inRoom);
    expect(actions.setTrust).toHaveBeenLastCalledWith(bob.user.id, true);
    await runCommand(parseInput('/trust'), actions, inRoom);
    expect(actions.setTrust).toHaveBeenLastCalledWith(bob.user.id, false);
    expect(await runCommand(parseInput('/verify'), actions, nowhere)).toEqual({ error: NO_CONVERSATION });
  });

  it('loads older messages only when there are some, and retries what failed', async () => {
    const actions = fakeActions({ retry: vi.fn(() => 2) });
    expect(await runCommand(parseInput('/older'), actions, inRoom)).toEqual({
      notice: 'This is the start of the conversation.',
    });
    expect(actions.loadOlder).not.toHaveBeenCalled();
    await runCommand(parseInput('/older'), actions, { ...inRoom, room: { ...room, hasOlder: true } });
    expect(actions.loadOlder).toHaveBeenCalledWith(bob.roomId);
    expect(await runCommand(parseInput('/retry'), actions, inRoom)).toEqual({ notice: 'Sending 2 messages again.' });
  });

  it('answers help, quit and parse errors', async () => {
    const actions = fakeActions();
    expect(await runCommand(parseInput('/help'), actions, nowhere)).toEqual({ panel: HELP_LINES });
    expect(await runCommand(parseInput('/exit'), actions, nowhere)).toEqual({ quit: true });
    expect(await runCommand(parseInput('/nope'), actions, nowhere)).toEqual({
      error: 'Unknown command “/nope”. Type /help for the commands.',
    });
  });
});

describe('account commands', () => {
  it('/sessions lists this chat’s first, then the most recently seen, with readable times', async () => {
    const { panel } = await runCommand(parseInput('/sessions'), fakeActions(), nowhere);
    const text = panel!.join('\n');
    expect(panel![0]).toBe('Your sessions (3), this chat’s first:');
    const [old, mine, recent] = SESSIONS.map((entry) => text.indexOf(entry.id));
    expect(mine).toBeLessThan(recent!);
    expect(recent).toBeLessThan(old!);
    expect(text).toContain('bbbb2222-0000-4000-8000-000000000002  ← this chat');
    expect(text).not.toContain('aaaa1111-0000-4000-8000-000000000001  ← this chat');
    expect(text).toContain('last seen 1 hour ago · expires in 3 days');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('/end ends one session by its ID or the start of it, and says why it can’t', async () => {
    const actions = fakeActions();
    expect(await runCommand(parseInput('/end aaaa1111-0000-4000-8000-000000000001'), actions, nowhere)).toEqual({
      notice: 'Ended session aaaa1111-0000-4000-8000-000000000001.',
    });
    expect(await runCommand(parseInput('/end AAAA3'), actions, nowhere)).toEqual({
      notice: 'Ended session aaaa3333-0000-4000-8000-000000000003.',
    });
    expect(actions.endSession).toHaveBeenCalledTimes(2);
    expect(actions.endSession).toHaveBeenLastCalledWith('aaaa3333-0000-4000-8000-000000000003');
    expect(await runCommand(parseInput('/end aaaa'), actions, nowhere)).toEqual({
      error: 'More than one session starts with “aaaa”: type more of its ID.',
    });
    expect(await runCommand(parseInput('/end aaa'), actions, nowhere)).toEqual({
      error: 'There is no session “aaa”. Type /sessions to see them.',
    });
    expect(await runCommand(parseInput('/end nope-nope'), actions, nowhere)).toEqual({
      error: 'There is no session “nope-nope”. Type /sessions to see them.',
    });
    expect(await runCommand(parseInput('/end bbbb2222'), actions, nowhere)).toEqual({
      error: 'That is this chat’s own session: /quit ends it.',
    });
    expect(actions.endSession).toHaveBeenCalledTimes(2);
  });

  it('/end others ends every session but this chat’s', async () => {
    const actions = fakeActions();
    expect(await runCommand(parseInput('/end others'), actions, nowhere)).toEqual({
      notice: 'Ended 2 other sessions.',
    });
    expect(vi.mocked(actions.endSession).mock.calls.map(([id]) => id)).toEqual([SESSIONS[0]!.id, SESSIONS[2]!.id]);
    const alone = fakeActions({ listSessions: async () => [SESSIONS[1]!] });
    expect(await runCommand(parseInput('/end others'), alone, nowhere)).toEqual({
      notice: 'There is no other session to end.',
    });
    expect(alone.endSession).not.toHaveBeenCalled();
  });

  it('/passphrase only asks for the passphrases; /me shows the contact link', async () => {
    const actions = fakeActions();
    expect(await runCommand(parseInput('/passphrase'), actions, nowhere)).toEqual({ askPassphrase: true });
    expect(actions.changePassphrase).not.toHaveBeenCalled();
    const { panel } = await runCommand(parseInput('/link'), actions, nowhere);
    expect(panel).toContain('http://x.onion/chat/#add=alice&fp=ABCD');
  });

  it('says what the core says when it fails', async () => {
    const actions = fakeActions({
      listSessions: async () => {
        throw new AccountError('Your session has ended. Log in again.');
      },
    });
    expect(await runCommand(parseInput('/sessions'), actions, nowhere)).toEqual({
      error: 'Your session has ended. Log in again.',
    });
  });
});
