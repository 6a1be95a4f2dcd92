// The TUI's controller over a real ChatSession (the client core's chat world: real
// crypto, a fake server), drawing into an array instead of a terminal.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatSession } from '@onionchat/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatWorld } from '../../../client/src/test-support/chat-world.js';
import { TuiController } from './controller.js';
import type { Key } from './keys.js';
import { lineText, type Line } from './lines.js';
import { sessionActions } from './session-actions.js';

class ArrayScreen {
  lines: string[] = [];
  constructor(
    private readonly width = 100,
    private readonly height = 30,
  ) {}
  size() {
    return { width: this.width, height: this.height };
  }
  draw(lines: Line[]) {
    this.lines = lines.map(lineText);
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
    expect(controller!.state).toMatchObject({ selectedRoomId: world.roomId, focus: 'conversation', help: false });
    await controller!.submit('/quit');
    controller!.key({ name: 'ctrlC' });
    expect(onQuit).toHaveBeenCalledTimes(2);
  });
});
