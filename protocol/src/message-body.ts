import { utf8Encode } from './bytes.js';
import { readMessageTtl } from './disappearing.js';
import { ProtocolError } from './errors.js';
import { FILE_MESSAGE_TYPE, readFileMessageBody } from './file-message.js';
import { MAX_TEXT_CHARS, badContent, readSenderCounter, type MessageBody } from './body-fields.js';
import { readMessageAction, readReplyTo } from './message-actions.js';
import { RECEIPT_TYPE, readReceipt } from './receipt.js';

export {
  MAX_TEXT_CHARS,
  readSenderCounter,
  requireSenderCounter,
  type MessageBody,
  type SenderCounter,
} from './body-fields.js';

const TEXT_TYPE = 'text';

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
 * text a string `text`, for a file the checks of readFileMessageBody, a
 * disappearing time (`ttl`, required on a timer message) from the allowed set, and
 * for an edit, deletion, reaction, reply or receipt the shape of §21 and §22.
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
  readMessageAction(body as MessageBody);
  readReplyTo(body as MessageBody);
  if (body.type === RECEIPT_TYPE) readReceipt(body as MessageBody);
  return body as MessageBody;
}

function isTextBody(body: MessageBody): body is MessageBody & { text: string } {
  return typeof body === 'object' && body !== null && body.type === TEXT_TYPE && typeof body.text === 'string';
}
