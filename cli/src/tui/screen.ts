// The terminal itself, through terminal-kit (pure JS, no WebAssembly): the alternate
// screen, raw keys, drawing the lines layer 1 produced, and giving the terminal back
// as it was (also after an error or a signal).

import type { Readable, Writable } from 'node:stream';
import termkit from 'terminal-kit';
import type { Key } from './keys.js';
import { keyFromTerminal } from './keys.js';
import type { Line, Style } from './lines.js';
import { textWidth } from './text.js';

type Terminal = ReturnType<typeof termkit.createTerminal>;

export interface ScreenOptions {
  input?: Readable;
  output?: Writable;
}

export class Screen {
  readonly term: Terminal;
  private started = false;
  private previous: string[] = [];
  private readonly onKeyEvent: (name: string, matches: string[], data: { isCharacter?: boolean }) => void;
  private readonly onResizeEvent: () => void;

  constructor(
    options: ScreenOptions,
    private readonly onKey: (key: Key) => void,
    private readonly onResize: () => void,
  ) {
    this.term =
      options.input || options.output
        ? termkit.createTerminal({
            stdin: options.input ?? process.stdin,
            stdout: options.output ?? process.stdout,
            appId: 'onionchat',
            appName: 'OnionChat',
            isTTY: true,
          })
        : termkit.terminal;
    this.onKeyEvent = (name, _matches, data) => {
      const key = keyFromTerminal(name, data);
      if (key) this.onKey(key);
    };
    this.onResizeEvent = () => {
      this.previous = [];
      this.onResize();
    };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.term.fullscreen(true);
    this.term.grabInput(true);
    this.term.on('key', this.onKeyEvent);
    this.term.on('resize', this.onResizeEvent);
    this.term.styleReset();
    this.term.clear();
  }

  /** Gives the terminal back: main screen, cursor shown, input released. Safe to call twice. */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.term.off('key', this.onKeyEvent);
    this.term.off('resize', this.onResizeEvent);
    this.term.grabInput(false);
    this.term.styleReset();
    this.term.hideCursor(false);
    this.term.fullscreen(false);
  }

  size(): { width: number; height: number } {
    return { width: this.term.width || 80, height: this.term.height || 24 };
  }

  clear(): void {
    this.previous = [];
    this.term.clear();
  }

  /** Draws the lines (only those that changed) and puts the cursor on the input line. */
  draw(lines: Line[], cursor: { x: number; y: number }): void {
    if (!this.started) return;
    const term = this.term;
    term.hideCursor(true);
    lines.forEach((value, row) => {
      const key = JSON.stringify(value);
      if (this.previous[row] === key) return;
      this.previous[row] = key;
      term.moveTo(1, row + 1);
      for (const segment of value) {
        if (segment.text.length === 0) continue;
        styled(term, segment.style).noFormat(segment.text);
        term.styleReset();
      }
      // Whatever a wide character the terminal measured differently left behind.
      const width = value.reduce((sum, segment) => sum + textWidth(segment.text), 0);
      if (width < this.size().width) term.eraseLineAfter();
    });
    this.previous.length = lines.length;
    term.moveTo(cursor.x + 1, cursor.y + 1);
    term.hideCursor(false);
  }
}

function styled(term: Terminal, style: Style): Terminal {
  switch (style) {
    case 'normal':
      return term;
    case 'dim':
      return term.dim;
    case 'bold':
      return term.bold;
    case 'accent':
      return term.cyan;
    case 'ok':
      return term.green;
    case 'warn':
      return term.yellow;
    case 'danger':
      return term.bold.red;
    case 'selected':
      return term.bold.inverse;
    case 'inverse':
      return term.inverse;
  }
}
