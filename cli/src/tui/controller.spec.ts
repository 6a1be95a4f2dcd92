// The TUI's controller over a real ChatSession (the client core's chat world: real
// crypto, a fake server), drawing into an array instead of a terminal.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountError, type BundleVault, type ChatSession, type Identity, type Session } from '@onionchat/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatWorld } from '../../../client/src/test-support/chat-world.js';
import { TuiController } from './controller.js';
import type { Key } from './keys.js';
import { lineText, type Line } from './lines.js';
import { CANCELLED, CHANGED, CHANGING, MISMATCH } from './passphrase-prompt.js';
import { sessionActions, type AccountAccess } from './session-actions.js';

class ArrayScreen {
  lines: string[] = [];
  /** Every frame ever drawn, to check what never reached the screen. */
  frames: string[] = [];
  constructor(
    private readonly width = 100,
    private readonly height = 30,
  ) {}
  size() {
    return { width: this.width, height: this.height };
  }
  draw(lines: Line[]) {
    this.lines = lines.map(lineText);
    this.frames.push(this.text);
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

const type = (text: string): Key[] => [...text].map((char) => ({ name: 'char', char }));

describe('the TUI over a real chat session', () => {
  let world: ChatWorld;
  let controller: TuiController | null = null;
  let folder: string | null = null;
  afterEach(async () => {
    controller?.stop();
    world?.session?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
    folder = null;
  });

  async function open(screen: ArrayScreen, onQuit = () => {}) {
    world = new ChatWorld();
    world.bobSays('hello alice');
    world.live.connect();
    const chat = world.start({ realFiles: true }) as unknown as ChatSession;
    controller = new TuiController({
      chat,
      user: { id: world.alice.user.id, username: 'alice' },
      actions: sessionActions(chat),
      screen,
      onQuit,
    });
    controller.start();
    await vi.waitFor(() => expect(screen.text).toContain('bob'));
    return chat;
  }

  it('lists the conversation with its unread count, opens it, shows the message and marks it read', async () => {
    const screen = new ArrayScreen(60, 20);
    const chat = await open(screen);
    await vi.waitFor(() => expect(screen.text).toMatch(/bob.*\(1\)/));
    expect(chat.getSnapshot().totalUnread).toBe(1);
    // At 60 columns the list has the screen; Enter opens the conversation.
    controller!.key({ name: 'enter' });
    await vi.waitFor(() => expect(screen.text).toContain('hello alice'));
    await vi.waitFor(() => expect(chat.getSnapshot().totalUnread).toBe(0));
    await vi.waitFor(() => expect(world.lastReadSeq).toBe(1));
  });

  it('sends what is typed, shows it as sent, and keeps a message the core refuses in the input line', async () => {
    const screen = new ArrayScreen();
    await open(screen);
    await vi.waitFor(() => expect(screen.text).toContain('hello alice'));
    for (const key of [...type('hi bob'), { name: 'enter' } as Key]) controller!.key(key);
    await vi.waitFor(() => expect(world.messages).toHaveLength(2));
    await vi.waitFor(() => expect(screen.text).toMatch(/hi bob *\n[^\n]*✓ Sent/));

    await controller!.submit('x'.repeat(100_000));
    expect(controller!.state.notices.at(-1)?.kind).toBe('error');
    expect(controller!.state.input).toHaveLength(100_000);
  });

  it('/send uploads a file from a path and shows its card; /save of a missing number says so', async () => {
    const screen = new ArrayScreen();
    await open(screen);
    await vi.waitFor(() => expect(screen.text).toContain('hello alice'));
    folder = await mkdtemp(join(tmpdir(), 'onionchat-tui-'));
    const path = join(folder, 'notes.txt');
    await writeFile(path, 'secret notes');
    await controller!.submit(`/send ${path}`);
    expect(controller!.state.notices.at(-1)).toEqual({ text: 'Sending notes.txt…', kind: 'info' });
    await vi.waitFor(() => expect(screen.text).toContain('[file 1] Text: notes.txt'));
    await vi.waitFor(() => expect(world.files.size).toBe(1));
    await vi.waitFor(() => expect(screen.text).toContain('End-to-end encrypted.'));
    await controller!.submit('/save 5');
    expect(controller!.state.notices.at(-1)).toEqual({
      text: 'There is no file 5 here: files are numbered 1 to 1.',
      kind: 'error',
    });
  });

  it('shows help, reports unknown commands, and quits on /quit and Ctrl-C', async () => {
    const screen = new ArrayScreen();
    const onQuit = vi.fn();
    await open(screen, onQuit);
    await controller!.submit('/help');
    expect(screen.text).toContain('/send PATH');
    await controller!.submit('/nope');
    expect(screen.text).toContain('Unknown command “/nope”.');
    await controller!.submit('/send /nonexistent/file.txt');
    expect(controller!.state.notices.at(-1)).toEqual({
      text: 'There is no file at /nonexistent/file.txt.',
      kind: 'error',
    });
    await controller!.submit('/accept zed');
    expect(controller!.state.notices.at(-1)).toEqual({ text: 'There is no friend request from zed.', kind: 'error' });
    await controller!.submit('/open bob');
    expect(controller!.state).toMatchObject({ selectedRoomId: world.roomId, focus: 'conversation', panel: null });
    await controller!.submit('/quit');
    controller!.key({ name: 'ctrlC' });
    expect(onQuit).toHaveBeenCalledTimes(2);
  });
});

const OLD = 'lanterns drift over quiet harbours';
const NEW = 'copper moths above the tide';
const THIS_ONE = '11111111-0000-4000-8000-000000000001';
const OTHER = '22222222-0000-4000-8000-000000000002';

/** Alice's account with a fake server behind it: two sessions, and a passphrase change that waits for `release`. */
function fakeAccount() {
  let release = () => {};
  /** What the change hands back: the keys re-sealed for the new passphrase; the chat saves into that vault from then on. */
  const resealed: { identity: Identity | null; vault: BundleVault } = {
    identity: null,
    vault: { wipe: vi.fn(), unreadable: null } as unknown as BundleVault,
  };
  const useResealed = vi.fn();
  const held = new Promise<void>((resolve) => (release = resolve));
  const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
  let sessions: Session[] = [
    { id: THIS_ONE, createdAt: at(1), lastSeenAt: at(0), expiresAt: at(-48), current: true },
    { id: OTHER, createdAt: at(30), lastSeenAt: at(5), expiresAt: at(-24), current: false },
  ];
  const flows = {
    listSessions: vi.fn(async () => sessions),
    endSession: vi.fn(async (id: string) => {
      sessions = sessions.filter((entry) => entry.id !== id);
    }),
    changePassphrase: vi.fn(
      async (
        user: AccountAccess['user'],
        identity: AccountAccess['identity'],
        current: string,
        next: string,
        progress?: (step: string) => void,
      ) => {
        progress?.('Deriving keys from your new passphrase (this takes a moment)…');
        await held;
        if (current !== OLD) throw new AccountError('Your current passphrase is wrong.', 'current-passphrase');
        resealed.identity = {
          ...identity,
          boxSecretKey: identity.boxSecretKey.slice(),
          signSecretKey: identity.signSecretKey.slice(),
          signSeed: identity.signSeed.slice(),
          kem: null,
        };
        return { user, identity: resealed.identity, vault: resealed.vault };
      },
    ),
  };
  const make = (world: ChatWorld): AccountAccess => ({
    client: { account: flows },
    user: { ...world.alice.user, createdAt: '2024-01-01T00:00:00.000Z' },
    identity: world.alice.identity,
    useResealed,
  });
  return { flows, make, release, resealed, useResealed };
}

describe('the account commands in the TUI', () => {
  let world: ChatWorld;
  let controller: TuiController | null = null;
  afterEach(() => {
    controller?.stop();
    world?.session?.stop();
  });

  async function start(screen: ArrayScreen, account: ReturnType<typeof fakeAccount>) {
    world = new ChatWorld();
    world.bobSays('hello alice');
    world.live.connect();
    const chat = world.start({ realFiles: true }) as unknown as ChatSession;
    const access = account.make(world);
    controller = new TuiController({
      chat,
      user: { id: world.alice.user.id, username: 'alice' },
      actions: sessionActions(chat, { account: { access, origin: 'http://abc.onion' } }),
      screen,
      onQuit: () => {},
    });
    controller.start();
    await vi.waitFor(() => expect(screen.text).toContain('hello alice'));
    return chat;
  }

  const press = (...keys: Key[]) => keys.forEach((key) => controller!.key(key));
  const enter: Key = { name: 'enter' };
  const inputLine = (screen: ArrayScreen) => screen.lines.at(-1)!;

  it('/passphrase asks three times with the input hidden; no passphrase is ever drawn, kept or sent', async () => {
    const screen = new ArrayScreen();
    const account = fakeAccount();
    const chat = await start(screen, account);
    const saved = vi.spyOn(chat, 'saveNow');
    const replaced = vi.spyOn(chat, 'replaceVault');
    press(...type('/passphrase'), enter);
    await vi.waitFor(() => expect(inputLine(screen)).toMatch(/^Current passphrase: +typed hidden/));
    press(...type(OLD));
    expect(inputLine(screen)).toBe(`Current passphrase: ${'•'.repeat(OLD.length)}`.padEnd(100));
    press(enter);
    expect(inputLine(screen)).toMatch(/^New passphrase: /);
    // Too short, then not the same twice: the core's sentence, and the new one is asked again.
    press(...type('short'), enter);
    expect(controller!.state.notices.at(-1)).toEqual({
      text: 'A passphrase needs at least 12 characters; a few unrelated words work well.',
      kind: 'error',
    });
    expect(controller!.state.prompt).toBe('New passphrase:');
    press(...type(NEW), enter);
    expect(controller!.state.prompt).toBe('Again:');
    press(...type(`${NEW}!`), enter);
    expect(controller!.state.notices.at(-1)).toEqual({ text: MISMATCH, kind: 'error' });
    press(...type(NEW), enter, ...type(NEW), enter);
    // Key derivation takes a while: the chat says so meanwhile, and the line is for messages again.
    await vi.waitFor(() => expect(screen.text).toContain(CHANGING));
    expect(controller!.state.prompt).toBeNull();
    expect(inputLine(screen)).toMatch(/^> /);
    account.release();
    await vi.waitFor(() => expect(controller!.state.notices.at(-1)).toEqual({ text: CHANGED, kind: 'info' }));

    expect(saved).toHaveBeenCalled();
    // The re-sealed vault replaces the old one, in the chat and in the account (which
    // wipes it and the identity it signs with at log-out).
    expect(replaced).toHaveBeenCalledWith(account.resealed.vault);
    expect(account.useResealed).toHaveBeenCalledWith(
      expect.objectContaining({ vault: account.resealed.vault, identity: account.resealed.identity }),
    );
    expect(account.resealed.vault.wipe).not.toHaveBeenCalled();
    expect(account.resealed.identity!.signSeed.some((byte) => byte !== 0)).toBe(true);
    expect(world.alice.identity.signSeed.some((byte) => byte !== 0)).toBe(true);
    expect(account.flows.changePassphrase).toHaveBeenCalledTimes(1);
    expect(account.flows.changePassphrase.mock.calls[0]!.slice(2, 4)).toEqual([OLD, NEW]);
    for (const secret of [OLD, NEW, 'short', 'copper', 'lanterns']) {
      expect(screen.frames.some((frame) => frame.includes(secret))).toBe(false);
      expect(JSON.stringify(controller!.state)).not.toContain(secret);
    }
    expect(world.messages).toHaveLength(1);
  });

  it('Esc cancels the prompt and forgets what was typed; the line sends messages again', async () => {
    const screen = new ArrayScreen();
    const account = fakeAccount();
    await start(screen, account);
    press(...type('/passphrase'), enter);
    await vi.waitFor(() => expect(controller!.state.prompt).toBe('Current passphrase:'));
    press(...type(OLD), enter, ...type('half a new one'), { name: 'escape' });
    expect(controller!.state).toMatchObject({ prompt: null, input: '', cursor: 0 });
    expect(controller!.state.notices.at(-1)).toEqual({ text: CANCELLED, kind: 'info' });
    // The line is for messages again.
    press(...type('hi bob'), enter);
    await vi.waitFor(() => expect(world.messages).toHaveLength(2));
    expect(account.flows.changePassphrase).not.toHaveBeenCalled();
    expect(screen.frames.some((frame) => frame.includes('half a new'))).toBe(false);
  });

  it('a wrong current passphrase gets the core’s sentence', async () => {
    const screen = new ArrayScreen();
    const account = fakeAccount();
    account.release();
    await start(screen, account);
    await controller!.submit('/passphrase');
    press(...type('not the passphrase'), enter, ...type(NEW), enter, ...type(NEW), enter);
    await vi.waitFor(() =>
      expect(controller!.state.notices.at(-1)).toEqual({ text: 'Your current passphrase is wrong.', kind: 'error' }),
    );
  });

  it('/sessions shows them in the panel until Esc; /end ends one or the others; /me shows the link', async () => {
    const screen = new ArrayScreen(110, 32);
    const account = fakeAccount();
    await start(screen, account);
    await controller!.submit('/sessions');
    expect(screen.text).toContain('Your sessions (2), this chat’s first:');
    expect(screen.text.indexOf(THIS_ONE)).toBeLessThan(screen.text.indexOf(OTHER));
    expect(screen.text).toContain(`${THIS_ONE}  ← this chat`);
    expect(screen.text).toContain('last seen 5 hours ago');
    press({ name: 'escape' });
    expect(screen.text).not.toContain('Your sessions');
    expect(screen.text).toContain('hello alice');

    await controller!.submit(`/end ${THIS_ONE.slice(0, 8)}`);
    expect(controller!.state.notices.at(-1)).toEqual({
      text: 'That is this chat’s own session: /quit ends it.',
      kind: 'error',
    });
    await controller!.submit('/end 3333');
    expect(controller!.state.notices.at(-1)!.text).toBe('There is no session “3333”. Type /sessions to see them.');
    await controller!.submit('/end others');
    expect(controller!.state.notices.at(-1)).toEqual({ text: 'Ended 1 other session.', kind: 'info' });
    expect(account.flows.endSession).toHaveBeenCalledWith(OTHER);

    await controller!.submit('/me');
    expect(screen.text).toContain('Your contact link:');
    expect(screen.text).toMatch(/http:\/\/abc\.onion\/chat\/#add=alice&fp=/);
  });

  it('without the account, the account commands say where to go instead', async () => {
    const screen = new ArrayScreen();
    world = new ChatWorld();
    world.live.connect();
    const chat = world.start({ realFiles: true }) as unknown as ChatSession;
    controller = new TuiController({
      chat,
      user: { id: world.alice.user.id, username: 'alice' },
      actions: sessionActions(chat),
      screen,
      onQuit: () => {},
    });
    controller.start();
    await controller.submit('/sessions');
    expect(controller.state.notices.at(-1)).toEqual({
      text: 'The account can’t be reached from here: use onionchat sessions, passphrase or login.',
      kind: 'error',
    });
  });
});
