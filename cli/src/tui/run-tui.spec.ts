// The terminal driver end to end, on streams instead of a terminal: it takes the
// alternate screen, draws the chat, reads keys, and gives the terminal back on quit.

import { PassThrough } from 'node:stream';
import type { ChatSession } from '@onionchat/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatWorld } from '../../../client/src/test-support/chat-world.js';
import { runTui } from './run-tui.js';

function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  Object.assign(output, { columns: 100, rows: 30, isTTY: true });
  return { input, output, written: () => written };
}

describe('runTui', () => {
  let world: ChatWorld;
  afterEach(() => world?.session?.stop());

  /** Alice's chat with what Bob said, in the full-screen UI on a fake terminal. */
  function startWith(bobSays: string) {
    world = new ChatWorld();
    world.bobSays(bobSays);
    world.live.connect();
    const chat = world.start({ realFiles: true }) as unknown as ChatSession;
    const term = terminal();
    const done = runTui({
      chat,
      user: { id: world.alice.user.id, username: 'alice' },
      input: term.input,
      output: term.output,
    });
    return { term, done };
  }

  it('draws the conversation on the alternate screen and restores the terminal on Ctrl-C', async () => {
    const { term, done } = startWith('hello from bob');
    await vi.waitFor(() => expect(term.written()).toContain('hello from bob'));
    expect(term.written()).toContain('\x1b[?1049h');
    term.input.write('\x03');
    await done;
    expect(term.written().lastIndexOf('\x1b[?1049l')).toBeGreaterThan(term.written().indexOf('hello from bob'));
  });

  it('sends a typed message, and quits with /quit', async () => {
    const { term, done } = startWith('hi');
    await vi.waitFor(() => expect(term.written()).toContain('hi'));
    term.input.write('typed here\r');
    await vi.waitFor(() => expect(world.messages).toHaveLength(2));
    term.input.write('/quit\r');
    await done;
  });

  it('gives the terminal back when told to stop from outside (the session was lost)', async () => {
    world = new ChatWorld();
    world.live.connect();
    const chat = world.start({ realFiles: true }) as unknown as ChatSession;
    const term = terminal();
    const stop = new AbortController();
    const done = runTui({
      chat,
      user: { id: world.alice.user.id, username: 'alice' },
      input: term.input,
      output: term.output,
      signal: stop.signal,
    });
    await vi.waitFor(() => expect(term.written()).toContain('\x1b[?1049h'));
    stop.abort();
    await done;
    expect(term.written()).toContain('\x1b[?1049l');
  });
});
