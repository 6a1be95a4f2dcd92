import { ProtocolError } from './errors.js';
import { type DecodedGroupRecord, type GroupEntry } from './group-record.js';

/** The default member limit; a server may set another, up to GROUP_RECORD_MAX_ENTRIES. */
export const GROUP_MAX_MEMBERS = 100;

export interface GroupMember {
  userId: string;
  role: 'member' | 'admin';
  /** The key the record that added this member carried: what its records and messages must verify under. */
  signPublicKey: Uint8Array;
  /** Who signed that record (for the creator and the first members: the creator). */
  addedBy: string;
  /** That record's index. */
  addedAt: number;
}

type Members = ReadonlyMap<string, GroupMember>;

/**
 * The member list after a record whose chain, epoch, signer and signature passed:
 * 'not-entitled' unless the signer may make this change, then 'bad-room' unless it
 * makes sense (PROTOCOL.md §19). Returns a new map; `members` is not changed.
 */
export function applyGroupChange(members: Members, record: DecodedGroupRecord, limit: number): Members {
  checkRight(members, record);
  const next = changed(members, record);
  if (next.size > limit) {
    throw badRoom(record, `it would have ${next.size} members, more than the limit of ${limit}`);
  }
  if (next.size > 0 && ![...next.values()].some((member) => member.role === 'admin')) {
    throw badRoom(record, 'it would leave members but no admin');
  }
  return next;
}

/** Any member may leave; everything else but a create (checked with its signer) needs an admin. */
function checkRight(members: Members, record: DecodedGroupRecord): void {
  if (record.action === 'create' || record.action === 'leave') return;
  if (members.get(record.signerId)?.role !== 'admin') {
    throw notEntitled(record, `only an admin may make a ${record.action} change`);
  }
  if (record.action === 'remove' && record.entries.some((entry) => entry.userId === record.signerId)) {
    throw notEntitled(record, 'an admin cannot remove itself (it leaves instead)');
  }
}

function changed(members: Members, record: DecodedGroupRecord): Map<string, GroupMember> {
  const next = new Map(members);
  switch (record.action) {
    case 'create':
    case 'add':
      for (const entry of record.entries) {
        if (next.has(entry.userId)) throw badRoom(record, `${entry.userId} is already a member`);
        next.set(entry.userId, joined(entry, record));
      }
      return next;
    case 'remove':
      for (const entry of record.entries) next.delete(memberOf(members, entry, record).userId);
      return next;
    case 'leave':
      next.delete(record.signerId);
      return next;
    case 'role':
      for (const entry of record.entries)
        next.set(entry.userId, withRole(memberOf(members, entry, record), entry, record));
      return next;
    case 'rename':
      return next;
  }
}

function joined(entry: GroupEntry, record: DecodedGroupRecord): GroupMember {
  const role = entry.role === 'admin' ? 'admin' : 'member';
  return {
    userId: entry.userId,
    role,
    signPublicKey: entry.signPublicKey,
    addedBy: record.signerId,
    addedAt: record.index,
  };
}

function memberOf(members: Members, entry: GroupEntry, record: DecodedGroupRecord): GroupMember {
  const member = members.get(entry.userId);
  if (member === undefined) throw badRoom(record, `${entry.userId} is not a member`);
  return member;
}

function withRole(member: GroupMember, entry: GroupEntry, record: DecodedGroupRecord): GroupMember {
  if (entry.role === member.role) throw badRoom(record, `${member.userId} already has the role ${member.role}`);
  return { ...member, role: entry.role === 'admin' ? 'admin' : 'member' };
}

function notEntitled(record: DecodedGroupRecord, reason: string): ProtocolError {
  return new ProtocolError('not-entitled', `Group record ${record.index} by ${record.signerId}: ${reason}.`);
}

function badRoom(record: DecodedGroupRecord, reason: string): ProtocolError {
  return new ProtocolError('bad-room', `Group record ${record.index} does not make sense: ${reason}.`);
}
