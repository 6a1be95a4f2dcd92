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
import {
  friend,
  groupMember,
  groupRoom,
  groupView,
  item,
  ME,
  notice,
  roomState,
} from '../test-support/tui-fixtures.js';
import { OUT_OF_GROUP } from '../conversation-names.js';

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
    setTimer: vi.fn(),
    edit: vi.fn(),
    deleteForEveryone: vi.fn(),
    react: vi.fn(),
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
    createGroup: vi.fn(async () => 'r-group'),
    addToGroup: vi.fn(async () => {}),
    removeFromGroup: vi.fn(async () => {}),
    setGroupRole: vi.fn(async () => {}),
    renameGroup: vi.fn(async () => {}),
    leaveGroup: vi.fn(async () => {}),
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

  it('/timer parses the offered values only, and sets the timer of the open conversation', async () => {
    expect(parseInput('/timer 1d')).toEqual({ kind: 'timer', seconds: 86_400 });
    expect(parseInput('/timer OFF')).toEqual({ kind: 'timer', seconds: 0 });
    expect(parseInput('/timer 30S')).toEqual({ kind: 'timer', seconds: 30 });
    expect(parseInput('/timer 2d')).toEqual({
      kind: 'error',
      message: '“2d” is not a disappearing time: /timer OFF|30s|5m|1h|1d|1w|4w.',
    });
    expect(parseInput('/timer')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^Usage: \/timer/) });

    const actions = fakeActions();
    expect(await runCommand(parseInput('/timer 5m'), actions, inRoom)).toEqual({
      notice: 'New messages here will disappear 5 minutes after they are sent.',
    });
    expect(actions.setTimer).toHaveBeenCalledWith(bob.roomId, 300);
    const timed = { ...inRoom, room: { ...room, timer: 300 } };
    expect(await runCommand(parseInput('/timer 5m'), actions, timed)).toEqual({
      notice: 'Disappearing messages are set to 5 minutes already.',
    });
    expect(await runCommand(parseInput('/timer off'), actions, timed)).toEqual({
      notice: 'Turning off disappearing messages.',
    });
    expect(actions.setTimer).toHaveBeenCalledTimes(2);
    expect(await runCommand(parseInput('/timer 1h'), actions, nowhere)).toEqual({ error: NO_CONVERSATION });
  });

  it('/reply and /react act on the latest message from someone else; /edit and /delete on your own latest', async () => {
    expect(parseInput('/reply on my way')).toEqual({ kind: 'reply', text: 'on my way' });
    expect(parseInput('/react 👍')).toEqual({ kind: 'react', emoji: '👍' });
    expect(parseInput('/edit fixed')).toEqual({ kind: 'edit', text: 'fixed' });
    expect(parseInput('/delete')).toEqual({ kind: 'delete' });
    expect(parseInput('/reply')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^Usage: \/reply/) });

    const theirs = item({ roomId: bob.roomId, text: 'lunch?' });
    const mine = item({ roomId: bob.roomId, text: 'yes', mine: true, senderId: 'u-me' });
    const deleted = item({ roomId: bob.roomId, text: null, mine: true, senderId: 'u-me', deleted: true });
    const talk = { ...inRoom, room: roomState(bob, [theirs, mine, deleted]) };
    const actions = fakeActions();
    expect(await runCommand(parseInput('/reply at noon'), actions, talk)).toEqual({});
    expect(actions.send).toHaveBeenCalledWith(bob.roomId, 'at noon', theirs);
    await runCommand(parseInput('/react 🎉'), actions, talk);
    expect(actions.react).toHaveBeenCalledWith(bob.roomId, theirs, '🎉');
    await runCommand(parseInput('/edit yes!'), actions, talk);
    expect(actions.edit).toHaveBeenCalledWith(bob.roomId, mine, 'yes!');
    expect(await runCommand(parseInput('/delete'), actions, talk)).toMatchObject({ notice: expect.any(String) });
    expect(actions.deleteForEveryone).toHaveBeenCalledWith(bob.roomId, mine);

    const onlyTheirs = { ...inRoom, room: roomState(bob, [theirs]) };
    expect(await runCommand(parseInput('/delete'), actions, onlyTheirs)).toEqual({
      error: 'You have no sent message here to delete.',
    });
    const onlyMine = { ...inRoom, room: roomState(bob, [mine]) };
    expect(await runCommand(parseInput('/react 👍'), actions, onlyMine)).toEqual({
      error: 'There is no message from someone else here to act on yet.',
    });
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
      error: 'zed is neither one of your friends nor a group you are in.',
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

