// A group's rules for one of its messages, checked before the message is opened
// (PROTOCOL.md §19, "Sending" and "Whose keys"): its sender was a member of the state
// that started its epoch, it was filed before the change that ended that epoch, and its
// signature is checked against the signing key the verified chain gave its sender,
// never against one only the server vouches for.

import type { Room, ServerMessage } from '@onionchat/contract';
import { ProtocolError, groupMembersAtEpoch, requireGroupMemberKey, type GroupState } from '@onionchat/protocol';
import { judgeGroupMessage } from '../groups/group-message-rules.js';
import { GROUP_PHRASES } from '../groups/group-phrases.js';
import { sayer } from '../present/phrasebook.js';
import type { KeyDirectory } from '../trust/key-directory.js';
import { groupNotVerified } from '../trust/room-keyring.js';
import { VerifyError } from '../trust/verify-error.js';

export const GROUP_ROOM_KIND = 'group';

const say = sayer(GROUP_PHRASES);

/** A group message from an epoch this account was not a member of: unreadable by design, not an attack. */
export class BeforeJoiningError extends VerifyError {
  constructor() {
    super(say('groups.message.beforeJoining'));
  }
}

/** What the verified chains tell about a group's messages (the session's groups). */
export interface GroupJudge {
  /** The verified state to judge a message under `epoch` by, synced first when the chain has not reached it. */
  stateFor(roomId: string, epoch: number): Promise<GroupState | null>;
  epochEndedAt(roomId: string, epoch: number): number | null;
  /** The signing key the chain gave a member or former member. */
  signKeyOf(roomId: string, userId: string): Uint8Array | null;
  /** A message under an epoch the chain has not reached: opened again once it has. */
  waitForChain(message: ServerMessage): void;
}

export interface GroupOpenContext {
  meId: string;
  directory: Pick<KeyDirectory, 'prepare' | 'learn' | 'mine'>;
  groups: GroupJudge;
}

/**
 * The group's verdict on a message of `room` (a group) and, when it passes, the signing
 * key to check it with. Throws VerifyError (UntrustedKeyError for a contact's changed
 * key); rejects with ApiError when the chain could not be fetched.
 */
export async function groupSenderKey(
  message: ServerMessage,
  room: Room,
  ctx: GroupOpenContext,
): Promise<{ signPublicKey: Uint8Array }> {
  const state = await ctx.groups.stateFor(room.id, message.epoch);
  if (!state) throw new VerifyError(groupNotVerified());
  const verdict = judgeGroupMessage(state, (epoch) => ctx.groups.epochEndedAt(room.id, epoch), message);
  if (!verdict.ok) {
    if (verdict.code === 'context-mismatch') ctx.groups.waitForChain(message);
    throw new VerifyError(verdict.reason);
  }
  // Someone who joins gets no earlier key (and one who left none after): say so, not "no key".
  if (!groupMembersAtEpoch(state, message.epoch)?.has(ctx.meId)) throw new BeforeJoiningError();
  if (message.senderId === ctx.meId) return ctx.directory.mine();
  const listed = room.members.find((member) => member.id === message.senderId);
  if (!listed || !state.members.has(listed.id)) return chainKey(ctx.groups, room.id, message.senderId);
  // A current member the server lists: self-signed, matching the pin, and the key the chain holds.
  await ctx.directory.prepare([listed]);
  const keys = ctx.directory.learn(listed, state.members.get(listed.id)?.signPublicKey);
  requireChainKey(state, listed.id, keys.signPublicKey);
  return keys;
}

/** Someone the chain added who has left since (or whom the server does not list): the key the chain gave them. */
function chainKey(groups: GroupJudge, roomId: string, senderId: string): { signPublicKey: Uint8Array } {
  const signPublicKey = groups.signKeyOf(roomId, senderId);
  if (!signPublicKey) throw new VerifyError(say('groups.message.senderUnknown'));
  return { signPublicKey };
}

function requireChainKey(state: GroupState, userId: string, signPublicKey: Uint8Array): void {
  try {
    requireGroupMemberKey(state, userId, signPublicKey);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    const reason = error.code === 'key-mismatch' ? 'groups.message.keysMismatch' : 'groups.message.senderUnknown';
    throw new VerifyError(say(reason));
  }
}
