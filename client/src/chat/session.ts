// The chat session: friends, rooms, messages, unread counts and the outbox, kept in
// memory for as long as the chat page is open, and published as immutable snapshots
// (for React's useSyncExternalStore; no React in here).
//
// Sources of truth: the REST API for lists and history, the socket for what happens
// now. After every (re)connection the session catches up over REST, so nothing sent
// while it was away is missed; messages are deduplicated by seq.
//
// The parts live in ./chat/: the room list and its sync, history and catch-up,
// sending (and its transmission, and file messages), unread counts and read
// receipts, trust, friend actions, and the snapshots. This facade wires them
// together and is what the page uses.

import type { Identity, SafetyNumber } from '@onionchat/protocol';
import type { FriendRequest, User } from './api';
import type { ChatItem } from './messages';
import { Outbox } from './outbox';
import { Realtime, type ConnectionState } from './realtime';
import { FileTransfers } from './transfers';
import type { BundleVault } from './trust/vault';
import { ChatCore } from './chat/core';
import { FileMessages } from './chat/file-messages';
import { FriendActions } from './chat/friend-actions';
import { RoomHistory } from './chat/history';
import type { RoomEntry } from './chat/room-entry';
import { MessageSender } from './chat/sending';
import { roomView, type ChatSnapshot, type IncomingListener, type RoomState } from './chat/snapshot';
import { RoomSync } from './chat/sync';
import { classifySealError, transmit } from './chat/transmit';
import { ChatTrust } from './chat/trust';
import { ReadReceipts } from './chat/unread';

export { chatErrorMessage } from './chat/errors';
export { MAX_FILES_AT_ONCE } from './chat/file-messages';
export { PAGE_SIZE } from './chat/history';
export type { ChatSnapshot, IncomingListener, RoomState } from './chat/snapshot';
export { SEND_TIMEOUT_MS } from './chat/transmit';

export interface ChatSessionOptions {
  user: User;
  identity: Identity;
  /** The open key bundle, where contact pins are saved (null: they last only as long as this page). */
  vault: BundleVault | null;
  onSessionLost: () => void;
}

export class ChatSession {
  readonly me: User;
  private readonly options: ChatSessionOptions;
  private readonly core: ChatCore;
  private readonly realtime: Realtime;
  private readonly outbox: Outbox;
  /** File uploads and downloads (their progress has its own store, for the file cards). */
  readonly files: FileTransfers;
  private readonly history: RoomHistory;
  private readonly trust: ChatTrust;
  private readonly sync: RoomSync;
  private readonly reads: ReadReceipts;
  private readonly sender: MessageSender;
  private readonly fileMessages: FileMessages;
  private readonly friendActions: FriendActions;
  private connection: ConnectionState = 'connecting';
  private refusal: string | null = null;
  private connectedOnce = false;

  private snapshot: ChatSnapshot;
  private dirty = false;
  private readonly listeners = new Set<() => void>();
  private started = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(options: ChatSessionOptions) {
    this.options = options;
    this.me = options.user;
    this.core = new ChatCore(options.user, options.identity, options.vault, (entry) => this.changed(entry));
    this.realtime = new Realtime({ onSessionLost: () => this.sessionLost() });
    // The parts call each other through these arrows, so the order they are made in doesn't matter.
    this.outbox = new Outbox({
      canSend: () => this.realtime.connected,
      seal: (entry) => this.sender.seal(entry),
      transmit: (entry) => transmit(this.realtime, entry, () => this.sessionLost()),
      sent: (entry, message) => void this.sender.onSent(entry, message),
      problem: (entry, state, note) => this.sender.onSendProblem(entry, state, note),
      classifySealError: (error) => classifySealError(error),
    });
    this.files = new FileTransfers({
      uploaded: (roomId, clientId, file) => this.fileMessages.onFileUploaded(roomId, clientId, file),
      cancelled: (roomId, clientId) => this.fileMessages.onFileCancelled(roomId, clientId),
    });
    const scheduleSync = () => this.sync.scheduleSync();
    this.history = new RoomHistory(this.core, this.outbox);
    this.trust = new ChatTrust(this.core, this.history, scheduleSync);
    this.sync = new RoomSync(this.core, this.history, this.trust, (roomId) => {
      this.outbox.dropRoom(roomId);
      this.files.dropRoom(roomId);
    });
    this.reads = new ReadReceipts(this.core);
    this.sender = new MessageSender(this.core, this.outbox, this.history, this.trust, scheduleSync);
    this.fileMessages = new FileMessages(this.core, this.files, this.outbox, this.sender, this.trust);
    this.friendActions = new FriendActions(this.core, this.sync);
    this.snapshot = this.build();
  }

  // ---------------------------------------------------------------- lifecycle

