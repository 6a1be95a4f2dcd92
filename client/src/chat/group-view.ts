// What a group conversation shows of the group: its name (or, while that cannot be
// opened, "Group with" its members), its picture, and its members as this client
// verified them from the chain of signed records (never the server's list), each with
// their role and how far their keys are trusted.

import { equalBytes, type GroupMember } from '@onionchat/protocol';
import type { GroupChainView } from '../groups/group-chains.js';
import type { NameOf } from '../groups/group-change.js';
import type { GroupInfoResult } from '../groups/group-info.js';
import { GROUP_PHRASES } from '../groups/group-phrases.js';
import { sayList, sayer } from '../present/phrasebook.js';
import type { PeerTrust } from '../trust/key-directory.js';

/**
 * How far a member's keys are trusted: this account, a verified safety number, a
 * contact (pinned, not verified), someone an admin added, keys other than the ones the
 * group holds (or that do not check out), or a contact's safety number that changed.
 */
export type GroupMemberCheck = 'you' | 'verified' | 'contact' | 'added-by' | 'mismatch' | 'changed';

export interface GroupMemberView {
  id: string;
  name: string;
  role: 'admin' | 'member';
  me: boolean;
  /** Who added them (the creator for the first members). */
  addedBy: string;
  check: GroupMemberCheck;
  /** The check in words: "verified", "contact", "added by alice", "keys do not match the group’s"… */
  label: string;
}

export interface GroupView {
  /** The group's name, or "Group with …" while it cannot be opened. */
  title: string;
  /** The name as an admin set it (null while it cannot be opened). */
  name: string | null;
  /** A data: URL (PNG or JPEG), or null. */
  picture: string | null;
  /** Why the name cannot be shown yet, or null. */
  nameWarning: string | null;
  /** The verified members: admins first, then by name. */
  members: readonly GroupMemberView[];
  /** The admins' ids. */
  admins: readonly string[];
  /** This account's role (null: not a member, or nothing verified yet). */
  myRole: 'admin' | 'member' | null;
  /** The server handed out a change that does not check out: the warning, or null. */
  warning: string | null;
  /** The server answers as to someone who left or was removed. */
  gone: boolean;
  /** A membership was verified at all (false until the chain is fetched and checks out). */
  verified: boolean;
  /** When the latest change was made, by its signer's clock (null: none verified). */
  changedAt: number | null;
}

export interface GroupViewParts {
  meId: string;
  nameOf: NameOf;
  /** What the directory makes of a user's keys (null until they were checked). */
  trust: (userId: string) => PeerTrust | null;
  isContact: (userId: string) => boolean;
}

const NAMES_IN_TITLE = 3;

const say = sayer(GROUP_PHRASES);

export function groupView(chain: GroupChainView, info: GroupInfoResult | null, parts: GroupViewParts): GroupView {
  const members = [...(chain.state?.members.values() ?? [])].map((member) => memberView(member, parts));
  members.sort((a, b) => Number(b.role === 'admin') - Number(a.role === 'admin') || a.name.localeCompare(b.name));
  const opened = info?.kind === 'open' ? info.info : null;
  const lastChange = chain.changes[chain.changes.length - 1];
  return {
    title: opened?.name ?? fallbackTitle(members),
    name: opened?.name ?? null,
    picture: opened?.picture ?? null,
    nameWarning: info?.kind === 'warning' ? info.warning : null,
    members,
    admins: members.filter((member) => member.role === 'admin').map((member) => member.id),
    myRole: chain.state?.members.get(parts.meId)?.role ?? null,
    warning: chain.warning,
    gone: chain.gone,
    verified: chain.state !== null,
    changedAt: lastChange?.sentAt ?? null,
  };
}

function memberView(member: GroupMember, parts: GroupViewParts): GroupMemberView {
  const { check, label } = memberCheck(member, parts);
  return {
    id: member.userId,
    name: member.userId === parts.meId ? say('groups.member.you') : parts.nameOf(member.userId),
    role: member.role,
    me: member.userId === parts.meId,
    addedBy: member.addedBy,
    check,
    label,
  };
}

function memberCheck(member: GroupMember, parts: GroupViewParts): { check: GroupMemberCheck; label: string } {
  if (member.userId === parts.meId) return { check: 'you', label: say('groups.member.checkYou') };
  const trust = parts.trust(member.userId);
  const presented = trust?.presented?.signPublicKey;
  // Keys the server presents that are not the ones the admin who added them vouched for.
  if (trust?.state === 'invalid' || (presented && !equalBytes(presented, member.signPublicKey))) {
    return { check: 'mismatch', label: say('groups.member.keysMismatch') };
  }
  if (trust?.state === 'changed' || trust?.state === 'changed-verified') {
    return { check: 'changed', label: say('groups.member.safetyNumberChanged') };
  }
  if (trust?.state === 'verified') return { check: 'verified', label: say('groups.member.verified') };
  if (parts.isContact(member.userId)) return { check: 'contact', label: say('groups.member.contact') };
  if (member.addedBy === parts.meId) return { check: 'added-by', label: say('groups.member.addedByYou') };
  return { check: 'added-by', label: say('groups.member.addedBy', { name: parts.nameOf(member.addedBy) }) };
}

/** "Group with bob and carol", "Group with bob, carol, dave and 2 others", or "Group". */
function fallbackTitle(members: readonly GroupMemberView[]): string {
  const others = members.filter((member) => !member.me).map((member) => member.name);
  if (others.length === 0) return say('groups.title.unnamed');
  const shown = others.slice(0, NAMES_IN_TITLE);
  const rest = others.length - shown.length;
  // "2 others" closes the list: "bob, carol, dave and 2 others".
  const listed = rest > 0 ? [...shown, say('groups.title.others', { count: rest })] : shown;
  return say('groups.title.with', { names: sayList(listed) });
}
