// Who may write under a group's epoch, and until when (PROTOCOL.md §19, "Sending"):
// only a member of the state that started the epoch, and only until the record that
// ended it was filed. A removed member still holds the old key; these rules are what
// keep their later messages out.

import { ProtocolError, entitledGroupSender, type GroupState, type ProtocolErrorCode } from '@onionchat/protocol';
import { sayer } from '../present/phrasebook.js';
import { GROUP_PHRASES } from './group-phrases.js';

const say = sayer(GROUP_PHRASES);

export type GroupMessageVerdict =
  | { ok: true }
  /** `reason` completes "This message could not be verified: …". */
  | { ok: false; code: ProtocolErrorCode; reason: string };

export interface GroupMessageFacts {
  epoch: number;
  senderId: string;
  /** The server's sequence number for it. */
  seq: number;
}

/**
 * Judges a group message against the verified chain. `epochEndedAt` gives the
 * afterSeq of the record that ended an epoch (null while it runs): a message under an
 * ended epoch numbered after that record is 'stale-epoch'.
 */
export function judgeGroupMessage(
  state: GroupState,
  epochEndedAt: (epoch: number) => number | null,
  message: GroupMessageFacts,
): GroupMessageVerdict {
  try {
    entitledGroupSender(state, message.epoch, message.senderId);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return { ok: false, code: error.code, reason: senderReason(error) };
  }
  const endedAt = epochEndedAt(message.epoch);
  if (endedAt !== null && message.seq > endedAt) {
    return { ok: false, code: 'stale-epoch', reason: say('groups.message.staleKey') };
  }
  return { ok: true };
}

function senderReason(error: ProtocolError): string {
  if (error.code === 'context-mismatch') {
    return say('groups.message.changeNotChecked');
  }
  return say('groups.message.senderNotMember');
}
