// The parts of a message body every reader checks, apart from the decoding itself:
// the type's shape, the text limit and the sender counter. Kept apart so the modules
// for each kind of message can use them without importing the decoder that calls them.

import { ProtocolError } from './errors.js';
import { isUuid } from './uuid.js';

/**
 * The longest text a client lets a user send, in UTF-16 code units (what
 * JavaScript's String length and HTML's maxlength count). Even 8000 control
 * characters, each escaped to six bytes of JSON, fit the largest bucket.
 * Only senders enforce it, so it can be raised without a format change.
 */
export const MAX_TEXT_CHARS = 8000;
/**
 * A JSON object with a string `type`. Version 1 defines { type: 'text', text: string }
 * and { type: 'file', ... } (see FileMessageBody).
 */
export type MessageBody = { type: string } & Record<string, unknown>;

/**
 * Where a message stands in its sender's sequence: `chain` is a random id a
 * sender's client picks for one room when it starts, `n` counts that chain's
 * messages from 1. Both live inside the signed, encrypted content, so the
 * server cannot change them; a reader that sees n jump, repeat or go
 * backwards within a chain knows messages were withheld, replayed or
 * reordered.
 */
export interface SenderCounter {
  chain: string;
  n: number;
}

/**
 * The body's sender counter, or null when it has none (a sender that
 * predates counters). Throws 'bad-content' when only one of the two members
 * is present or either is malformed.
 */
export function readSenderCounter(body: MessageBody): SenderCounter | null {
  const { chain, n } = body;
  if (chain === undefined && n === undefined) return null;
  return requireSenderCounter(chain, n);
}

/** Throws 'bad-content' unless `chain` is a canonical UUID and `n` a whole number from 1 to 2^53 - 1. */
export function requireSenderCounter(chain: unknown, n: unknown): SenderCounter {
  if (typeof chain !== 'string' || typeof n !== 'number') {
    throw badContent('its sender counter needs both a string "chain" and a number "n"');
  }
  if (!isUuid(chain)) throw badContent('its "chain" is not a canonical UUID');
  if (!Number.isSafeInteger(n) || n < 1) throw badContent('its "n" is not a whole number from 1 to 2^53 - 1');
  return { chain, n };
}

/** The error every malformed body gives. */
export function badContent(reason: string): ProtocolError {
  return new ProtocolError('bad-content', `The message content is invalid: ${reason}.`);
}
