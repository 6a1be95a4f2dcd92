import { MAX_TEXT_CHARS, badContent, readSenderCounter, type MessageBody, type SenderCounter } from './body-fields.js';
import { isUuid } from './uuid.js';

/**
 * Messages that act on an earlier message (PROTOCOL.md §21): an edit, a deletion and a
 * reaction are signed room messages like any other; a reply is a text message that names
 * the one it answers. Each names its target by the target's message id (signed by the
 * target's sender) and the sequence number the server gave it, so a reader can check
 * the pair against what it holds and the server cannot point an action elsewhere.
 */
export const EDIT_MESSAGE_TYPE = 'edit';
export const DELETE_MESSAGE_TYPE = 'delete';
export const REACTION_MESSAGE_TYPE = 'reaction';

/** The longest reaction, in UTF-16 code units: one emoji with its modifiers and joiners. */
export const MAX_REACTION_CHARS = 16;

/** A message named by another: its message id and the sequence number the server stored it under. */
export interface MessageRef {
  id: string;
  seq: number;
}

export type MessageAction =
  | { kind: 'edit'; target: MessageRef; text: string }
  /** `counter`: the deleted message's own sender counter, so readers know its place once its content is gone. */
  | { kind: 'delete'; target: MessageRef; counter: SenderCounter | null }
  /** `emoji` '' takes the sender's reaction back. */
  | { kind: 'reaction'; target: MessageRef; emoji: string };

// One pictographic emoji, optionally with skin tone, variation selector, keycap or
// zero-width-joined parts; or a flag (two regional indicators). No text, no controls,
// no bidirectional characters can hide in it.
const EMOJI =
  /^(?:\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]*(?:\u200D\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]*)*)$/u;

/**
 * The action a body carries, or null for any other type. Throws 'bad-content' for an
 * action body that breaks §21: a target without a canonical id and a whole seq from 1,
 * an edit without string text (or longer than MAX_TEXT_CHARS), a reaction that is not
 * one emoji or '', a deletion whose target counter is half there.
 */
export function readMessageAction(body: MessageBody): MessageAction | null {
  switch (body.type) {
    case EDIT_MESSAGE_TYPE:
      return { kind: 'edit', target: readRef(body.target, 'target'), text: readEditText(body.text) };
    case DELETE_MESSAGE_TYPE:
      return { kind: 'delete', target: readRef(body.target, 'target'), counter: readTargetCounter(body.target) };
    case REACTION_MESSAGE_TYPE:
      return { kind: 'reaction', target: readRef(body.target, 'target'), emoji: readEmoji(body.emoji) };
    default:
      return null;
  }
}

/** The message a text message answers (`replyTo`), or null. Throws 'bad-content' when malformed or on another type. */
export function readReplyTo(body: MessageBody): MessageRef | null {
  if (body.replyTo === undefined) return null;
  if (body.type !== 'text') throw badContent('only a text message can be a reply');
  return readRef(body.replyTo, 'replyTo');
}

/** The body of an edit of this sender's text message `target`. */
export function editMessageBody(target: MessageRef, text: string): MessageBody {
  return checked({ type: EDIT_MESSAGE_TYPE, target: { id: target.id, seq: target.seq }, text });
}

/** The body deleting this sender's message `target` (its own counter, when it had one). */
export function deleteMessageBody(target: MessageRef, counter: SenderCounter | null): MessageBody {
  const ref: Record<string, unknown> = { id: target.id, seq: target.seq };
  if (counter) Object.assign(ref, { chain: counter.chain, n: counter.n });
  return checked({ type: DELETE_MESSAGE_TYPE, target: ref });
}

/** The body of a reaction to `target` ('' takes it back). */
export function reactionMessageBody(target: MessageRef, emoji: string): MessageBody {
  return checked({ type: REACTION_MESSAGE_TYPE, target: { id: target.id, seq: target.seq }, emoji });
}

/** Throws 'bad-content' unless `value` is { id: canonical UUID, seq: whole number from 1 }. */
export function readRef(value: unknown, name: string): MessageRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badContent(`its "${name}" is not an object`);
  }
  const { id, seq } = value as Record<string, unknown>;
  if (!isUuid(id)) throw badContent(`its "${name}.id" is not a canonical UUID`);
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
    throw badContent(`its "${name}.seq" is not a whole number from 1 to 2^53 - 1`);
  }
  return { id, seq };
}

/** A deletion's target may carry the deleted message's counter, read as a body's own is. */
function readTargetCounter(target: unknown): SenderCounter | null {
  return readSenderCounter(target as MessageBody);
}

function readEditText(text: unknown): string {
  if (typeof text !== 'string') throw badContent('an edit has no string "text"');
  if (text.trim() === '') throw badContent('an edit cannot be empty (delete the message instead)');
  if (text.length > MAX_TEXT_CHARS) throw badContent(`an edit has more than ${MAX_TEXT_CHARS} characters`);
  return text;
}

function readEmoji(emoji: unknown): string {
  if (typeof emoji !== 'string') throw badContent('a reaction has no string "emoji"');
  if (emoji === '') return emoji;
  if (emoji.length > MAX_REACTION_CHARS || !EMOJI.test(emoji)) throw badContent('a reaction is not one emoji');
  return emoji;
}

function checked(body: MessageBody): MessageBody {
  readMessageAction(body);
  return body;
}
