import type { ChatItem } from '@onionchat/client';
import { describe, expect, it, vi } from 'vitest';
import { NO_CONVERSATION, parseInput, runCommand, tokenize, type CommandContext, type TuiActions } from './commands.js';
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
    expect(await runCommand(parseInput('/help'), actions, nowhere)).toEqual({ help: true });
    expect(await runCommand(parseInput('/exit'), actions, nowhere)).toEqual({ quit: true });
    expect(await runCommand(parseInput('/nope'), actions, nowhere)).toEqual({
      error: 'Unknown command “/nope”. Type /help for the commands.',
    });
  });
});
