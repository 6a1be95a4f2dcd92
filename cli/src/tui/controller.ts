// The TUI's logic between the core and a screen: keeps the UI state, turns keys and
// typed commands into calls on the chat, lays the screen out again whenever the
// session or the file transfers change, and tells the core which conversation is on
// screen and what has been read. /passphrase's questions are ./passphrase-prompt.ts's;
// a yes-or-no question (/leave) is asked here.
// No terminal in here: a screen is anything that draws lines (./screen.ts with
// terminal-kit; tests use an array).

import { allConversations, describeError, type ChatSession, type RoomState } from '@onionchat/client';
import { parseInput, runCommand, type Confirmation, type TuiActions } from './commands.js';
import { reduceKey, type Key } from './keys.js';
import { layout, type Layout } from './layout.js';
import type { Line } from './lines.js';
import { PassphrasePrompt } from './passphrase-prompt.js';
import { initialUiState, withNotice, type UiState } from './ui-state.js';

export type ChatLike = Pick<
  ChatSession,
  'subscribe' | 'getSnapshot' | 'setActiveRoom' | 'markRead' | 'loadOlder' | 'files'
>;

export interface ScreenLike {
  size(): { width: number; height: number };
  draw(lines: Line[], cursor: { x: number; y: number }): void;
  /** Forget what is on screen and draw everything again. */
  clear?(): void;
}

export interface ControllerOptions {
  chat: ChatLike;
  user: { id: string; username: string };
  actions: TuiActions;
  screen: ScreenLike;
  /** The person quit (/quit, Ctrl-C). */
  onQuit: () => void;
  now?: () => number;
}

export class TuiController {
  private ui: UiState = initialUiState();
  private last: Layout | null = null;
  private scheduled = false;
  private stopped = false;
  private readonly marked = new Map<string, number>();
  /** The conversations listed at the last drawing. */
  private listed = new Set<string>();
  /** Files of the open conversation the core keeps an eye on (it may still be receiving them), by id. */
  private readonly watched = new Map<string, () => void>();
  private readonly cleanups: (() => void)[] = [];
  private readonly passphrase: PassphrasePrompt;
  /** The yes-or-no question on the input line, while one is asked. */
  private confirming: Confirmation | null = null;

  constructor(private readonly options: ControllerOptions) {
    this.passphrase = new PassphrasePrompt(options.user.username, options.actions, {
      ask: (label) => {
        this.confirming = null;
        this.ui = { ...this.ui, prompt: label, promptShown: false, input: '', cursor: 0 };
        this.schedule();
      },
      notice: (text, kind) => this.notice(text, kind),
    });
  }

  start(): void {
    const { chat } = this.options;
    this.cleanups.push(
      chat.subscribe(() => this.schedule()),
      chat.files.subscribe(() => this.schedule()),
    );
    this.render();
  }

  stop(): void {
    this.stopped = true;
    this.passphrase.forget();
    this.confirming = null;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    for (const unwatch of this.watched.values()) unwatch();
    this.watched.clear();
    this.options.chat.setActiveRoom(null);
  }

  get state(): UiState {
    return this.ui;
  }

  get layout(): Layout | null {
    return this.last;
  }

