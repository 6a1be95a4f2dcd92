// The lists' refreshes overlap (start-up's sync, another after a change made here): the
// answer shown is the one asked for last, whatever order they come back in.
import type { FriendsList } from '@onionchat/contract';
import { describe, expect, it } from 'vitest';
import type { RoomStore } from './room-store.js';
import { RoomSync, type SyncParts } from './sync.js';

function list(outgoing: string[]): FriendsList {
  return {
    friends: [],
    incoming: [],
    outgoing: outgoing.map((username) => ({ id: `r-${username}`, user: { id: `u-${username}`, username } })),
  } as unknown as FriendsList;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('RoomSync lists', () => {
  it('drops an answer asked for earlier that comes back later, so a request just sent stays listed', async () => {
    const answers = [deferred<FriendsList>(), deferred<FriendsList>()];
    let call = 0;
    const shown: FriendsList[] = [];
    const store = {
      setFriends: (friends: FriendsList) => shown.push(friends),
      applyServerRooms: () => undefined,
    } as unknown as RoomStore;
    const parts = {
      api: { friends: () => answers[call++]!.promise, rooms: async () => ({ rooms: [] }) },
      store,
      trust: { checkMembers: () => undefined },
      prepareKeys: async () => undefined,
      groups: { beforeListing: async () => undefined, keep: () => true, afterListing: () => undefined },
    } as unknown as SyncParts;
    const sync = new RoomSync(parts);

    const atStart = sync.refreshLists();
    const afterRequest = sync.refreshLists();
    answers[1]!.resolve(list(['alice']));
    await afterRequest;
    answers[0]!.resolve(list([]));
    await atStart;
    expect(shown.map((friends) => friends.outgoing.map((request) => request.user.username))).toEqual([['alice']]);
  });
});
