// The server cannot open a wrapped room key, but it can refuse one filed under the wrong
// room, epoch, member or wrapper before it stores it (PROTOCOL.md section 8).
import { ProtocolError, readRoomKeyContext } from '@onionchat/protocol';
import { badRequest } from '../common/api-error.js';
import type { WrappedKey } from './rooms.repository.js';

export interface KeyFiling {
  roomId: string;
  epoch: number;
  wrapperId: string;
  memberIds: readonly string[];
}

/**
 * One record per member, each naming this room, epoch, member and the caller as
 * wrapper. `field` names the body field in the error sentences.
 */
export function checkWrappedKeys(keys: readonly WrappedKey[], filing: KeyFiling, field: string): void {
  const covered = new Set<string>();
  for (const { memberId, record } of keys) {
    const ctx = readContext(record, field);
    const fits =
      ctx.roomId === filing.roomId &&
      ctx.epoch === filing.epoch &&
      ctx.memberId === memberId &&
      ctx.wrapperId === filing.wrapperId;
    if (!fits || !filing.memberIds.includes(memberId)) {
      throw badRequest(`${field}: a record is filed under the wrong room, epoch, member or wrapper.`, 'invalid_record');
    }
    if (covered.has(memberId)) throw badRequest(`${field}: a member has more than one wrapped key.`, 'invalid_record');
    covered.add(memberId);
  }
  if (covered.size !== filing.memberIds.length) {
    throw badRequest(`${field}: each member needs exactly one wrapped key.`, 'invalid_record');
  }
}

function readContext(record: Uint8Array, field: string) {
  try {
    return readRoomKeyContext(record);
  } catch (err) {
    if (err instanceof ProtocolError) throw badRequest(`${field}: ${err.message}`, 'invalid_record');
    throw err;
  }
}
