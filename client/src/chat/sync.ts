// Keeping up with the server: the friend and room lists, every room caught up after
// each (re)connection (a few at a time), and new messages as the socket announces
// them. Coalesced: a sync asked for while one runs runs once more afterwards.

import { errorMessage } from '../account';
import { api, type Room } from '../api';
import { isServerMessage } from '../messages';
import type { ChatCore } from './core';
import type { RoomHistory } from './history';
import { isRoom, newEntry, normalizeFriends } from './room-entry';
import type { ChatTrust } from './trust';
import { countOthers } from './unread';

/** Conversations loaded at the same time (Tor circuits are slow; don't flood them). */
const PARALLEL_ROOMS = 3;
const SYNC_RETRY_MS = 10_000;
const FRIENDS_DEBOUNCE_MS = 250;

export class RoomSync {
  private syncWanted = false;
  private syncRunning = false;
  private syncTimer: ReturnType<typeof setTimeout> | null = null;
  private friendsTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly core: ChatCore,
    private readonly history: RoomHistory,
    private readonly trust: ChatTrust,
    /** A conversation is gone: drop what is queued for it. */
    private readonly dropRoom: (roomId: string) => void,
  ) {}

  stop(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    if (this.friendsTimer) clearTimeout(this.friendsTimer);
  }

  /** Refreshes friends and rooms, then catches every room up. Coalesced: runs again if asked while running. */
  requestSync(): void {
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
      while (this.syncWanted && !this.core.stopped) {
        this.syncWanted = false;
        try {
          await this.refreshLists();
          await this.syncRooms();
        } catch (error) {
          if (this.core.stopped) return;
          if (!this.core.friends) this.core.error = errorMessage(error);
          this.core.changed();
          // Try again later; a reconnection asks sooner.
          if (!this.syncTimer) {
            this.syncTimer = setTimeout(() => {
              this.syncTimer = null;
              this.requestSync();
            }, SYNC_RETRY_MS);
          }
        }
      }
    } finally {
      this.syncRunning = false;
    }
  }

  async refreshLists(): Promise<void> {
    const [friends, { rooms }] = await Promise.all([api.friends(), api.rooms()]);
    if (this.core.stopped) return;
    this.core.friends = normalizeFriends(friends);
    this.core.error = null;
    this.applyRooms(Array.isArray(rooms) ? rooms : []);
    this.core.changed();
  }

  private applyRooms(rooms: Room[]): void {
    const seen = new Set<string>();
    for (const raw of rooms) {
      if (!isRoom(raw)) continue;
      seen.add(raw.id);
      this.trust.checkMembers(raw);
      const entry = this.core.entries.get(raw.id);
      if (!entry) {
        this.core.entries.set(raw.id, newEntry(raw));
        continue;
      }
      const local = entry.room;
      const lastSeq = Math.max(local.lastSeq, raw.lastSeq);
      const lastReadSeq = Math.max(local.lastReadSeq, raw.lastReadSeq);
      let unread = raw.unread;
      // Messages that arrived over the socket after the server counted.
      if (local.lastSeq > raw.lastSeq) {
        unread += countOthers(entry, Math.max(raw.lastSeq, lastReadSeq), local.lastSeq);
      }
      if (lastReadSeq >= lastSeq) unread = 0;
      entry.room = { ...raw, lastSeq, lastReadSeq, unread };
      this.core.changed(entry);
    }
    for (const id of [...this.core.entries.keys()]) {
      if (seen.has(id)) continue;
      const entry = this.core.entries.get(id)!;
      if (entry.readTimer) clearTimeout(entry.readTimer);
      this.core.entries.delete(id);
      this.core.keyring.forget(id);
      this.core.held.forgetRoom(id);
      this.dropRoom(id);
    }
    this.core.changed();
  }

  async syncRooms(): Promise<void> {
    const ids = [...this.core.entries.keys()].sort(
      (a, b) => Number(b === this.core.activeRoomId) - Number(a === this.core.activeRoomId),
    );
    let failure: unknown = null;
    let next = 0;
    const worker = async () => {
      while (next < ids.length && !this.core.stopped) {
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
    return this.core.queue.run(roomId, async () => {
      const entry = this.core.entries.get(roomId);
      if (!entry || this.core.stopped) return;
      try {
        await this.history.syncRoomNow(entry);
        entry.error = null;
      } catch (error) {
        entry.error = errorMessage(error);
        throw error;
      } finally {
        this.core.changed(entry);
      }
    });
  }

  onMessageNew(payload: unknown): void {
    if (!isServerMessage(payload)) return;
    const entry = this.core.entries.get(payload.roomId);
    if (!entry) {
      // A room we don't know yet (a friendship just made): the lists will tell.
      this.requestSync();
      return;
    }
    void this.core.queue
      .run(payload.roomId, async () => {
        if (this.core.entries.get(payload.roomId) !== entry || entry.timeline.has(payload.seq)) return;
        if (!entry.loaded) {
          // Not loaded yet: count it; the load fetches it with the rest.
          if (payload.seq > entry.room.lastSeq) {
            const mine = payload.senderId === this.core.me.id;
            const unread =
              entry.room.unread +
              (!mine && payload.seq > entry.room.lastReadSeq && !this.core.watching(entry.room.id) ? 1 : 0);
            entry.room = { ...entry.room, lastSeq: payload.seq, unread };
            this.core.changed(entry);
          }
          return;
        }
        if (payload.seq > entry.timeline.syncedUpTo + 1) {
          // Something is missing before it: catch up (which fetches this one too).
          await this.history.catchUpNow(entry, true);
          return;
        }
        await this.history.ingest(entry, [payload], true);
      })
      .catch(() => {
        // Couldn't fetch what was missing: the next sync will.
        this.scheduleSync();
      });
  }

  /** Several changes often come at once (an accept notifies both sides): refetch once. */
  friendsChanged(): void {
    if (this.friendsTimer) return;
    this.friendsTimer = setTimeout(() => {
      this.friendsTimer = null;
      this.requestSync();
    }, FRIENDS_DEBOUNCE_MS);
  }

  scheduleSync(): void {
    if (this.syncTimer || this.core.stopped) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      this.requestSync();
    }, SYNC_RETRY_MS);
  }
}
