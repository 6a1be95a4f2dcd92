import { equalBytes } from './bytes.js';
import { ProtocolError, requireLength } from './errors.js';
import { type GroupState } from './group-chain.js';
import { SIGN_PUBLIC_KEY_BYTES } from './key-sizes.js';

/** The members of the state that started `epoch`, or null for an epoch the verified chain has not reached. */
export function groupMembersAtEpoch(state: GroupState, epoch: number): ReadonlySet<string> | null {
  return state.epochMembers.get(epoch) ?? null;
}

/**
 * A group's wrapped room key counts only when the member it is for and the member
 * who wrapped it were both in the state that started its epoch: so nobody outside
 * the verified list gets the key, and a leaver cannot hand out the next one.
 * Throws 'context-mismatch' for an epoch the chain has not reached, then
 * 'not-a-member' for the member, then 'not-entitled' for the wrapper.
 */
export function entitledGroupWrapper(state: GroupState, epoch: number, memberId: string, wrapperId: string): void {
  const members = epochMembers(state, epoch);
  if (!members.has(memberId)) {
    throw new ProtocolError('not-a-member', `${memberId} is not a member of group ${state.roomId} in epoch ${epoch}.`);
  }
  if (!members.has(wrapperId)) {
    throw new ProtocolError(
      'not-entitled',
      `The key of group ${state.roomId}, epoch ${epoch}, was handed out by ${wrapperId}, not a member of that epoch.`,
    );
  }
}

/**
 * A message under `epoch` counts only from a member of the state that started it.
 * Throws 'context-mismatch' for an epoch the chain has not reached, 'not-entitled'
 * for any other sender.
 */
export function entitledGroupSender(state: GroupState, epoch: number, senderId: string): void {
  if (!epochMembers(state, epoch).has(senderId)) {
    throw new ProtocolError(
      'not-entitled',
      `${senderId} was not a member of group ${state.roomId} in epoch ${epoch} and cannot send under it.`,
    );
  }
}

/**
 * Before a client uses a member's public keys from the server (to wrap a key for
 * them or check their messages): their signing key must be the one the group
 * record that added them carried. 'not-a-member' for someone not in the current
 * state, 'key-mismatch' for another key.
 */
export function requireGroupMemberKey(state: GroupState, userId: string, signPublicKey: Uint8Array): void {
  requireLength(signPublicKey, SIGN_PUBLIC_KEY_BYTES, 'Signing public key');
  const member = state.members.get(userId);
  if (member === undefined) {
    throw new ProtocolError('not-a-member', `${userId} is not a member of group ${state.roomId}.`);
  }
  if (!equalBytes(member.signPublicKey, signPublicKey)) {
    throw new ProtocolError('key-mismatch', `The keys of ${userId} do not match the ones group ${state.roomId} holds.`);
  }
}

function epochMembers(state: GroupState, epoch: number): ReadonlySet<string> {
  const members = groupMembersAtEpoch(state, epoch);
  if (members === null) {
    throw new ProtocolError('context-mismatch', `Group ${state.roomId} has no verified epoch ${epoch}.`);
  }
  return members;
}
