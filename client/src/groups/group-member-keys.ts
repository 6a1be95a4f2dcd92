// The public keys a group's new room key is wrapped to: each member's keys as the server
// presents them, taken only once they check out three ways: self-signed for their name
// (the directory), matching this client's pin for a contact (the directory), and carrying
// the signing key the verified chain holds for them (PROTOCOL.md §19, "Whose keys").
// Someone whose keys fail any check gets no key, and the change is not made.

import type { PublicUser } from '@onionchat/contract';
import {
  ProtocolError,
  requireGroupMemberKey,
  toBase64,
  type GroupState,
  type Identity,
  type PublicKeys,
} from '@onionchat/protocol';
import { sayer } from '../present/phrasebook.js';
import { wrapForMember, type MemberKeys } from '../trust/hybrid-upgrade.js';
import type { KeyDirectory } from '../trust/key-directory.js';
import { GroupChangeError } from './group-change-error.js';
import { GROUP_PHRASES } from './group-phrases.js';

const say = sayer(GROUP_PHRASES);

export interface MemberKeyParts {
  meId: string;
  identity: Identity;
  directory: Pick<KeyDirectory, 'prepare' | 'learn'>;
}

/** What a change posts: one wrapped key per member, and whether every one is hybrid. */
export interface WrappedKeys {
  keys: { memberId: string; record: string }[];
  hybrid: boolean;
}

/** A user's keys through the directory (self-signature and pin), or a sentence why they cannot be used now. */
export function trustedKeys(
  directory: MemberKeyParts['directory'],
  user: PublicUser,
  vouched?: Uint8Array,
): PublicKeys {
  try {
    return directory.learn(user, vouched);
  } catch (error) {
    const reason = error instanceof Error ? error.message : say('groups.failure.keysNotChecked');
    throw new GroupChangeError(say('groups.failure.keysUnusable', { name: user.username, reason }));
  }
}

/**
 * The checked keys of each of `memberIds` (members of `state`), from `users` as the
 * server presents them; this account's own come from its identity, never the server.
 */
export async function checkedMemberKeys(
  parts: MemberKeyParts,
  state: GroupState,
  memberIds: Iterable<string>,
  users: readonly PublicUser[],
): Promise<Map<string, MemberKeys>> {
  await parts.directory.prepare(users.filter((user) => user.id !== parts.meId));
  const keys = new Map<string, MemberKeys>();
  for (const memberId of memberIds) {
    if (memberId === parts.meId) {
      keys.set(memberId, {
        boxPublicKey: parts.identity.boxPublicKey,
        kemPublicKey: parts.identity.kem?.publicKey ?? null,
      });
      continue;
    }
    const user = users.find((candidate) => candidate.id === memberId);
    if (!user) {
      throw new GroupChangeError(say('groups.failure.keysMissing', { id: memberId }));
    }
    const checked = trustedKeys(parts.directory, user, state.members.get(memberId)?.signPublicKey);
    requireChainKey(state, user, checked);
    keys.set(memberId, { boxPublicKey: checked.boxPublicKey, kemPublicKey: checked.kemPublicKey });
  }
  return keys;
}

/** The signing key presented must be the one the chain gave the member. */
function requireChainKey(state: GroupState, user: PublicUser, keys: PublicKeys): void {
  try {
    requireGroupMemberKey(state, user.id, keys.signPublicKey);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    const name = user.username;
    throw new GroupChangeError(
      error.code === 'key-mismatch'
        ? say('groups.failure.keysMismatch', { name })
        : say('groups.failure.notInGroup', { name }),
    );
  }
}

/** The room key wrapped by this account for each member: hybrid when every member has an ML-KEM key. */
export async function wrapForMembers(
  parts: MemberKeyParts,
  roomKey: Uint8Array,
  roomId: string,
  epoch: number,
  members: Map<string, MemberKeys>,
): Promise<WrappedKeys> {
  const hybrid = [...members.values()].every((keys) => keys.kemPublicKey !== null);
  const keys = await Promise.all(
    [...members].map(async ([memberId, memberKeys]) => {
      const context = { roomId, epoch, memberId, wrapperId: parts.meId };
      const record = await wrapForMember(roomKey, context, parts.identity, memberKeys, hybrid);
      return { memberId, record: toBase64(record) };
    }),
  );
  return { keys, hybrid };
}
