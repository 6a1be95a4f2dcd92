import { describe, expect, it, vi } from 'vitest';
import { ASK, CANCELLED, CHANGED, CHANGING, PassphrasePrompt } from './passphrase-prompt.js';

const NEW = 'copper moths above the tide';

function prompt(change = vi.fn(async () => {})) {
  const asked: (string | null)[] = [];
  const notices: { text: string; kind: string }[] = [];
  const flow = new PassphrasePrompt(
    'alice',
    { changePassphrase: change },
    { ask: (label) => asked.push(label), notice: (text, kind) => notices.push({ text, kind }) },
  );
  return { flow, asked, notices, change };
}

describe('the passphrase prompt', () => {
  it('asks the current, the new and the new again, then changes it once', async () => {
    const { flow, asked, notices, change } = prompt();
    flow.start();
    await flow.answer(' old one ');
    await flow.answer(NEW);
    await flow.answer(NEW);
    expect(asked).toEqual([ASK.current, ASK.next, ASK.again, null]);
    expect(change).toHaveBeenCalledWith(' old one ', NEW, expect.any(Function));
    expect(notices).toEqual([
      { text: CHANGING, kind: 'info' },
      { text: CHANGED, kind: 'info' },
    ]);
  });

  it('refuses the username in the new passphrase with the core’s sentence, and asks again', async () => {
    const { flow, asked, notices } = prompt();
    flow.start();
    await flow.answer('old');
    await flow.answer('alice and her long passphrase');
    expect(asked.at(-1)).toBe(ASK.next);
    expect(notices).toEqual([{ text: 'A passphrase must not contain your username.', kind: 'error' }]);
  });

  it('answers nothing once cancelled, and says so once', async () => {
    const { flow, notices, change } = prompt();
    flow.start();
    await flow.answer('old');
    flow.cancel();
    flow.cancel();
    await flow.answer(NEW);
    expect(notices).toEqual([{ text: CANCELLED, kind: 'info' }]);
    expect(change).not.toHaveBeenCalled();
  });

  it('does not start again while a change is under way', async () => {
    let finish = () => {};
    const { flow, notices } = prompt(vi.fn(() => new Promise<void>((resolve) => (finish = resolve))));
    flow.start();
    await flow.answer('old');
    await flow.answer(NEW);
    const changing = flow.answer(NEW);
    flow.start();
    expect(notices.at(-1)).toEqual({ text: 'Your passphrase is being changed already.', kind: 'error' });
    finish();
    await changing;
    expect(notices.at(-1)).toEqual({ text: CHANGED, kind: 'info' });
  });
});
