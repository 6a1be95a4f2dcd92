// Keeping up with the server: the friend and room lists, every room caught up after
// each (re)connection (a few at a time), and new messages as the socket announces
// them. Coalesced: a sync asked for while one runs runs once more afterwards.

import { describeError } from '../describe-error.js';
import type { PublicUser } from '@onionchat/contract';
import type { Api } from '../transport/api.js';
import { decodeMessageNew, decodeRooms } from './decode.js';
import type { GroupSync } from './group-sync.js';
import type { RoomHistory } from './history.js';
import type { KeyedQueue } from './keyed-queue.js';
import type { RoomStore } from './room-store.js';
import type { RoomTrust } from './room-trust.js';

/** Conversations loaded at the same time (Tor circuits are slow; don't flood them). */
const PARALLEL_ROOMS = 3;
export const SYNC_RETRY_MS = 10_000;
const FRIENDS_DEBOUNCE_MS = 250;

export interface SyncParts {
  api: Pick<Api, 'friends' | 'rooms'>;
  store: RoomStore;
  queue: KeyedQueue;
  history: RoomHistory;
  trust: Pick<RoomTrust, 'checkMembers'>;
  /** Checks records' signatures ahead of use, natively where the engine can (KeyDirectory.prepare). */
  prepareKeys: (users: readonly PublicUser[]) => Promise<void>;
  /** Groups' chains, verified before their members are pinned and their messages loaded. */
  groups: Pick<GroupSync, 'beforeListing' | 'keep' | 'afterListing' | 'ready'>;
}

export class RoomSync {
  private syncWanted = false;
  private syncRunning = false;
  private syncTimer: ReturnType<typeof setTimeout> | null = null;
  private friendsTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  /** Refreshes of the lists started, and the latest one whose answer is shown. */
  private listsAsked = 0;
  private listsShown = 0;

  constructor(private readonly parts: SyncParts) {}

  stop(): void {
    this.stopped = true;
    if (this.syncTimer) clearTimeout(this.syncTimer);
    if (this.friendsTimer) clearTimeout(this.friendsTimer);
  }

  /** Refreshes friends and rooms, then catches every room up. Coalesced: runs again if asked while running. */
  requestSync(): void {
    if (this.stopped) return;
    this.syncWanted = true;
    if (this.syncTimer) {
      clearTimeout(this.syncTimer);
      this.syncTimer = null;
    }
    if (!this.syncRunning) void this.runSync();
  }

  private async runSync(): Promise<void> {
    this.syncRunning = true;
    try {
      while (this.syncWanted && !this.stopped) {
        this.syncWanted = false;
        try {
          await this.refreshLists();
          await this.syncRooms();
        } catch (error) {
          if (this.stopped) return;
          this.parts.store.setListError(describeError(error));
          // Try again later; a reconnection asks sooner.
          this.scheduleSync();
        }
      }
    } finally {
      this.syncRunning = false;
    }
  }

  /**
   * The friend and room lists, fetched and checked. Refreshes overlap (a sync at start-up,
   * another after a friend request sent here); an answer asked for earlier that is ready
   * later is dropped, or it would put back a list without the request just sent.
   */
  async refreshLists(): Promise<void> {
    const asked = ++this.listsAsked;
    const [friends, { rooms }] = await Promise.all([this.parts.api.friends(), this.parts.api.rooms()]);
    if (this.stopped) return;
    const decoded = decodeRooms(rooms);
    // Every record the lists name is checked in one go before anything reads it.
    await this.parts.prepareKeys([
      ...decoded.flatMap((room) => room.members),
      ...friends.incoming.map((request) => request.user),
    ]);
    if (this.stopped) return;
    await this.parts.groups.beforeListing(decoded, friends);
    if (this.stopped) return;
    if (asked < this.listsShown) return;
    this.listsShown = asked;
    for (const room of decoded) this.parts.trust.checkMembers(room);
    this.parts.store.setFriends(friends);
    this.parts.store.applyServerRooms(decoded, (roomId) => this.parts.groups.keep(roomId));
    this.parts.groups.afterListing();
  }

  /**
   * After a change made here (a friend or group action): the lists at once, then the
   * rooms' messages (a new conversation's); a failed refresh is retried by the next sync.
   */
  async refreshAfterChange(): Promise<void> {
    try {
      await this.refreshLists();
    } catch {
      this.scheduleSync();
      return;
    }
    void this.syncRooms().catch(() => this.scheduleSync());
  }

  async syncRooms(): Promise<void> {
    const { store } = this.parts;
    const active = store.activeRoomId;
    const ids = store.ids().sort((a, b) => Number(b === active) - Number(a === active));
    let failure: unknown = null;
    let next = 0;
    const worker = async () => {
      while (next < ids.length && !this.stopped) {
        const id = ids[next++]!;
        try {
          await this.syncRoom(id);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_ROOMS, ids.length) }, worker));
    if (failure) throw failure;
  }

  /** Loads a room for the first time, or catches it up. Serialized per room. */
  syncRoom(roomId: string): Promise<void> {
    const { store, queue, history, groups } = this.parts;
    return queue.run(roomId, async () => {
      if (!store.has(roomId) || this.stopped) return;
      try {
        // A group this account is no longer in answers nothing more.
        if (!(await groups.ready(roomId))) return;
        await history.syncRoomNow(roomId);
        store.setFlags(roomId, { error: null });
      } catch (error) {
        store.setFlags(roomId, { error: describeError(error) });
        throw error;
      }
    });
  }

  /** message:new. */
  onMessageNew(payload: unknown): void {
    const message = decodeMessageNew(payload);
    if (!message || this.stopped) return;
    const { store, queue, history } = this.parts;
    const conversation = store.get(message.roomId);
    if (!conversation) {
      // A room we don't know yet (a friendship just made): the lists will tell.
      this.requestSync();
      return;
    }
    void queue
      .run(message.roomId, async () => {
        if (store.get(message.roomId) !== conversation || conversation.timeline.has(message.seq)) return;
        if (!conversation.loaded) {
          // Not loaded yet: count it; the load fetches it with the rest.
          store.noteUnloaded(message.roomId, message.seq, message.senderId);
          return;
        }
        if (message.seq > conversation.timeline.syncedUpTo + 1) {
          // Something is missing before it: catch up (which fetches this one too).
          await history.catchUpNow(message.roomId, true);
          return;
        }
        await history.ingest(message.roomId, [message], true);
      })
      .catch(() => {
        // Couldn't fetch what was missing: the next sync will.
        this.scheduleSync();
      });
  }

  /** Several changes often come at once (an accept notifies both sides): refetch once. */
  friendsChanged(): void {
    if (this.friendsTimer || this.stopped) return;
    this.friendsTimer = setTimeout(() => {
      this.friendsTimer = null;
      this.requestSync();
    }, FRIENDS_DEBOUNCE_MS);
  }

  scheduleSync(): void {
    if (this.syncTimer || this.stopped) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      this.requestSync();
    }, SYNC_RETRY_MS);
  }
}
