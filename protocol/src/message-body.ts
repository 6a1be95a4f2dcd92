import { utf8Encode } from './bytes.js';
import { readMessageTtl } from './disappearing.js';
import { ProtocolError } from './errors.js';
import { FILE_MESSAGE_TYPE, readFileMessageBody } from './file-message.js';
import { uuidToBytes } from './uuid.js';

/**
 * The longest text a client lets a user send, in UTF-16 code units (what
 * JavaScript's String length and HTML's maxlength count). Even 8000 control
 * characters, each escaped to six bytes of JSON, fit the largest bucket.
 * Only senders enforce it, so it can be raised without a format change.
 */
export const MAX_TEXT_CHARS = 8000;
const TEXT_TYPE = 'text';

/**
 * A JSON object with a string `type`. Version 1 defines { type: 'text', text: string }
 * and { type: 'file', ... } (see FileMessageBody).
 */
export type MessageBody = { type: string } & Record<string, unknown>;

/** fatal: invalid UTF-8 is an error, not U+FFFD. ignoreBOM: a leading BOM stays and fails JSON.parse. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * UTF-8 of JSON.stringify(body). The result is decoded again with the
 * reader's rules, so a sender can never produce content readers reject.
 */
export function encodeMessageBody(body: MessageBody): Uint8Array {
  if (isTextBody(body) && body.text.length > MAX_TEXT_CHARS) {
    throw new ProtocolError(
      'too-large',
      `A text message may have at most ${MAX_TEXT_CHARS} characters, got ${body.text.length}.`,
    );
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(body);
  } catch (error) {
    throw badContent(`it cannot be written as JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'string') throw badContent('it cannot be written as JSON');
  const content = utf8Encode(json);
  decodeMessageBody(content);
  return content;
}

/**
 * Parses message content: strict UTF-8, a JSON object, a string `type`, for
 * text a string `text`, for a file the checks of readFileMessageBody, and a
 * disappearing time (`ttl`, required on a timer message) from the allowed set.
 */
export function decodeMessageBody(content: Uint8Array): MessageBody {
  let text: string;
  try {
    text = STRICT_UTF8.decode(content);
  } catch {
    throw badContent('it is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badContent('it is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badContent('it is not a JSON object');
  }
  const body = value as Record<string, unknown>;
  if (typeof body.type !== 'string') throw badContent('it has no string "type"');
  if (body.type === TEXT_TYPE && typeof body.text !== 'string') {
    throw badContent('a text message has no string "text"');
  }
  if (body.type === FILE_MESSAGE_TYPE) readFileMessageBody(body as MessageBody);
  readSenderCounter(body as MessageBody);
  readMessageTtl(body as MessageBody);
  return body as MessageBody;
}

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
  try {
    uuidToBytes(chain);
  } catch {
    throw badContent('its "chain" is not a canonical UUID');
  }
  if (!Number.isSafeInteger(n) || n < 1) throw badContent('its "n" is not a whole number from 1 to 2^53 - 1');
  return { chain, n };
}

function isTextBody(body: MessageBody): body is MessageBody & { text: string } {
  return typeof body === 'object' && body !== null && body.type === TEXT_TYPE && typeof body.text === 'string';
}

function badContent(reason: string): ProtocolError {
  return new ProtocolError('bad-content', `The message content is invalid: ${reason}.`);
}