  start(): void {
    if (this.started || this.core.stopped) return;
    this.started = true;
    this.cleanups.push(
      this.realtime.onStatus((state) => {
        this.connection = state;
        this.refusal = this.realtime.refusal;
        if (state === 'connected') this.connectedOnce = true;
        this.changed();
      }),
      this.realtime.onConnect(() => {
        this.sync.requestSync();
        this.outbox.kick();
        this.files.online();
      }),
      this.realtime.on('message:new', (payload) => this.sync.onMessageNew(payload)),
      this.realtime.on('friends:changed', () => this.sync.friendsChanged()),
      this.realtime.on('room:read', (payload) => this.reads.onRoomRead(payload)),
      this.realtime.on('file:ready', (payload) => this.onFileReady(payload)),
      this.core.pins.subscribe(() => this.trustChanged()),
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
    this.sync.requestSync();
  }

  stop(): void {
    if (this.core.stopped) return;
    this.core.stopped = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.realtime.stop();
    this.outbox.stop();
    this.files.stop();
    void this.core.pins.flush().finally(() => this.core.pins.stop());
    this.sync.stop();
    for (const entry of this.core.entries.values()) if (entry.readTimer) clearTimeout(entry.readTimer);
    this.core.keyring.wipe();
    this.core.held.clear();
    this.listeners.clear();
    this.core.incomingListeners.clear();
  }

  private sessionLost(): void {
    if (this.core.stopped) return;
    this.options.onSessionLost();
  }

  // ---------------------------------------------------------------- snapshots

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ChatSnapshot => this.snapshot;

  onIncoming(listener: IncomingListener): () => void {
    this.core.incomingListeners.add(listener);
    return () => this.core.incomingListeners.delete(listener);
  }

  /** Coalesces changes into one new snapshot per microtask. */
  private changed(entry?: RoomEntry): void {
    if (entry) entry.view = null;
    if (this.dirty || this.core.stopped) return;
    this.dirty = true;
    queueMicrotask(() => {
      this.dirty = false;
      if (this.core.stopped) return;
      this.snapshot = this.build();
      for (const listener of this.listeners) listener();
    });
  }

  private build(): ChatSnapshot {
    const rooms = new Map<string, RoomState>();
    let totalUnread = 0;
    for (const [id, entry] of this.core.entries) {
      if (!entry.view) entry.view = roomView(entry, this.core, this.trust);
      rooms.set(id, entry.view);
      totalUnread += entry.room.unread;
    }
    return {
      connection: this.connection,
      refusal: this.refusal,
      connectedOnce: this.connectedOnce,
      friends: this.core.friends,
      rooms,
      error: this.core.error,
      totalUnread,
      queued: this.outbox.size,
      trustSaveProblem: this.core.pins.saveProblem,
    };
  }

  private trustChanged(): void {
    for (const entry of this.core.entries.values()) entry.view = null;
    this.changed();
  }

  // ---------------------------------------------------------------- what the page tells us

  /** The conversation on screen (or none). Messages there don't count as unread while the page is visible. */
  setActiveRoom(roomId: string | null): void {
    if (this.core.activeRoomId === roomId) return;
    this.core.activeRoomId = roomId;
    if (roomId) {
      const entry = this.core.entries.get(roomId);
      if (entry && (!entry.loaded || entry.partial)) void this.sync.syncRoom(roomId);
    }
  }

  reconnectNow(): void {
    this.realtime.reconnectNow();
    if (!this.core.friends) this.sync.requestSync();
  }

  /** Refreshes friends and rooms, then catches every room up. */
  requestSync(): void {
    this.sync.requestSync();
  }

  private onFileReady(payload: unknown): void {
    if (typeof payload !== 'object' || payload === null) return;
    const { fileId } = payload as { fileId?: unknown };
    if (typeof fileId === 'string') this.files.markReady(fileId);
  }

  // ---------------------------------------------------------------- conversations

  loadOlder(roomId: string): Promise<void> {
    return this.history.loadOlder(roomId);
  }

  /** The person has seen the room up to `seq`: clear its badge now, tell the server shortly. */
  markRead(roomId: string, seq: number): void {
    this.reads.markRead(roomId, seq);
  }

  /** Queues a text message. Shown at once as pending; goes out in order when connected. */
  send(roomId: string, input: string): void {
    this.sender.send(roomId, input);
  }

  /** A failed message goes back in line, same id and envelope. */
  retry(roomId: string, clientId: string): void {
    this.sender.retry(roomId, clientId);
  }

  /** Encrypts and uploads files, each shown at once as a pending card. */
  sendFiles(roomId: string, files: readonly File[]): void {
    this.fileMessages.sendFiles(roomId, files);
  }

  /** Download a file message's file and hand it over once it checks out. */
  saveFile(item: ChatItem): void {
    this.fileMessages.saveFile(item);
  }

  /** Show an image (`auto`: it came into view). */
  previewFile(item: ChatItem, auto: boolean): void {
    this.fileMessages.previewFile(item, auto);
  }

  // ---------------------------------------------------------------- trust

  /** The safety number of this account and a contact, for the keys presented now. */
  safetyNumberWith(userId: string): Promise<SafetyNumber> {
    return this.trust.safetyNumberWith(userId);
  }

  /** The person verified (or accepted) a contact's key as presented now. */
  setTrust(userId: string, verified: boolean): void {
    this.trust.setTrust(userId, verified);
  }

  // ---------------------------------------------------------------- friends

  requestFriend(username: string): Promise<FriendRequest> {
    return this.friendActions.requestFriend(username);
  }

  /** Creates the direct room (this client picks its id and key) and returns its id. */
  accept(request: FriendRequest): Promise<string> {
    return this.friendActions.accept(request);
  }

  dismissRequest(request: FriendRequest): Promise<void> {
    return this.friendActions.dismissRequest(request);
  }

  removeFriend(userId: string): Promise<void> {
    return this.friendActions.removeFriend(userId);
  }

  block(username: string): Promise<void> {
    return this.friendActions.block(username);
  }

  unblock(userId: string): Promise<void> {
    return this.friendActions.unblock(userId);
  }
}