  /** One redraw per tick, however many changes came in. */
  schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.stopped) this.render();
    });
  }

  render(): Layout {
    const { chat, screen, user } = this.options;
    const snapshot = chat.getSnapshot();
    const size = screen.size();
    // A conversation that is gone (friend removed or blocked, group left) closes; the first one opens by itself.
    // One not listed yet (a group just made) stays open until it is.
    const ids = allConversations(snapshot).map((entry) => entry.roomId);
    const selected = this.ui.selectedRoomId;
    if (selected && snapshot.friends && !ids.includes(selected) && this.listed.has(selected)) {
      this.ui = { ...this.ui, selectedRoomId: null, scroll: 0, focus: 'list' };
    }
    this.listed = new Set(ids);
    const draw = () =>
      layout({
        snapshot,
        ui: this.ui,
        width: size.width,
        height: size.height,
        me: user,
        files: chat.files,
        now: this.options.now?.(),
      });
    let result = draw();
    if (!this.ui.selectedRoomId && result.roomIds.length > 0) {
      this.ui = { ...this.ui, selectedRoomId: result.roomIds[0]! };
      result = draw();
    }
    this.last = result;
    if (result.scroll !== this.ui.scroll) this.ui = { ...this.ui, scroll: result.scroll };
    this.tellCore(result);
    screen.draw(result.lines, result.cursor);
    return result;
  }

  /** The conversation on screen is active; at the bottom of it, the newest message is read. */
  private tellCore(result: Layout): void {
    const { chat } = this.options;
    const roomId = result.panes.conversation && !this.ui.panel ? this.ui.selectedRoomId : null;
    chat.setActiveRoom(roomId);
    const room = roomId ? chat.getSnapshot().rooms.get(roomId) : undefined;
    this.watchFiles(roomId, room);
    if (!roomId || result.scroll > 0) return;
    if (!room || !room.loaded || room.partial) return;
    let newest = 0;
    for (const item of room.items) if (item.seq !== null && item.seq > newest) newest = item.seq;
    if (newest > room.room.lastReadSeq && newest > (this.marked.get(roomId) ?? 0)) {
      this.marked.set(roomId, newest);
      chat.markRead(roomId, newest);
    }
  }

  /** As the web app's file cards do: the stored files on screen are watched until the server has them whole. */
  private watchFiles(roomId: string | null, room: RoomState | undefined): void {
    const wanted = new Set<string>();
    for (const item of room?.items ?? []) {
      if (item.file?.fileId && item.seq !== null && item.state === 'sent') wanted.add(item.file.fileId);
    }
    for (const [fileId, unwatch] of this.watched) {
      if (!wanted.has(fileId)) {
        unwatch();
        this.watched.delete(fileId);
      }
    }
    if (!roomId) return;
    for (const fileId of wanted) {
      if (!this.watched.has(fileId)) this.watched.set(fileId, this.options.chat.files.watchFile(roomId, fileId));
    }
  }

  key(key: Key): void {
    if (this.stopped) return;
    const context = {
      roomIds: this.last?.roomIds ?? [],
      historyLines: this.last?.historyLines ?? 0,
      historyHeight: this.last?.historyHeight ?? 0,
    };
    const { state, effects } = reduceKey(this.ui, key, context);
    this.ui = state;
    for (const effect of effects) {
      switch (effect.kind) {
        case 'quit':
          this.options.onQuit();
          return;
        case 'redraw':
          this.options.screen.clear?.();
          break;
        case 'open':
          break;
        case 'loadOlder':
          this.loadOlder();
          break;
        case 'submit':
          void this.submit(effect.text);
          break;
        case 'answer':
          if (this.confirming) void this.confirmed(effect.text);
          else void this.passphrase.answer(effect.text);
          break;
        case 'cancelPrompt':
          if (this.confirming) void this.confirmed('');
          else this.passphrase.cancel();
          break;
      }
    }
    this.render();
  }

  notice(text: string, kind: 'info' | 'error' = 'info'): void {
    this.ui = withNotice(this.ui, { text, kind });
    this.schedule();
  }

  private loadOlder(): void {
    const roomId = this.ui.selectedRoomId;
    const room = roomId ? this.options.chat.getSnapshot().rooms.get(roomId) : undefined;
    if (!roomId || !room || !room.loaded || room.partial || !room.hasOlder || room.loadingOlder) return;
    this.options.chat
      .loadOlder(roomId)
      .catch((caught: unknown) => this.notice(caught instanceof Error ? caught.message : String(caught), 'error'));
  }

  /** Runs what was typed; resolves once it has been handled (tests wait for it). */
  async submit(text: string): Promise<void> {
    const parsed = parseInput(text);
    const roomId = this.ui.selectedRoomId;
    const snapshot = this.options.chat.getSnapshot();
    const room = roomId ? snapshot.rooms.get(roomId) : undefined;
    const friend = snapshot.friends?.friends.find((entry) => entry.roomId === roomId);
    const peerUser = friend?.user ?? room?.peer ?? null;
    const peer = peerUser ? { id: peerUser.id, username: peerUser.username } : null;
    const outcome = await runCommand(parsed, this.options.actions, {
      roomId,
      room,
      peer,
      friends: snapshot.friends?.friends ?? [],
      me: this.options.user,
      conversations: allConversations(snapshot),
    });
    if (this.stopped) return;
    if (outcome.quit) {
      this.options.onQuit();
      return;
    }
    if (outcome.panel) this.ui = { ...this.ui, panel: outcome.panel, focus: 'conversation' };
    if (outcome.askPassphrase) this.passphrase.start();
    if (outcome.confirm) this.ask(outcome.confirm);
    if (outcome.open)
      this.ui = { ...this.ui, selectedRoomId: outcome.open, focus: 'conversation', scroll: 0, panel: null };
    if (parsed.kind === 'message' && !outcome.error) this.ui = { ...this.ui, scroll: 0 };
    // A message that could not be sent goes back into the input line.
    if (outcome.error && parsed.kind === 'message' && this.ui.input === '') {
      this.ui = { ...this.ui, input: text, cursor: [...text].length };
    }
    if (outcome.error) this.ui = withNotice(this.ui, { text: outcome.error, kind: 'error' });
    else if (outcome.notice) this.ui = withNotice(this.ui, { text: outcome.notice, kind: 'info' });
    this.render();
  }

  /** Asks a yes-or-no question on the input line (what is typed is shown). */
  private ask(confirmation: Confirmation): void {
    this.passphrase.forget();
    this.confirming = confirmation;
    this.ui = { ...this.ui, prompt: confirmation.question, promptShown: true, input: '', cursor: 0 };
    if (confirmation.detail) this.ui = withNotice(this.ui, { text: confirmation.detail, kind: 'info' });
  }

  /** The answer to the question asked (Esc: none); resolves once what it started is done (tests wait for it). */
  private async confirmed(answer: string): Promise<void> {
    const confirmation = this.confirming;
    if (!confirmation) return;
    this.confirming = null;
    this.ui = { ...this.ui, prompt: null, promptShown: false, input: '', cursor: 0 };
    if (!/^\s*y(es)?\s*$/i.test(answer)) {
      this.notice(confirmation.declined);
      return;
    }
    try {
      this.notice(await confirmation.run());
    } catch (caught) {
      this.notice(describeError(caught), 'error');
    }
  }
}
