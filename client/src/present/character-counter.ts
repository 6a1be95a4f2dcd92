// The composer's character counter: shown only near the limit, marked when very near.

import { MAX_TEXT_CHARS } from '@onionchat/protocol';
import { SENDING_PHRASES } from '../chat/sending-phrases.js';
import { sayer, sayNumber } from './phrasebook.js';

const say = sayer(SENDING_PHRASES);

/** The counter shows from this many characters before the limit. */
export const COUNTER_FROM = MAX_TEXT_CHARS - 500;
/** From this many characters left (or fewer) the counter is marked. */
export const COUNTER_WARN_LEFT = 100;

export interface CharacterCounter {
  /** Shown at all. */
  show: boolean;
  /** "450 characters left" (empty while hidden). */
  text: string;
  /** Close to (or past) the limit: shown as a warning. */
  warn: boolean;
}

/** The counter for a message of `length` characters (UTF-16 code units, as the textarea counts them). */
export function characterCounter(length: number): CharacterCounter {
  const remaining = MAX_TEXT_CHARS - length;
  const show = length >= COUNTER_FROM;
  return {
    show,
    text: show ? say('sending.counter.left', { count: remaining, n: sayNumber(remaining) }) : '',
    warn: remaining <= COUNTER_WARN_LEFT,
  };
}