describe('group commands', () => {
  const friends = [friend('bob'), friend('carol'), friend('dave')];
  const view = groupView('Hikers', [
    groupMember(ME.username, { role: 'admin' }),
    groupMember('bob'),
    groupMember('carol', { check: 'verified', label: 'verified' }),
  ]);
  const hikers = groupRoom('r-hikers', view, [notice('r-hikers', 'You created the group')]);
  const inGroup: CommandContext = { roomId: 'r-hikers', room: hikers, peer: null, friends, me: ME };
  const outOf = (room: typeof hikers): CommandContext => ({ ...inGroup, room });

  it('reads them, with /add taking a link or friends’ names', () => {
    expect(parseInput('/group Hikers with bob, carol')).toEqual({
      kind: 'group',
      name: 'Hikers',
      members: ['bob', 'carol'],
    });
    expect(parseInput('/group "Tea with us" with bob')).toEqual({
      kind: 'group',
      name: 'Tea with us',
      members: ['bob'],
    });
    expect(parseInput('/group')).toMatchObject({ kind: 'error', message: expect.stringContaining('/group NAME with') });
    expect(parseInput('/members')).toEqual({ kind: 'members' });
    expect(parseInput('/who')).toEqual({ kind: 'members' });
    expect(parseInput('/add dave')).toEqual({ kind: 'addMembers', names: ['dave'] });
    expect(parseInput('/add dave, erin')).toEqual({ kind: 'addMembers', names: ['dave', 'erin'] });
    expect(parseInput('/add http://x.onion/chat/#add=bob&fp=AB')).toMatchObject({ kind: 'add' });
    expect(parseInput('/kick @bob')).toEqual({ kind: 'kick', name: 'bob' });
    expect(parseInput('/admin bob')).toEqual({ kind: 'role', name: 'bob', role: 'admin' });
    expect(parseInput('/unadmin bob')).toEqual({ kind: 'role', name: 'bob', role: 'member' });
    expect(parseInput('/rename Night hikers')).toEqual({ kind: 'rename', name: 'Night hikers' });
    expect(parseInput('/leave')).toEqual({ kind: 'leave' });
    expect(parseInput('/kick')).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('Usage: /kick MEMBER'),
    });
    // /remove stays the friend command.
    expect(parseInput('/remove bob')).toEqual({ kind: 'remove', username: 'bob' });
  });

  it('lists them in the help, under their own heading', () => {
    const help = HELP_LINES.join('\n');
    expect(help).toMatch(/Groups:\n {2}\/group NAME with FRIEND\[,FRIEND…\]/);
    for (const usage of [
      '/members',
      '/add FRIEND…',
      '/kick MEMBER',
      '/admin MEMBER',
      '/unadmin MEMBER',
      '/rename NAME',
      '/leave',
    ]) {
      expect(help).toContain(`  ${usage}`);
    }
  });

  it('makes a group of friends found by name, and opens it', async () => {
    const actions = fakeActions();
    expect(
      await runCommand(parseInput('/group Hikers with Bob, carol'), actions, { ...nowhere, friends, me: ME }),
    ).toEqual({
      notice: 'Made the group “Hikers” with Bob and carol; you are its admin.',
      open: 'r-group',
    });
    expect(actions.createGroup).toHaveBeenCalledWith('Hikers', ['u-bob', 'u-carol']);
    expect(await runCommand(parseInput('/group Hikers with zed'), actions, { ...nowhere, friends })).toEqual({
      error: 'zed is not one of your friends; only friends can be added to a group.',
    });
    expect(actions.createGroup).toHaveBeenCalledTimes(1);
  });

  it('adds, removes, makes admins and renames, by name, with the core’s refusals as sentences', async () => {
    const actions = fakeActions();
    expect(await runCommand(parseInput('/add dave'), actions, inGroup)).toEqual({ notice: 'Added dave to Hikers.' });
    expect(actions.addToGroup).toHaveBeenCalledWith('r-hikers', ['u-dave']);
    expect(await runCommand(parseInput('/kick BOB'), actions, inGroup)).toEqual({
      notice: 'Removed bob from Hikers; a new key is in use.',
    });
    expect(actions.removeFromGroup).toHaveBeenCalledWith('r-hikers', ['u-bob']);
    expect(await runCommand(parseInput('/kick alice'), actions, inGroup)).toEqual({
      error: 'To leave the group yourself, type /leave.',
    });
    expect(await runCommand(parseInput('/admin carol'), actions, inGroup)).toEqual({
      notice: 'carol is now an admin of Hikers.',
    });
    expect(actions.setGroupRole).toHaveBeenCalledWith('r-hikers', 'u-carol', 'admin');
    expect(await runCommand(parseInput('/unadmin carol'), actions, inGroup)).toEqual({
      error: 'carol is already not an admin.',
    });
    expect(await runCommand(parseInput('/rename Night hikers'), actions, inGroup)).toEqual({
      notice: 'Renamed the group to “Night hikers”.',
    });
    expect(actions.renameGroup).toHaveBeenCalledWith('r-hikers', { name: 'Night hikers' });
    // The picture stays as it is.
    const pictured = outOf({ ...hikers, group: { ...view, picture: 'data:image/png;base64,AA' } });
    await runCommand(parseInput('/rename Hikers'), actions, pictured);
    expect(actions.renameGroup).toHaveBeenLastCalledWith('r-hikers', {
      name: 'Hikers',
      picture: 'data:image/png;base64,AA',
    });

    const refusing = fakeActions({
      removeFromGroup: async () => {
        throw new Error('Only an admin can remove members.');
      },
    });
    expect(await runCommand(parseInput('/kick bob'), refusing, inGroup)).toEqual({
      error: 'Only an admin can remove members.',
    });
    expect(await runCommand(parseInput('/kick zed'), refusing, inGroup)).toEqual({
      error: 'zed is not in this group. /members lists who is.',
    });
  });

  it('shows the members, and refuses group commands outside a group', async () => {
    const actions = fakeActions();
    const { panel } = await runCommand(parseInput('/members'), actions, inGroup);
    expect(panel![0]).toBe('Hikers: 3 members, you are an admin');
    expect(panel).toContain('  carol        member  ✓ verified');
    for (const command of ['/members', '/kick bob', '/leave', '/rename X']) {
      expect(await runCommand(parseInput(command), actions, inRoom)).toEqual({
        error: expect.stringContaining('This is not a group.'),
      });
    }
    expect(await runCommand(parseInput('/add carol'), actions, nowhere)).toEqual({ error: NO_CONVERSATION });
    expect(await runCommand(parseInput('/add carol'), actions, inRoom)).toEqual({
      error: expect.stringContaining('To ask carol to be your friend: /request carol'),
    });
    expect(actions.addToGroup).not.toHaveBeenCalled();
    expect(await runCommand(parseInput('/safety'), actions, inGroup)).toEqual({
      error: expect.stringContaining('In a group, /members shows how far each member is checked'),
    });
  });

  it('asks before leaving, and leaves only on yes', async () => {
    const actions = fakeActions();
    const { confirm } = await runCommand(parseInput('/leave'), actions, inGroup);
    expect(confirm?.question).toBe('Leave “Hikers”? (y/N)');
    expect(confirm?.detail).toContain('You will get none of its messages from now on');
    expect(confirm?.declined).toBe('You are still in “Hikers”.');
    expect(actions.leaveGroup).not.toHaveBeenCalled();
    expect(await confirm!.run()).toBe('You left “Hikers”.');
    expect(actions.leaveGroup).toHaveBeenCalledWith('r-hikers');
  });

  it('refuses to send, or change anything, once out of the group, and says what to do', async () => {
    const actions = fakeActions();
    const gone = outOf({
      ...hikers,
      group: { ...view, gone: true, myRole: null },
      sendBlocked: 'You are no longer a member of this group.',
    });
    expect(await runCommand(parseInput('hello?'), actions, gone)).toEqual({ error: OUT_OF_GROUP });
    expect(await runCommand(parseInput('/send x.txt'), actions, gone)).toEqual({ error: OUT_OF_GROUP });
    expect(await runCommand(parseInput('/add dave'), actions, gone)).toEqual({ error: OUT_OF_GROUP });
    expect(actions.send).not.toHaveBeenCalled();
    const { confirm } = await runCommand(parseInput('/leave'), actions, gone);
    expect(confirm?.question).toBe('Remove “Hikers” from your list? (y/N)');
    expect(await confirm!.run()).toBe('Removed “Hikers” from your list.');
    // Still in it, a message goes to the group.
    expect(await runCommand(parseInput('hello all'), actions, inGroup)).toEqual({});
    expect(actions.send).toHaveBeenCalledWith('r-hikers', 'hello all');
  });
});
