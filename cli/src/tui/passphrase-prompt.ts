// /passphrase asks three things on the input line, each typed hidden: the current
// passphrase, the new one (checked at once with the core's rules, so a weak one is
// asked again before anything slow happens) and the new one again. The answers stay in
// here, never in the UI state, a notice or the screen, and are dropped as soon as the
// change is made, fails or is cancelled.

import { describeError, sayPassphraseProblem } from '@onionchat/client';
import type { AccountActions } from './account-commands.js';

export const ASK = {
  current: 'Current passphrase:',
  next: 'New passphrase:',
  again: 'Again:',
} as const;

export const MISMATCH = 'The two new passphrases don’t match. Type the new one again.';
export const CANCELLED = 'Your passphrase was not changed.';
export const CHANGING = 'Changing your passphrase…';
export const CHANGED = 'Your passphrase was changed. Use the new one from now on. Your other sessions were logged out.';

type Question = keyof typeof ASK;

/** What the prompt needs of the controller. */
export interface PromptHost {
  /** Asks `label` on the input line (typed hidden), or gives the line back to messages (null). */
  ask(label: string | null): void;
  notice(text: string, kind: 'info' | 'error'): void;
}

export class PassphrasePrompt {
  private question: Question | null = null;
  private current = '';
  private next = '';
  private changing = false;

  constructor(
    private readonly username: string,
    private readonly actions: Pick<AccountActions, 'changePassphrase'>,
    private readonly host: PromptHost,
  ) {}

  start(): void {
    if (this.changing) return this.host.notice('Your passphrase is being changed already.', 'error');
    this.forget();
    this.askFor('current');
  }

  /** One answer typed at the prompt; resolves once a change it started has finished (tests wait for it). */
  async answer(text: string): Promise<void> {
    switch (this.question) {
      case null:
        return;
      case 'current':
        this.current = text;
        return this.askFor('next');
      case 'next': {
        const problem = sayPassphraseProblem(text, this.username);
        if (problem) return this.askFor('next', problem);
        this.next = text;
        return this.askFor('again');
      }
      case 'again':
        if (text !== this.next) {
          this.next = '';
          return this.askFor('next', MISMATCH);
        }
        return this.change();
    }
  }

  /** Esc at the prompt (the input line is already cleared). */
  cancel(): void {
    if (this.question === null) return;
    this.forget();
    this.host.notice(CANCELLED, 'info');
  }

  /** Drops whatever was typed (the chat is closing). */
  forget(): void {
    this.question = null;
    this.current = '';
    this.next = '';
  }

  private askFor(question: Question, problem?: string): void {
    this.question = question;
    this.host.ask(ASK[question]);
    if (problem) this.host.notice(problem, 'error');
  }

  private async change(): Promise<void> {
    const { current, next } = this;
    this.forget();
    this.host.ask(null);
    this.changing = true;
    this.host.notice(CHANGING, 'info');
    try {
      // The core's steps say why it takes a while ("Deriving keys…").
      await this.actions.changePassphrase(current, next, (step) => this.host.notice(`${CHANGING} ${step}`, 'info'));
      this.host.notice(CHANGED, 'info');
    } catch (caught) {
      this.host.notice(describeError(caught), 'error');
    } finally {
      this.changing = false;
    }
  }
}
