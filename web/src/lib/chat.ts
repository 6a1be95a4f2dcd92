// The chat session: friends, rooms, messages, unread counts and the outbox, kept in
// memory for as long as the chat page is open, and published as immutable snapshots
// (for React's useSyncExternalStore; no React in here).
//
// Sources of truth: the REST API for lists and history, the socket for what happens
// now. After every (re)connection the session catches up over REST, so nothing sent
// while it was away is missed; messages are deduplicated by seq.

import {
  FILE_MAX_BYTES,
  MAX_TEXT_CHARS,
  MessageLedger,
  ProtocolError,
  fileMessageBody,
  newUuid,
  sanitizeFileMime,
  sanitizeFileName,
  sealMessage,
  toBase64,
  type Identity,
  type MessageBody,
} from '@onionchat/protocol';
import {
  ApiError,
  NETWORK_ERROR_MESSAGE,
  api,
  type FriendRequest,
  type FriendsList,
  type PublicUser,
  type Room,
  type ServerMessage,
  type User,
} from './api';
import { errorMessage } from './account';
import { FriendError, prepareAccept } from './friends';
import { KeyDirectory, RoomKeyring, VerifyError } from './keys';
import {
  KeyedQueue,
  Timeline,
  isServerMessage,
  openServerMessage,
  yieldToBrowser,
  type ChatItem,
  type OpenContext,
} from './messages';
import { Outbox, RATE_LIMIT_BACKOFF_MS, type OutboxEntry, type SendOutcome } from './outbox';
import { Realtime, RealtimeError, type ConnectionState } from './realtime';
import { FileTransfers, type FileSource } from './transfers';

/** How long to wait for the server to acknowledge a message. */
export const SEND_TIMEOUT_MS = 15_000;
/** Messages fetched when a conversation is first opened, and per step back through history. */
export const PAGE_SIZE = 50;
const CATCH_UP_PAGE = 100;
/** Conversations loaded at the same time (Tor circuits are slow; don't flood them). */
const PARALLEL_ROOMS = 3;
const READ_DEBOUNCE_MS = 600;
const SYNC_RETRY_MS = 10_000;
const FRIENDS_DEBOUNCE_MS = 250;
/** Spend at most this long checking signatures before letting the page repaint. */
const SLICE_MS = 24;
/** Files picked or dropped at once. */
export const MAX_FILES_AT_ONCE = 10;

export interface RoomState {
  room: Room;
  /** The other member of a direct room. */
  peer: PublicUser | null;
  items: readonly ChatItem[];
  /** The latest messages have been fetched at least once. */
  loaded: boolean;
  /** Fetched only the newest message (for the list), not a page yet. */
  partial: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  error: string | null;
  /** Time of the newest message held. */
  lastActivity: number | null;
  /** The newest message held (for the conversation list). */
  last: ChatItem | null;
}

export interface ChatSnapshot {
  connection: ConnectionState;
  /** Has been connected at least once (so "connecting" later means "reconnecting"). */
  connectedOnce: boolean;
  friends: FriendsList | null;
  rooms: ReadonlyMap<string, RoomState>;
  /** Loading the friend list failed (and nothing is shown yet). */
  error: string | null;
  totalUnread: number;
  /** Messages waiting to go out. */
  queued: number;
}

/** New messages from others, as they arrive (for the live region and the "New messages" pill). */
export type IncomingListener = (roomId: string, items: ChatItem[]) => void;

interface RoomEntry {
  room: Room;
  timeline: Timeline;
  loaded: boolean;
  partial: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  error: string | null;
  /** Highest seq reported read to the server (or being reported). */
  readSent: number;
  readWanted: number;
  readTimer: ReturnType<typeof setTimeout> | null;
  view: RoomState | null;
}

export interface ChatSessionOptions {
  user: User;
  identity: Identity;
  onSessionLost: () => void;
}

export class ChatSession {
  readonly me: User;
  private readonly identity: Identity;
  private readonly options: ChatSessionOptions;
  private readonly realtime: Realtime;
  private readonly directory: KeyDirectory;
  private readonly keyring: RoomKeyring;
  private readonly ledger = new MessageLedger();
  private readonly outbox: Outbox;
  /** File uploads and downloads (their progress has its own store, for the file cards). */
  readonly files: FileTransfers;
  private readonly queue = new KeyedQueue();
  private readonly entries = new Map<string, RoomEntry>();
  private friends: FriendsList | null = null;
  private error: string | null = null;
  private connection: ConnectionState = 'connecting';
  private connectedOnce = false;
  private activeRoomId: string | null = null;

