// Builds group records (PROTOCOL.md §19) for the specs: people with fresh keys, and
// records that follow one another unless a case says otherwise.
import { createIdentity, type Identity } from '../src/identity.js';
import { groupRecordDigest, type GroupAction, type GroupEntry, type GroupRecordFields } from '../src/group-record.js';
import { sealGroupInfo } from '../src/group-info.js';
import { signGroupRecord } from '../src/group-signature.js';
import { decodeGroupRecord } from '../src/group-record.js';
import { newRoomKey } from '../src/room-key.js';
import { newUuid } from '../src/uuid.js';

export interface Person {
  id: string;
  identity: Identity;
}

export function person(name: string): Person {
  return { id: newUuid(), identity: createIdentity(name) };
}

export const ZERO_KEY = new Uint8Array(32);
export const SENT_AT = 1_767_225_600_000;
const INFO_KEY = newRoomKey();

/** An entry of a create or an add: the person's role and signing key. */
export const joining = (who: Person, role: 'member' | 'admin' = 'member'): GroupEntry => ({
  userId: who.id,
  role,
  signPublicKey: who.identity.signPublicKey,
});

/** An entry of a remove (role none) or a role change: no key. */
export const changing = (who: Person, role: 'none' | 'member' | 'admin' = 'none'): GroupEntry => ({
  userId: who.id,
  role,
  signPublicKey: ZERO_KEY,
});

export const groupInfoBytes = () => sealGroupInfo({ name: 'Group' }, INFO_KEY);

/** The fields of a record following `after` (null: the first), with info where the action needs it. */
export function fieldsAfter(
  after: Uint8Array | null,
  roomId: string,
  signer: Person,
  action: GroupAction,
  epoch: number,
  entries: GroupEntry[] = [],
): GroupRecordFields {
  const index = after === null ? 0 : decodeGroupRecord(after).index + 1;
  return {
    roomId,
    index,
    previous: after === null ? new Uint8Array(32) : groupRecordDigest(after),
    signerId: signer.id,
    epoch,
    sentAt: SENT_AT + index,
    action,
    entries,
    info: action === 'leave' || action === 'role' ? new Uint8Array(0) : groupInfoBytes(),
  };
}

/** A signed record following `after`; `overrides` change any field, `key` signs in the signer's place. */
export function recordAfter(
  after: Uint8Array | null,
  roomId: string,
  signer: Person,
  action: GroupAction,
  epoch: number,
  entries: GroupEntry[] = [],
  overrides: Partial<GroupRecordFields> & { key?: Identity } = {},
): Uint8Array {
  const { key, ...fields } = overrides;
  return signGroupRecord(
    { ...fieldsAfter(after, roomId, signer, action, epoch, entries), ...fields },
    key ?? signer.identity,
  );
}
