// Keys as a pure reducer: (state, key, what is on screen) → new state and what to do.
// Tab switches panes, Up/Down select a conversation (or scroll in the conversation),
// PgUp/PgDn page through the history (asking for older messages at the top), Enter
// submits the input line (or opens the selected conversation), Ctrl-C quits. While the
// input line asks for a passphrase (or a yes or no), Enter answers and Esc cancels: what
// was typed leaves the state with the answer, and never as something to send.

import type { UiState } from './ui-state.js';

export type KeyName =
  | 'tab'
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'left'
  | 'right'
  | 'enter'
  | 'backspace'
  | 'delete'
  | 'escape'
  | 'ctrlC'
  | 'ctrlL';

export type Key = { name: KeyName } | { name: 'char'; char: string };

/** What the reducer needs to know of the screen. */
export interface KeyContext {
  /** The conversations in list order (room ids). */
  roomIds: readonly string[];
  /** Lines the open conversation's history takes, and how many fit on screen. */
  historyLines: number;
  historyHeight: number;
}

export type KeyEffect =
  | { kind: 'submit'; text: string }
  /** What was typed at the prompt, as typed (not trimmed: spaces can be part of a passphrase). */
  | { kind: 'answer'; text: string }
  | { kind: 'cancelPrompt' }
  | { kind: 'open'; roomId: string }
  | { kind: 'loadOlder' }
  | { kind: 'quit' }
  | { kind: 'redraw' };

export interface KeyResult {
  state: UiState;
  effects: KeyEffect[];
}

export function maxScroll(context: Pick<KeyContext, 'historyLines' | 'historyHeight'>): number {
  return Math.max(0, context.historyLines - context.historyHeight);
}

export function reduceKey(state: UiState, key: Key, context: KeyContext): KeyResult {
  const done = (next: UiState, ...effects: KeyEffect[]): KeyResult => ({ state: next, effects });
  const page = Math.max(1, context.historyHeight - 1);
  const chars = [...state.input];

  switch (key.name) {
    case 'ctrlC':
      return done(state, { kind: 'quit' });
    case 'ctrlL':
      return done(state, { kind: 'redraw' });
    case 'tab':
      return done({ ...state, focus: state.focus === 'list' ? 'conversation' : 'list', panel: null });
    case 'escape':
      if (state.prompt !== null) {
        return done({ ...cleared(state), prompt: null, promptShown: false }, { kind: 'cancelPrompt' });
      }
      if (state.panel) return done({ ...state, panel: null });
      return done({ ...state, focus: 'list' });
    case 'up':
    case 'down': {
      const step = key.name === 'up' ? -1 : 1;
      if (state.focus === 'list') return select(state, context, step);
      return scrollBy(state, context, -step);
    }
    case 'pageUp':
      return scrollBy(state, context, page);
    case 'pageDown':
      return scrollBy(state, context, -page);
    case 'enter': {
      if (state.prompt !== null) {
        // A question shown as typed takes Enter on nothing as its answer (no); a passphrase does not.
        return state.input.length > 0 || state.promptShown
          ? done(cleared(state), { kind: 'answer', text: state.input })
          : done(state);
      }
      const text = state.input.trim();
      if (text.length > 0) return done({ ...cleared(state), panel: null }, { kind: 'submit', text });
      if (state.focus === 'list' && state.selectedRoomId) {
        return done({ ...state, focus: 'conversation', scroll: 0 }, { kind: 'open', roomId: state.selectedRoomId });
      }
      return done(state);
    }
    case 'backspace':
      if (state.cursor === 0) return done(state);
      chars.splice(state.cursor - 1, 1);
      return done({ ...state, input: chars.join(''), cursor: state.cursor - 1 });
    case 'delete':
      if (state.cursor >= chars.length) return done(state);
      chars.splice(state.cursor, 1);
      return done({ ...state, input: chars.join('') });
    case 'left':
      return done({ ...state, cursor: Math.max(0, state.cursor - 1) });
    case 'right':
      return done({ ...state, cursor: Math.min(chars.length, state.cursor + 1) });
    case 'home':
      if (state.input.length === 0 && state.focus === 'conversation') return scrollBy(state, context, Infinity);
      return done({ ...state, cursor: 0 });
    case 'end':
      if (state.input.length === 0 && state.focus === 'conversation') return done({ ...state, scroll: 0 });
      return done({ ...state, cursor: chars.length });
    case 'char': {
      // Pasted text arrives as one key; no newlines or controls in the input line.
      // eslint-disable-next-line no-control-regex
      const typed = [...key.char.replace(/[\u0000-\u001F\u007F-\u009F]/g, ' ')];
      if (typed.length === 0) return done(state);
      chars.splice(state.cursor, 0, ...typed);
      return done({ ...state, input: chars.join(''), cursor: state.cursor + typed.length });
    }
  }
}

function cleared(state: UiState): UiState {
  return { ...state, input: '', cursor: 0 };
}

function select(state: UiState, context: KeyContext, step: number): KeyResult {
  const ids = context.roomIds;
  if (ids.length === 0) return { state, effects: [] };
  const at = state.selectedRoomId ? ids.indexOf(state.selectedRoomId) : -1;
  const next = at < 0 ? (step > 0 ? 0 : ids.length - 1) : Math.min(ids.length - 1, Math.max(0, at + step));
  const roomId = ids[next]!;
  if (roomId === state.selectedRoomId) return { state, effects: [] };
  return { state: { ...state, selectedRoomId: roomId, scroll: 0 }, effects: [{ kind: 'open', roomId }] };
}

/** Scrolls back (positive) or forward (negative); reaching the top asks for older messages. */
function scrollBy(state: UiState, context: KeyContext, lines: number): KeyResult {
  if (!state.selectedRoomId) return { state, effects: [] };
  const top = maxScroll(context);
  const wanted = state.scroll + lines;
  const scroll = Math.min(top, Math.max(0, wanted));
  const effects: KeyEffect[] = lines > 0 && wanted >= top ? [{ kind: 'loadOlder' }] : [];
  return { state: { ...state, scroll }, effects };
}

const TERMINAL_KEYS: Record<string, KeyName> = {
  TAB: 'tab',
  UP: 'up',
  DOWN: 'down',
  PAGE_UP: 'pageUp',
  PAGE_DOWN: 'pageDown',
  HOME: 'home',
  END: 'end',
  LEFT: 'left',
  RIGHT: 'right',
  ENTER: 'enter',
  KP_ENTER: 'enter',
  BACKSPACE: 'backspace',
  DELETE: 'delete',
  ESCAPE: 'escape',
  CTRL_C: 'ctrlC',
  CTRL_D: 'ctrlC',
  CTRL_L: 'ctrlL',
};

/** A terminal-kit key event (name, and whether it is a printable character) as a Key; null: ignored. */
export function keyFromTerminal(name: string, data?: { isCharacter?: boolean }): Key | null {
  if (data?.isCharacter) return { name: 'char', char: name };
  const mapped = TERMINAL_KEYS[name];
  return mapped ? { name: mapped } : null;
}
