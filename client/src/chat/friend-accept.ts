// Friend requests: accepting one creates the direct room between the two of us. This
// client picks the room id and its first key, and wraps that key for both members
// (docs/API.md, "Accepting a request"; docs/PROTOCOL.md section 8). When both of us
// have ML-KEM keys the first epoch is hybrid at once, so the room never needs upgrading.

import { newRoomKey, newUuid, toBase64, type Identity, type PublicKeys } from '@onionchat/protocol';
import type { FriendRequest, User } from '@onionchat/contract';
import { wrapForMember, type MemberKeys } from '../trust/hybrid-upgrade.js';

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
  /** Wrapped in version 2 (X25519 and ML-KEM-768) for both members. */
  hybrid: boolean;
  wrappedKeys: { memberId: string; record: string }[];
}

/** The first epoch of a new room. */
export const FIRST_EPOCH = 1;

/**
 * `requesterKeys` must be the requester's public keys checked against their
 * self-signature (KeyDirectory.learn), so the key is wrapped to the right person.
 */
export async function prepareAccept(
  request: FriendRequest,
  me: User,
  identity: Identity,
  requesterKeys: PublicKeys,
): Promise<PreparedAccept> {
  const roomId = newUuid();
  const roomKey = newRoomKey();
  const mine: MemberKeys = { boxPublicKey: identity.boxPublicKey, kemPublicKey: identity.kem?.publicKey ?? null };
  const members: [string, MemberKeys][] = [
    [me.id, mine],
    [request.user.id, requesterKeys],
  ];
  const hybrid = members.every(([, keys]) => keys.kemPublicKey !== null);
  const wrappedKeys = await Promise.all(
    members.map(async ([memberId, keys]) => {
      const context = { roomId, epoch: FIRST_EPOCH, memberId, wrapperId: me.id };
      return { memberId, record: toBase64(await wrapForMember(roomKey, context, identity, keys, hybrid)) };
    }),
  );
  return { roomId, roomKey, hybrid, wrappedKeys };
}
