// Friend requests: accepting one creates the direct room between the two of us. This
// client picks the room id and its first key, and wraps that key for both members
// (docs/API.md, "Accepting a request"; docs/PROTOCOL.md section 8).

import { newRoomKey, newUuid, toBase64, wrapRoomKey, type Identity, type PublicKeys } from '@onionchat/protocol';
import type { FriendRequest, User } from '@onionchat/contract';

export class FriendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FriendError';
  }
}

export interface PreparedAccept {
  roomId: string;
  /** Kept in memory so this client can use the room at once; wipe it if the accept fails. */
  roomKey: Uint8Array;
  wrappedKeys: { memberId: string; record: string }[];
}

/** The first epoch of a new room. */
export const FIRST_EPOCH = 1;

/**
 * `requesterKeys` must be the requester's public keys checked against their
 * self-signature (KeyDirectory.learn), so the key is wrapped to the right person.
 */
export function prepareAccept(
  request: FriendRequest,
  me: User,
  identity: Identity,
  requesterKeys: PublicKeys,
): PreparedAccept {
  const requesterBoxKey = requesterKeys.boxPublicKey;
  const roomId = newUuid();
  const roomKey = newRoomKey();
  const wrap = (memberId: string, boxPublicKey: Uint8Array) =>
    toBase64(wrapRoomKey(roomKey, { roomId, epoch: FIRST_EPOCH, memberId, wrapperId: me.id }, identity, boxPublicKey));
  return {
    roomId,
    roomKey,
    wrappedKeys: [
      { memberId: me.id, record: wrap(me.id, identity.boxPublicKey) },
      { memberId: request.user.id, record: wrap(request.user.id, requesterBoxKey) },
    ],
  };
}