  private snapshot: ChatSnapshot;
  private dirty = false;
  private readonly listeners = new Set<() => void>();
  private readonly incomingListeners = new Set<IncomingListener>();

  private syncWanted = false;
  private syncRunning = false;
  private syncTimer: ReturnType<typeof setTimeout> | null = null;
  private friendsTimer: ReturnType<typeof setTimeout> | null = null;
  private started = false;
  private stopped = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(options: ChatSessionOptions) {
    this.options = options;
    this.me = options.user;
    this.identity = options.identity;
    this.directory = new KeyDirectory(this.me.id, this.identity);
    this.keyring = new RoomKeyring(this.me.id, this.identity, this.directory);
    this.realtime = new Realtime({ onSessionLost: () => this.sessionLost() });
    this.outbox = new Outbox({
      canSend: () => this.realtime.connected,
      seal: (entry) => this.seal(entry),
      transmit: (entry) => this.transmit(entry),
      sent: (entry, message) => void this.onSent(entry, message),
      problem: (entry, state, note) => this.onSendProblem(entry, state, note),
      classifySealError: (error) => classifySealError(error),
    });
    this.files = new FileTransfers({
      uploaded: (roomId, clientId, file) => this.onFileUploaded(roomId, clientId, file),
      cancelled: (roomId, clientId) => this.onFileCancelled(roomId, clientId),
    });
    this.snapshot = this.build();
  }

