// What the sign-up and change-passphrase forms say under a new passphrase and its
// confirmation while it is being typed.

import { ACCOUNT_PHRASES } from '../account/account-phrases.js';
import { sayer } from './phrasebook.js';

const say = sayer(ACCOUNT_PHRASES);

export type FeedbackTone = 'neutral' | 'good' | 'warn' | 'bad';

/** A line under a form field, and how it reads. */
export interface Feedback {
  text: string;
  tone: FeedbackTone;
}

export function newPassphraseFeedback(value: string, problem: string | null, touched: boolean): Feedback | null {
  if (value.length === 0) return null;
  if (problem) return { text: problem, tone: touched ? 'bad' : 'warn' };
  return { text: say('account.feedback.passphraseGood'), tone: 'good' };
}

export function confirmationFeedback(confirm: string, value: string, touched: boolean): Feedback | null {
  if (confirm.length === 0) return null;
  if (confirm !== value) return { text: say('account.feedback.passphrasesDiffer'), tone: touched ? 'bad' : 'warn' };
  return { text: say('account.feedback.passphrasesMatch'), tone: 'good' };
}
