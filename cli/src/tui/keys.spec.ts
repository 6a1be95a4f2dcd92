import { describe, expect, it } from 'vitest';
import { keyFromTerminal, reduceKey, type Key, type KeyContext } from './keys.js';
import { initialUiState, type UiState } from './ui-state.js';

const context: KeyContext = { roomIds: ['r1', 'r2', 'r3'], historyLines: 100, historyHeight: 21 };
const state = (overrides: Partial<UiState> = {}): UiState => ({ ...initialUiState(), ...overrides });
const press = (ui: UiState, ...keys: Key[]) => {
  let current = { state: ui, effects: [] as ReturnType<typeof reduceKey>['effects'] };
  const effects = [];
  for (const key of keys) {
    current = reduceKey(current.state, key, context);
    effects.push(...current.effects);
  }
  return { state: current.state, effects };
};
const type = (text: string): Key[] => [...text].map((char) => ({ name: 'char', char }));

describe('key reducer', () => {
  it('Tab switches panes', () => {
    expect(press(state(), { name: 'tab' }).state.focus).toBe('conversation');
    expect(press(state(), { name: 'tab' }, { name: 'tab' }).state.focus).toBe('list');
  });

  it('Up/Down select conversations in the list, opening each, and stop at the ends', () => {
    const down = press(state({ selectedRoomId: 'r1' }), { name: 'down' });
    expect(down.state.selectedRoomId).toBe('r2');
    expect(down.effects).toEqual([{ kind: 'open', roomId: 'r2' }]);
    expect(press(state({ selectedRoomId: 'r3' }), { name: 'down' })).toEqual({
      state: state({ selectedRoomId: 'r3' }),
      effects: [],
    });
    expect(
      press(state({ selectedRoomId: 'r2' }), { name: 'up' }, { name: 'up' }, { name: 'up' }).state.selectedRoomId,
    ).toBe('r1');
    expect(press(state(), { name: 'down' }).state.selectedRoomId).toBe('r1');
  });

  it('Up/Down scroll the history when the conversation has focus', () => {
    const ui = state({ selectedRoomId: 'r1', focus: 'conversation' });
    const up = press(ui, { name: 'up' }, { name: 'up' });
    expect(up.state.scroll).toBe(2);
    expect(up.state.selectedRoomId).toBe('r1');
    expect(press(up.state, { name: 'down' }).state.scroll).toBe(1);
    expect(press(ui, { name: 'down' }).state.scroll).toBe(0);
  });

  it('PgUp/PgDn page through the history and ask for older messages at the top', () => {
    const ui = state({ selectedRoomId: 'r1' });
    const one = press(ui, { name: 'pageUp' });
    expect(one.state.scroll).toBe(20);
    expect(one.effects).toEqual([]);
    const top = press(ui, ...Array.from({ length: 5 }, (): Key => ({ name: 'pageUp' })));
    expect(top.state.scroll).toBe(79);
    expect(top.effects).toContainEqual({ kind: 'loadOlder' });
    expect(press(one.state, { name: 'pageDown' }).state.scroll).toBe(0);
    // Landing exactly on the top line asks too; one line short of it does not.
    expect(reduceKey(ui, { name: 'pageUp' }, { ...context, historyLines: 41 }).effects).toEqual([
      { kind: 'loadOlder' },
    ]);
    expect(reduceKey(ui, { name: 'pageUp' }, { ...context, historyLines: 42 }).effects).toEqual([]);
    // A short history: the first PgUp already reaches the top.
    expect(reduceKey(ui, { name: 'pageUp' }, { ...context, historyLines: 5 }).effects).toEqual([{ kind: 'loadOlder' }]);
  });

  it('typing edits the input line and Enter submits it', () => {
    const typed = press(state(), ...type('helo'), { name: 'left' }, ...type('l'), { name: 'end' }, ...type('!'));
    expect(typed.state.input).toBe('hello!');
    const edited = press(typed.state, { name: 'backspace' }, { name: 'home' }, { name: 'delete' });
    expect(edited.state.input).toBe('ello');
    const sent = press(typed.state, { name: 'enter' });
    expect(sent.effects).toEqual([{ kind: 'submit', text: 'hello!' }]);
    expect(sent.state.input).toBe('');
    expect(sent.state.cursor).toBe(0);
  });

  it('handles wide characters and pasted control characters in the input line', () => {
    const typed = press(state(), { name: 'char', char: '漢字👍' }, { name: 'backspace' });
    expect(typed.state.input).toBe('漢字');
    expect(press(state(), { name: 'char', char: 'a\u001bb' }).state.input).toBe('a b');
  });

  it('Enter on an empty line opens the selected conversation from the list', () => {
    const result = press(state({ selectedRoomId: 'r2' }), { name: 'enter' });
    expect(result.state.focus).toBe('conversation');
    expect(result.effects).toEqual([{ kind: 'open', roomId: 'r2' }]);
    expect(press(state({ focus: 'conversation' }), { name: 'enter' }).effects).toEqual([]);
  });

  it('Ctrl-C quits, Esc goes back to the list (closing help first)', () => {
    expect(press(state({ input: 'draft' }), { name: 'ctrlC' }).effects).toEqual([{ kind: 'quit' }]);
    const help = state({ focus: 'conversation', panel: ['Commands'] });
    expect(press(help, { name: 'escape' }).state).toMatchObject({ panel: null, focus: 'conversation' });
    expect(press(help, { name: 'escape' }, { name: 'escape' }).state.focus).toBe('list');
  });

  it('at a prompt, Enter hands over what was typed (untrimmed) and never submits it', () => {
    const asking = state({ prompt: 'New passphrase:', input: 'draft', cursor: 5 });
    const typed = press(asking, { name: 'backspace' }, ...type('t moths '), { name: 'left' }, { name: 'right' });
    expect(typed.state.input).toBe('draft moths ');
    const answered = press(typed.state, { name: 'enter' });
    expect(answered.effects).toEqual([{ kind: 'answer', text: 'draft moths ' }]);
    expect(answered.state).toMatchObject({ input: '', cursor: 0, prompt: 'New passphrase:' });
    expect(JSON.stringify(answered.state)).not.toContain('moths');
    // Nothing typed: Enter waits.
    expect(press(state({ prompt: 'Again:' }), { name: 'enter' }).effects).toEqual([]);
    // A slash is part of the passphrase, not a command.
    expect(press(state({ prompt: 'Again:', input: '/quit' }), { name: 'enter' }).effects).toEqual([
      { kind: 'answer', text: '/quit' },
    ]);
  });

  it('at a yes-or-no question, Enter on nothing answers (no), and Esc cancels it', () => {
    const asking = state({ prompt: 'Leave “Hikers”? (y/N)', promptShown: true });
    expect(press(asking, { name: 'enter' }).effects).toEqual([{ kind: 'answer', text: '' }]);
    expect(press(asking, ...type('y'), { name: 'enter' }).effects).toEqual([{ kind: 'answer', text: 'y' }]);
    const cancelled = press(asking, { name: 'escape' });
    expect(cancelled.effects).toEqual([{ kind: 'cancelPrompt' }]);
    expect(cancelled.state).toMatchObject({ prompt: null, promptShown: false });
  });

  it('at a prompt, Esc cancels it and forgets what was typed, before closing a panel', () => {
    const asking = state({ prompt: 'Current passphrase:', input: 'secret words', cursor: 12, panel: ['Commands'] });
    const cancelled = press(asking, { name: 'escape' });
    expect(cancelled.effects).toEqual([{ kind: 'cancelPrompt' }]);
    expect(cancelled.state).toMatchObject({ prompt: null, input: '', cursor: 0, panel: ['Commands'] });
    expect(press(cancelled.state, { name: 'escape' }).state.panel).toBeNull();
  });

  it('maps terminal-kit key names', () => {
    expect(keyFromTerminal('PAGE_UP')).toEqual({ name: 'pageUp' });
    expect(keyFromTerminal('CTRL_C')).toEqual({ name: 'ctrlC' });
    expect(keyFromTerminal('x', { isCharacter: true })).toEqual({ name: 'char', char: 'x' });
    expect(keyFromTerminal('F12')).toBeNull();
  });
});
