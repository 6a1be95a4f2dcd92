// Accepting a friend request: the first epoch is hybrid when both accounts have
// ML-KEM keys, classical when the requester has not upgraded yet.

import type { FriendRequest, User } from '@onionchat/contract';
import {
  createIdentity,
  decodePublicKeys,
  encodePublicKeys,
  encodePublicKeysV1,
  fromBase64,
  newUuid,
  openRoomKey,
  type Identity,
} from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import { FIRST_EPOCH, prepareAccept } from './friend-accept.js';

const me: User = { id: newUuid(), username: 'alice' } as User;
const myIdentity = createIdentity('alice');

function requester(upgraded: boolean) {
  const id = newUuid();
  const fresh = createIdentity('bob');
  const identity: Identity = upgraded ? fresh : { ...fresh, kem: null };
  const record = upgraded ? encodePublicKeys(identity, id) : encodePublicKeysV1(identity);
  const request = {
    id: newUuid(),
    user: { id, username: 'bob' },
    createdAt: new Date().toISOString(),
  } as FriendRequest;
  return { request, identity, keys: decodePublicKeys(record, 'bob', id) };
}

/** Opens `member`'s copy as that member's client would. */
function openAs(prepared: Awaited<ReturnType<typeof prepareAccept>>, memberId: string, identity: Identity) {
  const record = prepared.wrappedKeys.find((k) => k.memberId === memberId)!.record;
  const expected = { roomId: prepared.roomId, epoch: FIRST_EPOCH, memberId };
  return openRoomKey(fromBase64(record), expected, identity, { id: me.id, ...myIdentity });
}

describe('prepareAccept', () => {
  it('wraps the first key hybrid for both when both have ML-KEM keys', async () => {
    const bob = requester(true);
    const prepared = await prepareAccept(bob.request, me, myIdentity, bob.keys);
    expect(prepared.hybrid).toBe(true);
    expect(prepared.wrappedKeys.map((k) => [k.memberId, fromBase64(k.record).length])).toEqual([
      [me.id, 1341],
      [bob.request.user.id, 1341],
    ]);
    expect(openAs(prepared, bob.request.user.id, bob.identity)).toEqual({ roomKey: prepared.roomKey, hybrid: true });
    expect(openAs(prepared, me.id, myIdentity)).toEqual({ roomKey: prepared.roomKey, hybrid: true });
  });

  it('wraps it classically when the requester has not published ML-KEM keys yet', async () => {
    const bob = requester(false);
    const prepared = await prepareAccept(bob.request, me, myIdentity, bob.keys);
    expect(prepared.hybrid).toBe(false);
    expect(prepared.wrappedKeys.map((k) => fromBase64(k.record).length)).toEqual([221, 221]);
    expect(openAs(prepared, bob.request.user.id, bob.identity)).toEqual({ roomKey: prepared.roomKey, hybrid: false });
  });

  it('wraps it classically when this account has no ML-KEM key yet', async () => {
    const bob = requester(true);
    const prepared = await prepareAccept(bob.request, me, { ...myIdentity, kem: null }, bob.keys);
    expect(prepared.hybrid).toBe(false);
    expect(prepared.wrappedKeys.map((k) => fromBase64(k.record).length)).toEqual([221, 221]);
  });
});