  // ---------------------------------------------------------------- lifecycle

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.cleanups.push(
      this.realtime.onStatus((state) => {
        this.connection = state;
        if (state === 'connected') this.connectedOnce = true;
        this.changed();
      }),
      this.realtime.onConnect(() => {
        this.requestSync();
        this.outbox.kick();
        this.files.online();
      }),
      this.realtime.on('message:new', (payload) => this.onMessageNew(payload)),
      this.realtime.on('friends:changed', () => this.friendsChanged()),
      this.realtime.on('room:read', (payload) => this.onRoomRead(payload)),
      this.realtime.on('file:ready', (payload) => this.onFileReady(payload)),
    );
    const onVisibility = () => this.changed();
    document.addEventListener('visibilitychange', onVisibility);
    this.cleanups.push(() => document.removeEventListener('visibilitychange', onVisibility));
    const onOnline = () => this.files.online();
    window.addEventListener('online', onOnline);
    this.cleanups.push(() => window.removeEventListener('online', onOnline));
    // File keys live in this page only: leaving it mid-transfer loses the transfer.
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!this.files.busy) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    this.cleanups.push(() => window.removeEventListener('beforeunload', onBeforeUnload));
    this.realtime.start();
    this.requestSync();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.realtime.stop();
    this.outbox.stop();
    this.files.stop();
    if (this.syncTimer) clearTimeout(this.syncTimer);
    if (this.friendsTimer) clearTimeout(this.friendsTimer);
    for (const entry of this.entries.values()) if (entry.readTimer) clearTimeout(entry.readTimer);
    this.keyring.wipe();
    this.listeners.clear();
    this.incomingListeners.clear();
  }

  private sessionLost(): void {
    if (this.stopped) return;
    this.options.onSessionLost();
  }

  // ---------------------------------------------------------------- snapshots

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ChatSnapshot => this.snapshot;

  onIncoming(listener: IncomingListener): () => void {
    this.incomingListeners.add(listener);
    return () => this.incomingListeners.delete(listener);
  }

  /** Coalesces changes into one new snapshot per microtask. */
  private changed(entry?: RoomEntry): void {
    if (entry) entry.view = null;
    if (this.dirty || this.stopped) return;
    this.dirty = true;
    queueMicrotask(() => {
      this.dirty = false;
      if (this.stopped) return;
      this.snapshot = this.build();
      for (const listener of this.listeners) listener();
    });
  }

  private build(): ChatSnapshot {
    const rooms = new Map<string, RoomState>();
    let totalUnread = 0;
    for (const [id, entry] of this.entries) {
      if (!entry.view) entry.view = this.view(entry);
      rooms.set(id, entry.view);
      totalUnread += entry.room.unread;
    }
    return {
      connection: this.connection,
      connectedOnce: this.connectedOnce,
      friends: this.friends,
      rooms,
      error: this.error,
      totalUnread,
      queued: this.outbox.size,
    };
  }

  private view(entry: RoomEntry): RoomState {
    const items = entry.timeline.items;
    const last = items[items.length - 1] ?? null;
    return {
      room: entry.room,
      peer: entry.room.members.find((member) => member.id !== this.me.id) ?? null,
      items,
      loaded: entry.loaded,
      partial: entry.partial,
      hasOlder: entry.hasOlder,
      loadingOlder: entry.loadingOlder,
      error: entry.error,
      lastActivity: last?.time ?? null,
      last,
    };
  }

  // ---------------------------------------------------------------- what the page tells us

  /** The conversation on screen (or none). Messages there don't count as unread while the page is visible. */
  setActiveRoom(roomId: string | null): void {
    if (this.activeRoomId === roomId) return;
    this.activeRoomId = roomId;
    if (roomId) {
      const entry = this.entries.get(roomId);
      if (entry && (!entry.loaded || entry.partial)) void this.syncRoom(roomId);
    }
  }

  private watching(roomId: string): boolean {
    return this.activeRoomId === roomId && document.visibilityState === 'visible';
  }

  reconnectNow(): void {
    this.realtime.reconnectNow();
    if (!this.friends) this.requestSync();
  }

  // ---------------------------------------------------------------- syncing

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
      while (this.syncWanted && !this.stopped) {
        this.syncWanted = false;
        try {
          await this.refreshLists();
          await this.syncRooms();
        } catch (error) {
          if (this.stopped) return;
          if (!this.friends) this.error = errorMessage(error);
          this.changed();
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

  private async refreshLists(): Promise<void> {
    const [friends, { rooms }] = await Promise.all([api.friends(), api.rooms()]);
    if (this.stopped) return;
    this.friends = normalizeFriends(friends);
    this.error = null;
    this.applyRooms(Array.isArray(rooms) ? rooms : []);
    this.changed();
  }

  private applyRooms(rooms: Room[]): void {
    const seen = new Set<string>();
    for (const raw of rooms) {
      if (!isRoom(raw)) continue;
      seen.add(raw.id);
      const entry = this.entries.get(raw.id);
      if (!entry) {
        this.entries.set(raw.id, newEntry(raw));
        continue;
      }
      const local = entry.room;
      const lastSeq = Math.max(local.lastSeq, raw.lastSeq);
      const lastReadSeq = Math.max(local.lastReadSeq, raw.lastReadSeq);
      let unread = raw.unread;
      // Messages that arrived over the socket after the server counted.
      if (local.lastSeq > raw.lastSeq) {
        unread += this.countOthers(entry, Math.max(raw.lastSeq, lastReadSeq), local.lastSeq);
      }
      if (lastReadSeq >= lastSeq) unread = 0;
      entry.room = { ...raw, lastSeq, lastReadSeq, unread };
      this.changed(entry);
    }
    for (const id of [...this.entries.keys()]) {
      if (seen.has(id)) continue;
      const entry = this.entries.get(id)!;
      if (entry.readTimer) clearTimeout(entry.readTimer);
      this.entries.delete(id);
      this.keyring.forget(id);
      this.outbox.dropRoom(id);
      this.files.dropRoom(id);
    }
    this.changed();
  }

  private async syncRooms(): Promise<void> {
    const ids = [...this.entries.keys()].sort(
      (a, b) => Number(b === this.activeRoomId) - Number(a === this.activeRoomId),
    );
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
  private syncRoom(roomId: string): Promise<void> {
    return this.queue.run(roomId, async () => {
      const entry = this.entries.get(roomId);
      if (!entry || this.stopped) return;
      try {
        await this.syncRoomNow(entry);
        entry.error = null;
      } catch (error) {
        entry.error = errorMessage(error);
        throw error;
      } finally {
        this.changed(entry);
      }
    });
  }

  /** Only call from inside the room's queue. */
  private async syncRoomNow(entry: RoomEntry): Promise<void> {
    const roomId = entry.room.id;
    const full = this.activeRoomId === roomId;
    if (!entry.loaded || (entry.partial && full)) {
      // The newest messages first: a whole page for the open conversation, just the
      // last one for the others (for the conversation list; the rest on opening).
      const lastSeq = entry.room.lastSeq;
      const lowestHeld = entry.loaded ? entry.timeline.lowest : null;
      if (lastSeq > 0 && (lowestHeld === null || lowestHeld > 1)) {
        const before = lowestHeld ?? lastSeq + 1;
        const page = await api.messagesBefore(roomId, before, full ? PAGE_SIZE : 1);
        if (this.entries.get(roomId) !== entry) return;
        await this.ingest(
          entry,
          validMessages(page.messages, roomId).filter((m) => m.seq < before),
          false,
        );
        const lowest = entry.timeline.lowest;
        if (!entry.loaded) entry.timeline.start(lowest !== null ? Math.min(lowest - 1, lastSeq) : lastSeq);
        entry.hasOlder = lowest !== null && lowest > 1 && (lowestHeld === null || lowest < lowestHeld);
      } else if (!entry.loaded) {
        entry.timeline.start(lastSeq);
        entry.hasOlder = false;
      }
      entry.partial = !full && entry.hasOlder;
      entry.loaded = true;
      this.changed(entry);
    }
    await this.catchUpNow(entry);
  }

  /** Fetches everything after the last seq held without a gap. Only call from inside the room's queue. */
  private async catchUpNow(entry: RoomEntry, force = false): Promise<void> {
    const roomId = entry.room.id;
    for (let round = 0; ; round += 1) {
      const after = entry.timeline.syncedUpTo;
      if (!(force && round === 0) && after >= entry.room.lastSeq && entry.timeline.highest <= after) {
        // The room list says there is nothing newer: no request needed. Check
        // anyway when the list is older than what the socket told us.
        return;
      }
      const page = await api.messagesAfter(roomId, after, CATCH_UP_PAGE);
      if (!this.entries.has(roomId)) return;
      const messages = validMessages(page.messages, roomId);
      await this.ingest(entry, messages, true);
      const progressed = entry.timeline.syncedUpTo > after;
      if (!page.hasMore || !progressed) {
        // A server that says there are no more messages below the count it gave:
        // believe the messages, not the count.
        if (!page.hasMore && entry.room.lastSeq > entry.timeline.syncedUpTo && messages.length === 0) {
          entry.room = { ...entry.room, lastSeq: entry.timeline.syncedUpTo };
        }
        return;
      }
    }
  }

  async loadOlder(roomId: string): Promise<void> {
    const entry = this.entries.get(roomId);
    if (!entry || !entry.hasOlder || entry.loadingOlder) return;
    entry.loadingOlder = true;
    this.changed(entry);
    try {
      await this.queue.run(roomId, async () => {
        const lowest = entry.timeline.lowest;
        if (lowest === null || lowest <= 1) {
          entry.hasOlder = false;
          return;
        }
        const page = await api.messagesBefore(roomId, lowest, PAGE_SIZE);
        const messages = validMessages(page.messages, roomId).filter((m) => m.seq < lowest);
        await this.ingest(entry, messages, false);
        const now = entry.timeline.lowest ?? lowest;
        entry.hasOlder = now > 1 && now < lowest;
        entry.partial = false;
        entry.error = null;
      });
    } catch (error) {
      entry.error = errorMessage(error);
    } finally {
      entry.loadingOlder = false;
      this.changed(entry);
    }
  }

  /**
   * Opens and files messages (already-held seqs skipped). `fresh`: these
   * may be new since the room list was fetched (count them as unread, announce them).
   * Only call from inside the room's queue.
   */
  private async ingest(entry: RoomEntry, messages: ServerMessage[], fresh: boolean): Promise<void> {
    const ctx = this.openContext();
    const incoming: ChatItem[] = [];
    let sliceStart = performance.now();
    // New messages oldest first (in reading order); history newest first, so what is
    // next to the screen appears first (checking signatures is slow without a JIT).
    const ordered = [...messages].sort((a, b) => (fresh ? a.seq - b.seq : b.seq - a.seq));
    for (const message of ordered) {
      if (entry.timeline.has(message.seq)) continue;
      const item = await openServerMessage(message, entry.room, ctx);
      if (this.stopped || this.entries.get(entry.room.id) !== entry) return;
      if (entry.timeline.has(message.seq)) continue;
      const pending =
        item.mine && item.state === 'sent' && item.messageId ? entry.timeline.findPending(item.messageId) : null;
      if (pending && item.messageId) {
        // Our own send, stored by the server (its acknowledgement may have been lost).
        entry.timeline.confirmPending(item.messageId, message.seq, item.time);
        this.outbox.delivered(item.messageId);
      } else {
        entry.timeline.insert(item);
      }
      if (message.seq > entry.room.lastSeq) {
        let { unread } = entry.room;
        if (!item.mine && message.seq > entry.room.lastReadSeq && !this.watching(entry.room.id)) unread += 1;
        entry.room = { ...entry.room, lastSeq: message.seq, unread };
        if (fresh && !item.mine) incoming.push(item);
      }
      if (performance.now() - sliceStart > SLICE_MS) {
        this.changed(entry);
        await yieldToBrowser();
        sliceStart = performance.now();
      }
    }
    this.changed(entry);
    if (incoming.length > 0) {
      for (const listener of this.incomingListeners) listener(entry.room.id, incoming);
    }
  }

  private openContext(): OpenContext {
    return {
      meId: this.me.id,
      identity: this.identity,
      directory: this.directory,
      keyring: this.keyring,
      ledger: this.ledger,
    };
  }

  // ---------------------------------------------------------------- socket events

  private onMessageNew(payload: unknown): void {
    if (!isServerMessage(payload)) return;
    const entry = this.entries.get(payload.roomId);
    if (!entry) {
      // A room we don't know yet (a friendship just made): the lists will tell.
      this.requestSync();
      return;
    }
    void this.queue
      .run(payload.roomId, async () => {
        if (this.entries.get(payload.roomId) !== entry || entry.timeline.has(payload.seq)) return;
        if (!entry.loaded) {
          // Not loaded yet: count it; the load fetches it with the rest.
          if (payload.seq > entry.room.lastSeq) {
            const mine = payload.senderId === this.me.id;
            const unread =
              entry.room.unread +
              (!mine && payload.seq > entry.room.lastReadSeq && !this.watching(entry.room.id) ? 1 : 0);
            entry.room = { ...entry.room, lastSeq: payload.seq, unread };
            this.changed(entry);
          }
          return;
        }
        if (payload.seq > entry.timeline.syncedUpTo + 1) {
          // Something is missing before it: catch up (which fetches this one too).
          await this.catchUpNow(entry, true);
          return;
        }
        await this.ingest(entry, [payload], true);
      })
      .catch(() => {
        // Couldn't fetch what was missing: the next sync will.
        this.scheduleSync();
      });
  }

  private onFileReady(payload: unknown): void {
    if (typeof payload !== 'object' || payload === null) return;
    const { fileId } = payload as { fileId?: unknown };
    if (typeof fileId === 'string') this.files.markReady(fileId);
  }

  private onRoomRead(payload: unknown): void {
    if (typeof payload !== 'object' || payload === null) return;
    const { roomId, lastReadSeq } = payload as { roomId?: unknown; lastReadSeq?: unknown };
    if (typeof roomId !== 'string' || typeof lastReadSeq !== 'number' || !Number.isSafeInteger(lastReadSeq)) return;
    const entry = this.entries.get(roomId);
    if (!entry) return;
    this.applyRead(entry, lastReadSeq);
  }

  /** Several changes often come at once (an accept notifies both sides): refetch once. */
  private friendsChanged(): void {
    if (this.friendsTimer) return;
    this.friendsTimer = setTimeout(() => {
      this.friendsTimer = null;
      this.requestSync();
    }, FRIENDS_DEBOUNCE_MS);
  }

  private scheduleSync(): void {
    if (this.syncTimer || this.stopped) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      this.requestSync();
    }, SYNC_RETRY_MS);
  }

  // ---------------------------------------------------------------- unread

  /** Messages from others held in (from, to]. */
  private countOthers(entry: RoomEntry, from: number, to: number): number {
    let count = 0;
    for (const item of entry.timeline.items) {
      if (item.seq !== null && item.seq > from && item.seq <= to && !item.mine) count += 1;
    }
    return count;
  }

  private applyRead(entry: RoomEntry, seq: number): void {
    const room = entry.room;
    if (seq <= room.lastReadSeq) return;
    const lastReadSeq = seq;
    let unread: number;
    if (lastReadSeq >= room.lastSeq) {
      unread = 0;
    } else {
      const lowest = entry.timeline.lowest;
      const covered = lowest !== null && lowest <= lastReadSeq + 1 && entry.timeline.syncedUpTo >= room.lastSeq;
      unread = covered
        ? this.countOthers(entry, lastReadSeq, room.lastSeq)
        : Math.min(room.unread, room.lastSeq - lastReadSeq);
    }
    entry.room = { ...room, lastReadSeq, unread };
    this.changed(entry);
  }

  /** The person has seen the room up to `seq`: clear its badge now, tell the server shortly. */
  markRead(roomId: string, seq: number): void {
    const entry = this.entries.get(roomId);
    if (!entry || !Number.isSafeInteger(seq) || seq < 1) return;
    this.applyRead(entry, seq);
    if (seq <= entry.readSent || seq <= entry.readWanted) return;
    entry.readWanted = seq;
    if (entry.readTimer) return;
    entry.readTimer = setTimeout(() => {
      entry.readTimer = null;
      void this.flushRead(entry);
    }, READ_DEBOUNCE_MS);
  }

  private async flushRead(entry: RoomEntry): Promise<void> {
    const seq = entry.readWanted;
    if (seq <= entry.readSent || this.stopped) return;
    const before = entry.readSent;
    entry.readSent = seq;
    try {
      const { lastReadSeq } = await api.markRead(entry.room.id, seq);
      if (typeof lastReadSeq === 'number') this.applyRead(entry, lastReadSeq);
    } catch {
      // Try again with the next read (or the next visit).
      if (entry.readSent === seq) entry.readSent = before;
      entry.readWanted = before;
    }
  }

  // ---------------------------------------------------------------- sending

  /** Queues a text message. Shown at once as pending; goes out in order when connected. */
  send(roomId: string, input: string): void {
    const text = input.trim();
    if (text.length === 0) return;
    if (text.length > MAX_TEXT_CHARS) {
      throw new Error(`A message can have at most ${MAX_TEXT_CHARS.toLocaleString('en-US')} characters.`);
    }
    const entry = this.entries.get(roomId);
    if (!entry) throw new Error('This conversation does not exist any more.');
    const clientId = newUuid();
    const now = Date.now();
    const outgoing: OutboxEntry = {
      roomId,
      clientId,
      body: { type: 'text', text },
      envelope: null,
      epoch: null,
      sentAt: null,
      attempts: 0,
      throttled: 0,
      notBefore: 0,
    };
    // Seal right away when the key is at hand (the signed time is when it was written).
    const key = this.keyring.peek(roomId, entry.room.epoch);
    if (key) this.sealWith(outgoing, entry.room.epoch, key);
    entry.timeline.addPending({
      key: `id:${clientId}`,
      roomId,
      seq: null,
      senderId: this.me.id,
      mine: true,
      state: 'pending',
      text,
      file: null,
      unsupportedType: null,
      note: null,
      time: now,
      messageId: clientId,
    });
    this.outbox.add(outgoing);
    this.changed(entry);
  }

  /** A failed message goes back in line, same id and envelope. */
  retry(roomId: string, clientId: string): void {
    const entry = this.entries.get(roomId);
    if (!entry) return;
    if (!this.outbox.retry(clientId)) return;
    entry.timeline.requeuePending(clientId, { state: 'pending', note: null, time: Date.now() });
    this.changed(entry);
  }

  // ---------------------------------------------------------------- files

  /**
   * Encrypts and uploads files (each shown at once as a pending card); each one's
   * message goes out through the outbox once the server has all of it.
   */
  sendFiles(roomId: string, files: readonly File[]): void {
    const entry = this.entries.get(roomId);
    if (!entry) throw new Error('This conversation does not exist any more.');
    if (files.length > MAX_FILES_AT_ONCE) {
      throw new Error(`You can send at most ${MAX_FILES_AT_ONCE} files at once.`);
    }
    const tooLarge = files.find((file) => file.size > FILE_MAX_BYTES);
    if (tooLarge) throw new Error(`“${sanitizeFileName(tooLarge.name)}” is too large to send.`);
    for (const file of files) {
      const clientId = newUuid();
      const name = sanitizeFileName(file.name);
      const mime = sanitizeFileMime(file.type);
      entry.timeline.addPending({
        key: `id:${clientId}`,
        roomId,
        seq: null,
        senderId: this.me.id,
        mine: true,
        state: 'pending',
        text: null,
        file: { name, mime, size: file.size, fileId: null, key: null, digest: null },
        unsupportedType: null,
        note: null,
        time: Date.now(),
        messageId: clientId,
      });
      this.files.startFile(roomId, clientId, file, name, mime);
    }
    this.changed(entry);
  }

  /** Download a file message's file and hand it over once it checks out. */
  saveFile(item: ChatItem): void {
    const source = fileSource(item);
    if (source) this.files.save(item.key, item.roomId, source);
  }

  /** Show an image (`auto`: it came into view). */
  previewFile(item: ChatItem, auto: boolean): void {
    const source = fileSource(item);
    if (source) this.files.preview(item.key, item.roomId, source, auto);
  }

  private onFileUploaded(roomId: string, clientId: string, file: FileSource): void {
    const entry = this.entries.get(roomId);
    if (!entry || !entry.timeline.findPending(clientId)) return;
    let body: MessageBody;
    try {
      body = fileMessageBody(file);
    } catch (error) {
      entry.timeline.updatePending(clientId, { state: 'failed', note: chatErrorMessage(error) });
      this.changed(entry);
      return;
    }
    const outgoing: OutboxEntry = {
      roomId,
      clientId,
      body,
      envelope: null,
      epoch: null,
      sentAt: null,
      attempts: 0,
      throttled: 0,
      notBefore: 0,
    };
    const key = this.keyring.peek(roomId, entry.room.epoch);
    if (key) this.sealWith(outgoing, entry.room.epoch, key);
    entry.timeline.updatePending(clientId, {
      file: {
        name: file.name,
        mime: file.mime,
        size: file.size,
        fileId: file.fileId,
        key: file.key,
        digest: file.digest,
      },
    });
    this.outbox.add(outgoing);
    this.changed(entry);
  }

  private onFileCancelled(roomId: string, clientId: string): void {
    const entry = this.entries.get(roomId);
    if (!entry) return;
    entry.timeline.removePending(clientId);
    this.changed(entry);
  }

  private sealWith(entry: OutboxEntry, epoch: number, roomKey: Uint8Array): void {
    const sentAt = Date.now();
    const envelope = sealMessage(
      { roomId: entry.roomId, epoch, senderId: this.me.id, messageId: entry.clientId, sentAt },
      entry.body,
      roomKey,
      this.identity,
    );
    entry.envelope = toBase64(envelope);
    entry.epoch = epoch;
    entry.sentAt = sentAt;
  }

  private async seal(entry: OutboxEntry): Promise<void> {
    if (entry.envelope) return;
    const room = this.entries.get(entry.roomId)?.room;
    if (!room) throw new VerifyError('This conversation does not exist any more.');
    const key = await this.keyring.get(room, room.epoch);
    this.sealWith(entry, room.epoch, key);
  }

  private async transmit(entry: OutboxEntry): Promise<SendOutcome> {
    let answer: unknown;
    try {
      answer = await this.realtime.request(
        'message:send',
        { roomId: entry.roomId, clientId: entry.clientId, envelope: entry.envelope },
        SEND_TIMEOUT_MS,
      );
    } catch (error) {
      if (error instanceof RealtimeError && error.reason === 'timeout') {
        return { kind: 'retry', counts: true, note: 'The server did not answer in time.' };
      }
      return { kind: 'retry', counts: false, note: null };
    }
    if (typeof answer !== 'object' || answer === null) {
      return { kind: 'retry', counts: true, note: 'The server sent an answer this page cannot read.' };
    }
    const ack = answer as { ok?: unknown; message?: unknown; status?: unknown; code?: unknown };
    if (ack.ok === true) {
      if (isServerMessage(ack.message) && ack.message.roomId === entry.roomId)
        return { kind: 'sent', message: ack.message };
      return { kind: 'retry', counts: true, note: 'The server sent an answer this page cannot read.' };
    }
    const status = typeof ack.status === 'number' ? ack.status : 0;
    const code = typeof ack.code === 'string' ? ack.code : '';
    const text = typeof ack.message === 'string' && ack.message.length > 0 ? ack.message : null;
    if (code === 'session_expired' || code === 'not_logged_in') {
      this.sessionLost();
      return { kind: 'retry', counts: false, note: null };
    }
    if (status === 429 || code === 'rate_limited') {
      return {
        kind: 'retry',
        counts: false,
        note: text ?? 'You are sending messages too fast. It will go out in a moment.',
        delayMs: RATE_LIMIT_BACKOFF_MS,
      };
    }
    if (status >= 500 || status === 0) {
      return { kind: 'retry', counts: true, note: text ?? 'The server had a problem.' };
    }
    if (status === 413 || code === 'too_large') {
      return { kind: 'failed', note: text ?? 'This message is too large to send.' };
    }
    return { kind: 'failed', note: text ?? `The server refused this message (${code || status}).` };
  }

  private async onSent(outgoing: OutboxEntry, message: ServerMessage): Promise<void> {
    await this.queue.run(outgoing.roomId, async () => {
      const entry = this.entries.get(outgoing.roomId);
      if (!entry) return;
      if (entry.timeline.has(message.seq)) {
        // Already filed (it came over the socket first): nothing pending should remain.
        entry.timeline.confirmPending(outgoing.clientId, message.seq, Date.now());
        this.changed(entry);
        return;
      }
      try {
        this.ledger.accept({
          roomId: outgoing.roomId,
          epoch: outgoing.epoch ?? entry.room.epoch,
          senderId: this.me.id,
          messageId: outgoing.clientId,
          sentAt: outgoing.sentAt ?? Date.now(),
        });
      } catch {
        // Already in the ledger: it was filed under another seq. Keep the first.
      }
      const time = Date.parse(message.createdAt);
      entry.timeline.confirmPending(outgoing.clientId, message.seq, Number.isFinite(time) ? time : Date.now());
      if (message.seq > entry.room.lastSeq) entry.room = { ...entry.room, lastSeq: message.seq };
      this.changed(entry);
      if (entry.loaded && message.seq > entry.timeline.syncedUpTo) {
        // Others wrote in between and we haven't seen it yet.
        await this.catchUpNow(entry).catch(() => this.scheduleSync());
      }
    });
  }

  private onSendProblem(outgoing: OutboxEntry, state: 'pending' | 'failed', note: string | null): void {
    const entry = this.entries.get(outgoing.roomId);
    if (!entry) return;
    entry.timeline.updatePending(outgoing.clientId, { state, note });
    this.changed(entry);
  }

  // ---------------------------------------------------------------- friends

  async requestFriend(username: string): Promise<FriendRequest> {
    const { request } = await api.requestFriend(username);
    await this.refreshAfterChange();
    return request;
  }

  /** Creates the direct room (this client picks its id and key) and returns its id. */
  async accept(request: FriendRequest): Promise<string> {
    let requesterKeys;
    try {
      requesterKeys = this.directory.learn(request.user);
    } catch {
      throw new FriendError(
        `The server sent public keys for ${request.user.username} that don't check out, so the request was not accepted.`,
      );
    }
    const prepared = prepareAccept(request, this.me, this.identity, requesterKeys);
    try {
      await api.acceptFriend(request.id, prepared.roomId, prepared.wrappedKeys);
    } catch (error) {
      prepared.roomKey.fill(0);
      throw error;
    }
    this.keyring.put(prepared.roomId, 1, prepared.roomKey);
    await this.refreshAfterChange();
    return prepared.roomId;
  }

  async dismissRequest(request: FriendRequest): Promise<void> {
    await api.deleteFriendRequest(request.id);
    await this.refreshAfterChange();
  }

  async removeFriend(userId: string): Promise<void> {
    await api.removeFriend(userId);
    await this.refreshAfterChange();
  }

  async block(username: string): Promise<void> {
    await api.block(username);
    await this.refreshAfterChange();
  }

  async unblock(userId: string): Promise<void> {
    await api.unblock(userId);
    await this.refreshAfterChange();
  }

  /** After a change made here: show it at once; a failed refresh is retried by the next sync. */
  private async refreshAfterChange(): Promise<void> {
    try {
      await this.refreshLists();
    } catch {
      this.scheduleSync();
      return;
    }
    // Load a new conversation's messages; no need to fetch the lists again.
    void this.syncRooms().catch(() => this.scheduleSync());
  }
}

