// One verified change of a group, as the views and the notices need it: who did what
// to whom, and where in the conversation it was filed. No keys, no sealed info.

import type { DecodedGroupRecord, GroupAction, GroupRole } from '@onionchat/protocol';

/** A user's display name (the caller's lookup: contacts, the group's members). */
export type NameOf = (userId: string) => string;

export interface GroupChange {
  index: number;
  /** The room's last message seq when the server filed it: messages with seq <= afterSeq came before. */
  afterSeq: number;
  signerId: string;
  action: GroupAction;
  /** The room's epoch once it applies. */
  epoch: number;
  /** Milliseconds since 1970 by the signer's clock (their word, not checked). */
  sentAt: number;
  entries: readonly { userId: string; role: GroupRole }[];
}

/** add, remove and leave start an epoch with a fresh key; create starts the first. */
export function startsEpoch(action: GroupAction): boolean {
  return action === 'create' || action === 'add' || action === 'remove' || action === 'leave';
}

export function groupChange(record: DecodedGroupRecord, afterSeq: number): GroupChange {
  return {
    index: record.index,
    afterSeq,
    signerId: record.signerId,
    action: record.action,
    epoch: record.epoch,
    sentAt: record.sentAt,
    entries: record.entries.map(({ userId, role }) => ({ userId, role })),
  };
}
