// The terminal client in a real pseudo-terminal, read back as a person would see it:
// node-pty gives the process a terminal of a fixed size, and a headless xterm.js
// turns what it draws (alternate screen, cursor moves, colours) into lines of text.
// A wait that times out fails with the screen as it stands, so a failing test shows
// what was on the terminal.

import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { CLI_ENTRY } from './cli-process.js';

export interface TerminalOptions {
  cwd: string;
  env?: Record<string, string>;
  cols?: number;
  rows?: number;
}

export interface CliTerminal {
  /** The screen's lines now, trailing spaces trimmed. */
  screen(): string[];
  /** Everything the process wrote, as raw bytes decoded (escape sequences included). */
  transcript(): string;
  /** Types text (a "\r" is Enter). */
  type(text: string): void;
  /** Waits until the screen shows `pattern`; fails with the screen after `timeoutMs`. */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number>;
  kill(signal?: string): void;
}

/** Starts `onionchat <args>` in a pseudo-terminal with a clean environment. */
export function startInTerminal(args: string[], options: TerminalOptions): CliTerminal {
  const cols = options.cols ?? 110;
  const rows = options.rows ?? 32;
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  const child = pty.spawn(process.execPath, [CLI_ENTRY, ...args], {
    name: 'xterm-256color',
    cols,
    rows,
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: options.cwd, TERM: 'xterm-256color', ...options.env },
  });
  let transcript = '';
  child.onData((data) => {
    transcript += data;
    term.write(data);
  });
  const exited = new Promise<number>((resolve) => child.onExit(({ exitCode }) => resolve(exitCode)));

  const screen = () => {
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < rows; y += 1) lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
    return lines;
  };
  const matches = (pattern: string | RegExp) => {
    const text = screen().join('\n');
    return typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
  };
  return {
    screen,
    transcript: () => transcript,
    type: (text) => child.write(text),
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!matches(pattern)) {
        if (Date.now() > deadline) {
          throw new Error(`the terminal never showed ${String(pattern)}; it shows:\n${frame(screen())}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    exited,
    kill: (signal) => child.kill(signal),
  };
}

/** The screen in a box, for failure messages. */
export function frame(lines: string[]): string {
  const width = Math.max(...lines.map((line) => line.length), 10);
  return [`┌${'─'.repeat(width)}┐`, ...lines.map((line) => `│${line.padEnd(width)}│`), `└${'─'.repeat(width)}┘`].join(
    '\n',
  );
}