// ---------------------------------------------------------------- helpers

function newEntry(room: Room): RoomEntry {
  return {
    room,
    timeline: new Timeline(),
    loaded: false,
    partial: false,
    hasOlder: false,
    loadingOlder: false,
    error: null,
    readSent: room.lastReadSeq,
    readWanted: room.lastReadSeq,
    readTimer: null,
    view: null,
  };
}

function isRoom(value: unknown): value is Room {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    typeof r.epoch === 'number' &&
    typeof r.lastSeq === 'number' &&
    typeof r.lastReadSeq === 'number' &&
    typeof r.unread === 'number' &&
    Array.isArray(r.members)
  );
}

function validMessages(messages: unknown, roomId: string): ServerMessage[] {
  if (!Array.isArray(messages)) return [];
  return messages.filter((m): m is ServerMessage => isServerMessage(m) && m.roomId === roomId);
}

function normalizeFriends(list: FriendsList): FriendsList {
  return {
    friends: Array.isArray(list.friends) ? list.friends : [],
    incoming: Array.isArray(list.incoming) ? list.incoming : [],
    outgoing: Array.isArray(list.outgoing) ? list.outgoing : [],
    blocked: Array.isArray(list.blocked) ? list.blocked : [],
  };
}

function fileSource(item: ChatItem): FileSource | null {
  const file = item.file;
  if (!file || !file.fileId || !file.key || !file.digest) return null;
  return { fileId: file.fileId, key: file.key, digest: file.digest, name: file.name, mime: file.mime, size: file.size };
}

function classifySealError(error: unknown): SendOutcome {
  if (error instanceof ApiError) {
    if (error.status === 0 || error.status >= 500) {
      return { kind: 'retry', counts: error.status !== 0, note: error.status === 0 ? null : error.message };
    }
    return { kind: 'failed', note: error.message };
  }
  if (error instanceof VerifyError) {
    return { kind: 'failed', note: `Not sent: this conversation's key can't be used (${error.message}).` };
  }
  if (error instanceof ProtocolError) {
    return {
      kind: 'failed',
      note: error.code === 'too-large' ? 'This message is too large to send.' : `Not sent: ${error.message}`,
    };
  }
  return { kind: 'failed', note: NETWORK_ERROR_MESSAGE };
}

/** Any failure from a chat action, as a sentence for the page. */
export function chatErrorMessage(error: unknown): string {
  if (error instanceof ApiError || error instanceof ProtocolError) return errorMessage(error);
  if (error instanceof Error && error.message) return error.message;
  return errorMessage(error);
}
