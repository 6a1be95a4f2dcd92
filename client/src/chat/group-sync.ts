// Keeping up with groups: each group has its chain of records fetched and verified
// before its members are pinned or its keys and messages loaded (with the room's own
// sync, so the lists show without waiting for every chain); a group the server no
// longer lists is asked once more (a 404 says this account is no longer in it, and the
// conversation stays, saying so); 'group:changed' fetches that chain and then the lists;
// and whenever a chain moves on, its conversation is drawn again, its name read and its
// messages judged again.

import type { FriendsList, Room } from '@onionchat/contract';
import type { GroupChainView, GroupChains } from '../groups/group-chains.js';
import type { GroupChanges } from '../groups/group-changes.js';
import type { Api } from '../transport/api.js';
import { decodeGroupChanged } from './decode.js';
import { isGroup, type GroupRooms } from './group-rooms.js';
import type { KeyedQueue } from './keyed-queue.js';
import type { RoomStore } from './room-store.js';
import type { UserNames } from './user-names.js';

/** Chains fetched at the same time (Tor circuits are slow; don't flood them). */
const PARALLEL_CHAINS = 3;

export interface GroupSyncParts {
  api: Pick<Api, 'config'>;
  chains: GroupChains;
  changes: Pick<GroupChanges, 'finishEpoch'>;
  rooms: Pick<GroupRooms, 'infos' | 'recheck'>;
  store: RoomStore;
  /** Checks and pins the members of a group its verified chain has (RoomTrust.checkMembers). */
  checkMembers: (room: Room) => void;
  queue: KeyedQueue;
  names: UserNames;
  /** The friend and room lists are to be fetched again (debounced). */
  listsChanged: () => void;
}

export class GroupSync {
  /** The server's member limit, read once (again after a failure). */
  private limitRead: Promise<void> | null = null;
  /** The chain view each conversation was last drawn with. */
  private readonly drawn = new Map<string, GroupChainView>();

  constructor(private readonly parts: GroupSyncParts) {}

  /** Hears the chains; returns the cleanup. */
  start(): () => void {
    return this.parts.chains.subscribe(() => this.chainsChanged());
  }

  /**
   * Before the lists are taken in: names, and the chains of known groups whose listing
   * changed: no longer listed (a 404 says this account is out), or listed again after a
   * 404 (taken in again).
   */
  async beforeListing(rooms: readonly Room[], friends: FriendsList): Promise<void> {
    const { chains, names } = this.parts;
    names.note([...friends.friends.map((friend) => friend.user), ...rooms.flatMap((room) => room.members)]);
    const listed = new Set(rooms.filter(isGroup).map((room) => room.id));
    const changed = this.groupIds().filter((id) => listed.has(id) === chains.isGone(id));
    if (changed.length === 0) return;
    await this.readLimit();
    await inTurns(changed, (id) => chains.sync(id).catch(() => undefined));
  }

  /** A group the server no longer lists stays while it answers as to someone no longer in it. */
  keep(roomId: string): boolean {
    const conversation = this.parts.store.get(roomId);
    return conversation !== undefined && isGroup(conversation.room) && this.parts.chains.isGone(roomId);
  }

  /** After the lists are taken in: names read, each verified group's key posted if nobody has, views drawn again. */
  afterListing(): void {
    const { store, chains, rooms } = this.parts;
    for (const roomId of this.groupIds()) {
      rooms.infos.refresh(store.get(roomId)!.room, chains.stateOf(roomId));
      // Groups not verified yet get theirs once they are (ready).
      if (chains.stateOf(roomId)) this.finishEpoch(roomId);
      // Member labels depend on the friends list too.
      store.invalidate(roomId);
    }
  }

  /**
   * Before a room's messages are loaded (each sync): a group's chain is fetched and
   * verified, its members checked, its key posted if nobody has. False for a group
   * this account is out of. Rejects when the chain could not be fetched.
   */
  async ready(roomId: string): Promise<boolean> {
    const { store, chains } = this.parts;
    const conversation = store.get(roomId);
    if (!conversation || !isGroup(conversation.room)) return true;
    if (chains.isGone(roomId)) return false;
    await this.readLimit();
    await chains.sync(roomId);
    if (chains.isGone(roomId)) return false;
    this.parts.checkMembers(store.get(roomId)?.room ?? conversation.room);
    this.finishEpoch(roomId);
    return true;
  }

  /** group:changed: that chain, then the lists (new members' keys, a new room, one gone). */
  onChanged(payload: unknown): void {
    const changed = decodeGroupChanged(payload);
    if (!changed) return;
    void this.parts.chains
      .sync(changed.roomId, changed.index)
      .catch(() => undefined)
      .finally(() => this.parts.listsChanged());
  }

  /** The server refused a message as sealed under an ended epoch: a group's chain is fetched at once. */
  staleEpoch(roomId: string): void {
    const conversation = this.parts.store.get(roomId);
    if (conversation && isGroup(conversation.room)) void this.parts.chains.sync(roomId).catch(() => undefined);
    this.parts.listsChanged();
  }

  forget(roomId: string): void {
    this.drawn.delete(roomId);
  }

  private chainsChanged(): void {
    const { store, chains, queue, rooms } = this.parts;
    for (const roomId of this.groupIds()) {
      const view = chains.view(roomId);
      if (this.drawn.get(roomId) === view) continue;
      this.drawn.set(roomId, view);
      store.invalidate(roomId);
      rooms.infos.refresh(store.get(roomId)!.room, view.state);
      void queue.run(roomId, () => rooms.recheck.run(roomId)).catch(() => undefined);
    }
  }

  /** Posts the group's current key when nobody has (after a leave); nothing to do when it is held. */
  private finishEpoch(roomId: string): void {
    if (!this.parts.chains.isGone(roomId)) void this.parts.changes.finishEpoch(roomId).catch(() => undefined);
  }

  private groupIds(): string[] {
    const { store } = this.parts;
    return store.ids().filter((id) => isGroup(store.get(id)!.room));
  }

  private readLimit(): Promise<void> {
    this.limitRead ??= this.parts.api
      .config()
      .then((config) => this.parts.chains.useMaxMembers(config.groupMaxMembers))
      .catch(() => {
        // Judged with the default meanwhile; asked again next time.
        this.limitRead = null;
      });
    return this.limitRead;
  }
}

/** Runs `task` for each id, a few at a time. */
async function inTurns(ids: readonly string[], task: (id: string) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < ids.length) await task(ids[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_CHAINS, ids.length) }, worker));
}
