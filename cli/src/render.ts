// How messages look on stdout: one stable JSON object per line (--json, for bots), or
// one readable line each. The JSON field names are an interface: add, never rename.

import { formatBytes, type ChatItem, type PublicUser } from '@onionchat/client';

export interface MessageRecord {
  /** The other member's username (the conversation); in a group, the group's name. */
  with: string;
  /** The conversation is a group (reply to it by `roomId`, or by its name). */
  group: boolean;
  roomId: string;
  /** The server's sequence number in the conversation (null: not stored yet). */
  seq: number | null;
  /** The sender's message id (null: not verified). */
  id: string | null;
  from: string;
  mine: boolean;
  /** When the server stored it (ISO 8601). */
  time: string;
  /** The send time the sender signed (ISO 8601), when verified. */
  sentAt: string | null;
  /**
   * 'sent' (verified, or ours and stored), 'pending', 'failed' or 'unverified'; in a
   * group also 'notice': a verified membership change, `from` who made it, `text` what it was.
   */
  state: string;
  text: string | null;
  file: { id: string | null; name: string; size: number; mime: string } | null;
  /** Why it is unverified or failed, or null. */
  note: string | null;
  /** 're-timed' or 'replayed' when the server delivered it suspiciously, else null. */
  warning: string | null;
  /** One's own stored message in a group: how many of the members it was sealed for it reached (the server's word). */
  delivered: { count: number; of: number } | null;
}

export interface RecordContext {
  /** The conversation is a group. */
  group?: boolean;
  /** A sender's name (left out: looked up in `members`). */
  nameOf?: (userId: string) => string;
}

export function messageRecord(
  item: ChatItem,
  members: readonly PublicUser[],
  peerName: string,
  context: RecordContext = {},
): MessageRecord {
  const from =
    context.nameOf?.(item.senderId) ?? members.find((member) => member.id === item.senderId)?.username ?? 'someone';
  return {
    with: peerName,
    group: context.group ?? false,
    roomId: item.roomId,
    seq: item.seq,
    id: item.messageId,
    from,
    mine: item.mine,
    time: new Date(item.time).toISOString(),
    sentAt: typeof item.sentAt === 'number' ? new Date(item.sentAt).toISOString() : null,
    state: item.state,
    text: item.text,
    file: item.file ? { id: item.file.fileId, name: item.file.name, size: item.file.size, mime: item.file.mime } : null,
    note: item.note,
    warning: item.flag?.kind ?? null,
    delivered: item.deliveredTo ?? null,
  };
}

export function messageJson(record: MessageRecord): string {
  return JSON.stringify(record);
}

/**
 * "2026-12-04 06:30  alice: hello", with notes for what is not plainly a verified
 * message; a group's membership change as "2026-12-04 06:31  — alice added carol".
 */
export function messageLine(record: MessageRecord): string {
  const when = record.time.slice(0, 16).replace('T', ' ');
  if (record.state === 'notice') return `${when}  — ${singleLine(record.text ?? '')}`;
  const body = record.file
    ? `sent a file “${record.file.name}” (${formatBytes(record.file.size)}, id ${record.file.id ?? 'pending'})`
    : (record.text ?? '(a message this client cannot show)');
  const notes = [
    record.state === 'unverified' ? `UNVERIFIED: ${record.note ?? 'it did not check out'}` : null,
    record.state === 'failed' ? `not sent: ${record.note ?? 'failed'}` : null,
    record.state === 'pending' ? 'sending…' : null,
    record.warning ? `warning: delivered ${record.warning}` : null,
  ].filter((note) => note !== null);
  const suffix = notes.length > 0 ? `  [${notes.join('; ')}]` : '';
  return `${when}  ${record.from}: ${singleLine(body)}${suffix}`;
}

/** Control characters (new lines, terminal escapes) of others' text never reach the terminal raw. */
export function singleLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r?\n/g, ' ⏎ ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '�');
}
