// The chat session: friends, rooms, messages, unread counts and the outbox, kept in
// memory for as long as the chat is open, and published as immutable snapshots (for
// React's useSyncExternalStore, or a terminal view; no React in here).
//
// Sources of truth: the REST API for lists and history, the socket for what happens
// now. After every (re)connection the session catches up over REST, so nothing sent
// while it was away is missed; messages are deduplicated by seq.
//
// Everything it needs comes in through its options: the API, the live connection,
// the platform (visibility, connectivity, clocks) and the file transfers. It holds
// no `window` or `document`. The parts live beside it: the room store (the only
// holder of conversations and unread counts), sync, history, read marks, the
// sender and its outbox, file messages, friend actions, groups and the snapshots.
//
// A group works like a direct conversation, except that who is in it is what its
// chain of signed records says (../groups), verified here before anything of the
// group is used: GroupRooms judges its messages and views by that chain, GroupSync
// keeps the chains up to date, GroupActions makes the changes the person asks for.

import type { FriendRequest, User } from '@onionchat/contract';
import { MessageLedger, type GroupInfo, type Identity, type SafetyNumber } from '@onionchat/protocol';
import type { FileSource, FileTransfers } from '../files/index.js';
import { GroupChains } from '../groups/group-chains.js';
import { GroupChanges } from '../groups/group-changes.js';
import type { Platform } from '../platform.js';
import type { Api } from '../transport/api.js';
import type { ConnectionState, LiveConnection } from '../transport/realtime.js';
import type { ContactLink } from '../trust/contact-link.js';
import {
  ChainMarks,
  ChainSendTimes,
  ContactPins,
  HeldMessages,
  HybridUpgrade,
  KeyDirectory,
  RoomKeyring,
  settingsFor,
  type BundleVault,
  type SavedSettings,
  type TrustState,
} from '../trust/index.js';
import type { LinkOutcome } from './add-from-link.js';
import { decodeFileReady } from './decode.js';
import { DeliveredMarks } from './delivered-marks.js';
import { DirectMembers } from './direct-members.js';
import { ExpirySweeper, systemClock, type ExpiryClock } from './disappearing.js';
import { FileMessages } from './file-messages.js';
import { FriendActions } from './friend-actions.js';
import { GroupActions, type NewGroupInput } from './group-actions.js';
import { GroupRooms } from './group-rooms.js';
import { GroupSync } from './group-sync.js';
import { RoomHistory } from './history.js';
import { IncomingFeed, type IncomingListener } from './incoming.js';
import type { ChatItem } from './items.js';
import { KeyedQueue } from './keyed-queue.js';
import { Outbox } from './outbox.js';
import { ReadMarks } from './read-marks.js';
import { Receipts } from './receipts.js';
import { RoomStore } from './room-store.js';
import { RoomTrust } from './room-trust.js';
import { MessageSender, type Erasure } from './sending.js';
import { RoomViews, type ChatSnapshot } from './snapshot.js';
import { RoomSync } from './sync.js';
import { UserNames } from './user-names.js';

/** What the file transfers tell the chat about uploads (the hooks FileTransfers is made with). */
export interface FileUploadEvents {
  /** The last byte is on the server: send the file message. */
  uploaded(roomId: string, clientId: string, file: FileSource): void;
  /** The person cancelled an upload before its message went out. */
  cancelled(roomId: string, clientId: string): void;
}

export interface ChatSessionOptions {
  api: Api;
  live: LiveConnection;
  platform: Platform;
  /**
   * The file transfers: made here from the upload events (a factory), or made
   * elsewhere and given, in which case their hooks must call `session.fileEvents`.
   */
  files: FileTransfers | ((hooks: FileUploadEvents) => FileTransfers);
  user: User;
  identity: Identity;
  /** The open key bundle, where contact pins are saved (null: they last only as long as this session). */
  vault: BundleVault | null;
  onSessionLost: () => void;
  /** Wall-clock time and timeouts for disappearing messages (tests move time by hand). */
  clock?: ExpiryClock;
}

export class ChatSession {
  readonly me: User;
  /** File uploads and downloads (their progress has its own store, for the file cards). `busy`: leaving loses them. */
  readonly files: FileTransfers;
  /** Where the file transfers report finished and cancelled uploads. */
  readonly fileEvents: FileUploadEvents = {
    uploaded: (roomId, clientId, file) => this.fileMessages.uploaded(roomId, clientId, file),
    cancelled: (roomId, clientId) => this.fileMessages.cancelled(roomId, clientId),
  };

  private readonly options: ChatSessionOptions;
  private readonly live: LiveConnection;
  private readonly pins: ContactPins;
  private readonly directory: KeyDirectory;
  private readonly keyring: RoomKeyring;
  private readonly hybrid: HybridUpgrade;
  /** Message ids seen per room (replays are refused): shared by opening and by our own sends. */
  private readonly ledger = new MessageLedger();
  private readonly held = new HeldMessages();
  /** Where each contact's sender chains got to, saved to the account so replays are caught later too. */
  private readonly marks: ChainMarks;
  /** Read receipts, notifications, muted conversations and the language, saved with the account. */
  readonly settings: SavedSettings;
  private readonly sendTimes = new ChainSendTimes();
  private readonly store: RoomStore;
  private readonly queue = new KeyedQueue();
  private readonly outbox = new Outbox();
  private readonly incoming = new IncomingFeed();
  private readonly trust: RoomTrust;
  private readonly history: RoomHistory;
  private readonly sync: RoomSync;
  private readonly reads: ReadMarks;
  private readonly delivered: DeliveredMarks;
  /** Delivered and read receipts, signed, both ways. */
  private readonly receipts: Receipts;
  private readonly sender: MessageSender;
  private readonly fileMessages: FileMessages;
  private readonly friendActions: FriendActions;
  private readonly names: UserNames;
  /** The groups' verified chains of records: who is in each group, as this client checked it. */
  private readonly chains: GroupChains;
  private readonly groupChanges: GroupChanges;
  private readonly groups: GroupRooms;
  private readonly groupSync: GroupSync;
  private readonly groupActions: GroupActions;
  private readonly views: RoomViews;
  /** Drops disappearing messages from memory when their time comes. */
  private readonly sweeper: ExpirySweeper;

  private connection: ConnectionState = 'connecting';
  private refusal: string | null = null;
  private connectedOnce = false;
  private snapshot: ChatSnapshot;
  private dirty = false;
  private readonly listeners = new Set<() => void>();
  private started = false;
  private stopped = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(options: ChatSessionOptions) {
    const { api, live, platform, user, identity } = options;
    this.options = options;
    this.me = user;
    this.live = live;
    this.pins = new ContactPins(options.vault);
    this.marks = new ChainMarks(options.vault);
    this.settings = settingsFor(options.vault);
    this.directory = new KeyDirectory(user.id, identity, this.pins);
    this.names = new UserNames(user);
    this.chains = new GroupChains({ api, nameOf: this.names.nameOf });
    // A group's keys are judged by its verified chain, not by the server's member list.
    this.keyring = new RoomKeyring(api, user.id, identity, this.directory, this.chains);
    this.hybrid = new HybridUpgrade({
      api,
      meId: user.id,
      identity,
      directory: this.directory,
      keyring: this.keyring,
      onEpochChanged: () => this.sync.friendsChanged(),
    });
    const members = new DirectMembers();
    const clock = options.clock ?? systemClock;
    this.store = new RoomStore(user.id, platform, members, () => clock.now());
    this.sweeper = new ExpirySweeper(this.store, clock);
    const isContact = (userId: string) => this.store.friends?.friends.some((f) => f.user.id === userId) ?? false;
    this.groupChanges = new GroupChanges({
      api,
      meId: user.id,
      identity,
      directory: this.directory,
      keyring: this.keyring,
      chains: this.chains,
      room: (roomId) => this.store.get(roomId)?.room ?? null,
      isContact,
    });
    this.groups = new GroupRooms({
      meId: user.id,
      chains: this.chains,
      changes: this.groupChanges,
      keyring: this.keyring,
      directory: this.directory,
      store: this.store,
      names: this.names,
      isContact,
      reopen: (roomId, messages) => this.history.reopen(roomId, messages),
    });
    this.trust = new RoomTrust(user, identity, this.directory, members, this.groups);
    this.delivered = new DeliveredMarks(api, this.store, user.id);
    this.history = new RoomHistory({
      api,
      store: this.store,
      queue: this.queue,
      open: {
        meId: user.id,
        identity,
        directory: this.directory,
        keyring: this.keyring,
        ledger: this.ledger,
        marks: this.marks,
        sendTimes: this.sendTimes,
        groups: this.groups,
      },
      held: this.held,
      delivered: this.delivered,
      outbox: this.outbox,
      platform,
      incoming: this.incoming,
    });
    this.groupSync = new GroupSync({
      api,
      chains: this.chains,
      changes: this.groupChanges,
      rooms: this.groups,
      store: this.store,
      queue: this.queue,
      names: this.names,
      checkMembers: (room) => this.trust.checkMembers(room),
      listsChanged: () => this.sync.friendsChanged(),
    });
    this.sync = new RoomSync({
      api,
      store: this.store,
      queue: this.queue,
      history: this.history,
      prepareKeys: (users) => this.directory.prepare(users),
      groups: this.groupSync,
      // Every room the server lists is also a chance to move it to a hybrid key.
      trust: {
        checkMembers: (room) => {
          // A new key for a room whose members were changed would go to whoever the server put in.
          const usable = this.trust.checkMembers(room);
          if (usable) void this.hybrid.consider(room);
          return usable;
        },
      },
    });
    this.reads = new ReadMarks(api, this.store);
    this.sender = new MessageSender({
      meId: user.id,
      identity,
      keyring: this.keyring,
      ledger: this.ledger,
      store: this.store,
      queue: this.queue,
      outbox: this.outbox,
      live,
      history: this.history,
      rules: this.trust,
      epochs: this.groups,
      onSessionLost: () => this.sessionLost(),
      onStaleEpoch: (roomId) => this.groupSync.staleEpoch(roomId),
      onDeletionStored: (roomId, erasure) => void this.erase(roomId, erasure),
    });
    this.files = typeof options.files === 'function' ? options.files(this.fileEvents) : options.files;
    this.fileMessages = new FileMessages(user.id, this.store, this.sender, this.files);
    this.friendActions = new FriendActions({
      api,
      me: user,
      identity,
      directory: this.directory,
      keyring: this.keyring,
      sync: this.sync,
      lists: () => this.store.friends,
      verify: (userId) => this.setTrust(userId, true),
    });
    this.groupActions = new GroupActions({
      changes: this.groupChanges,
      chains: this.chains,
      store: this.store,
      friends: () => this.store.friends,
      sync: this.sync,
    });
    this.receipts = new Receipts(
      {
        api,
        store: this.store,
        identity,
        open: { meId: user.id, directory: this.directory, groups: this.groups, keyring: this.keyring },
        epochs: this.groups,
      },
      (roomId) => this.store.invalidate(roomId),
    );
    // Read receipts off, as saved with the account, before anything is read.
    this.receipts.setReadReceipts(this.settings.current.readReceipts);
    this.views = new RoomViews(user.id, this.trust, this.groups, this.receipts);
    this.snapshot = this.build();
  }

  // ---------------------------------------------------------------- lifecycle

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    const { live, platform, api } = this.options;
    this.cleanups.push(
      this.store.subscribe(() => this.changed()),
      this.store.subscribe((roomId) => {
        if (roomId) this.receipts.roomChanged(roomId);
      }),
      this.sweeper.start(),
      this.store.onRemoved((roomId) => this.forgetRoom(roomId)),
      live.onStatus((state) => {
        this.connection = state;
        this.refusal = live.refusal;
        if (state === 'connected') this.connectedOnce = true;
        this.changed();
      }),
      live.onConnect(() => {
        this.sync.requestSync();
        this.receipts.reconnected();
        this.sender.kick();
        this.files.online();
      }),
      live.on('message:new', (payload) => this.sync.onMessageNew(payload)),
      live.on('friends:changed', () => this.sync.friendsChanged()),
      live.on('room:read', (payload) => this.reads.onRoomRead(payload)),
      live.on('room:delivered', (payload) => this.delivered.onRoomDelivered(payload)),
      live.on('receipt:new', (payload) => this.receipts.onReceiptNew(payload)),
      // A member started a new key epoch: read the room list (and so the new epoch) again.
      live.on('room:key', () => this.sync.friendsChanged()),
      live.on('file:ready', (payload) => this.onFileReady(payload)),
      // A group's members, roles or name changed: its chain, then the lists.
      live.on('group:changed', (payload) => this.groupSync.onChanged(payload)),
      this.groupSync.start(),
      api.onSessionLost(() => this.sessionLost()),
      this.pins.subscribe(() => this.store.invalidate(null)),
      platform.on('visibility', () => this.changed()),
      platform.on('online', () => this.files.online()),
    );
    this.connection = live.status;
    if (live.connected) this.connectedOnce = true;
    live.start();
    this.sync.requestSync();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.live.stop();
    this.sender.stop();
    this.files.stop();
    void this.pins.flush().finally(() => this.pins.stop());
    void this.marks.flush().finally(() => this.marks.stop());
    // Not stopped: the settings are the account's, shared by its next session (see settingsFor).
    void this.settings.flush();
    this.sync.stop();
    this.reads.stop();
    this.delivered.stop();
    this.receipts.stop();
    this.keyring.wipe();
    this.held.clear();
    this.store.clear();
    this.listeners.clear();
    this.incoming.clear();
  }

  /**
   * Saves what waits to be written to the account now (contact pins, chain marks) and
   * waits for it: a one-shot terminal command exits right after. Resolves to why the
   * pins could not be saved, or null.
   */
  async saveNow(): Promise<string | null> {
    await Promise.all([this.pins.flush(), this.marks.flush(), this.settings.flush()]);
    return this.pins.saveProblem;
  }

  /**
   * The passphrase was changed in this session, so the key bundle is sealed under a new
   * wrap key: contact pins and chain marks are saved into that one from now on. The
   * caller wipes the old vault.
   */
  replaceVault(vault: BundleVault): void {
    this.pins.useVault(vault);
    this.marks.useVault(vault);
    this.settings.useVault(vault);
  }

  private sessionLost(): void {
    if (this.stopped) return;
    this.options.onSessionLost();
  }

  /** A conversation is gone: drop everything kept for it. */
  private forgetRoom(roomId: string): void {
    this.keyring.forget(roomId);
    this.held.forgetRoom(roomId);
    this.sendTimes.forgetRoom(roomId);
    this.outbox.dropRoom(roomId);
    this.reads.forget(roomId);
    this.delivered.forget(roomId);
    this.receipts.forget(roomId);
    this.files.dropRoom(roomId);
    this.groups.forget(roomId);
    this.groupSync.forget(roomId);
  }

  // ---------------------------------------------------------------- snapshots

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ChatSnapshot => this.snapshot;

  /** New messages from others, as they arrive (for the live region and the "New messages" pill). */
  onIncoming(listener: IncomingListener): () => void {
    return this.incoming.listen(listener);
  }

  /** Coalesces changes into one new snapshot per microtask. */
  private changed(): void {
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
    return {
      connection: this.connection,
      refusal: this.refusal,
      connectedOnce: this.connectedOnce,
      friends: this.store.friends,
      rooms: this.views.build(this.store.conversations()),
      error: this.store.listError,
      totalUnread: this.store.totalUnread,
      queued: this.sender.queued,
      trustSaveProblem: this.pins.saveProblem,
      readReceipts: this.receipts.readReceipts,
    };
  }

  // ---------------------------------------------------------------- what the app tells us

  /** The conversation on screen (or none). Messages there don't count as unread while it is visible. */
  setActiveRoom(roomId: string | null): void {
    if (this.store.activeRoomId === roomId) return;
    this.store.setActive(roomId);
    const conversation = roomId ? this.store.get(roomId) : undefined;
    if (roomId && conversation && (!conversation.loaded || conversation.partial)) {
      void this.sync.syncRoom(roomId).catch(() => this.sync.scheduleSync());
    }
  }

  reconnectNow(): void {
    this.live.reconnectNow();
    if (!this.store.friends) this.sync.requestSync();
  }

  /** Refreshes friends and rooms, then catches every room up. */
  requestSync(): void {
    this.sync.requestSync();
  }

  private onFileReady(payload: unknown): void {
    const ready = decodeFileReady(payload);
    if (ready) this.files.markReady(ready.fileId);
  }

  // ---------------------------------------------------------------- conversations

  loadOlder(roomId: string): Promise<void> {
    return this.history.loadOlder(roomId);
  }

  /** The person has seen the room up to `seq`: clear its badge now, tell the server shortly. */
  markRead(roomId: string, seq: number): void {
    this.reads.markRead(roomId, seq);
  }

  /** Queues a text message. Shown at once as pending; goes out in order when connected. Throws a sentence when it can't. */
  /** Sends a text message (answering `replyTo`, when given). Throws a sentence when it can't. */
  send(roomId: string, input: string, replyTo: ChatItem | null = null): void {
    this.sender.send(roomId, input, replyTo);
  }

  /** Edits this account's own text message for everyone. Throws a sentence when it can't. */
  edit(roomId: string, item: ChatItem, text: string): void {
    this.sender.edit(roomId, item, text);
  }

  /** Deletes this account's own message for everyone, and asks the server to erase it. Throws a sentence when it can't. */
  deleteForEveryone(roomId: string, item: ChatItem): void {
    this.sender.remove(roomId, item);
  }

  /**
   * Read receipts on or off (on by default; for this session). Off: this account no
   * longer says what it has read, and sees no one's read marks; delivered ones stay.
   */
  /** The interface's language changed: every view is built again, so its sentences are worded anew. */
  rephrase(): void {
    this.store.invalidate(null);
  }

  /** Read receipts on or off, from now on and at every later log-in (saved with the account). */
  setReadReceipts(on: boolean): void {
    this.settings.update({ readReceipts: on });
    this.receipts.setReadReceipts(on);
    this.changed();
  }

  /** Reacts with one emoji; the same emoji again takes the reaction back. Throws a sentence when it can't. */
  react(roomId: string, item: ChatItem, emoji: string): void {
    const current = item.reactions?.find((reaction) => reaction.mine)?.emoji ?? '';
    this.sender.react(roomId, item, current === emoji ? '' : emoji);
  }

  /**
   * The deletion is stored, so every member's client will honour it: the server is
   * asked to erase the original, this account's edits of it, and its file. A server that does not is no worse
   * than one that keeps copies, which no client can rule out (THREAT_MODEL.md).
   */
  private async erase(roomId: string, { serverIds, fileId }: Erasure): Promise<void> {
    const { api } = this.options;
    await Promise.allSettled([
      ...serverIds.map((id) => api.eraseMessage(roomId, id)),
      fileId ? api.deleteFile(fileId) : Promise.resolve(),
    ]);
  }

  /** A failed message goes back in line, same id and envelope. */
  retry(roomId: string, clientId: string): void {
    this.sender.retry(roomId, clientId);
  }

  /**
   * Sets the conversation's disappearing timer (seconds, one of TIMER_CHOICES; 0: off) with
   * a signed message everyone in it sees. Throws a sentence when it can't.
   */
  setTimer(roomId: string, seconds: number): void {
    this.sender.setTimer(roomId, seconds);
  }

  /** Encrypts and uploads files, each shown at once as a pending card. Throws a sentence when it can't. */
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

  /**
   * The person compared the safety number (verified) or accepts the key as it is
   * now: it is pinned, saved to the account, the contact's conversations are
   * unblocked and their keys fetched again, and their messages refused only for
   * that key are checked again.
   */
  setTrust(userId: string, verified: boolean): void {
    this.directory.accept(userId, verified);
    for (const conversation of [...this.store.conversations()]) {
      if (!conversation.room.members.some((member) => member.id === userId)) continue;
      const roomId = conversation.room.id;
      this.keyring.forget(roomId);
      this.store.invalidate(roomId);
      void this.queue.run(roomId, () => this.history.recheckHeld(roomId)).catch(() => this.sync.scheduleSync());
    }
  }

  // ---------------------------------------------------------------- friends

  requestFriend(username: string): Promise<FriendRequest> {
    return this.friendActions.requestFriend(username);
  }

  /**
   * Adds the person a contact link names, verified at once when the server's keys for
   * them match the link; throws LinkMismatchError, having sent nothing, when they do not.
   */
  addFromLink(link: ContactLink): Promise<LinkOutcome> {
    return this.friendActions.addFromLink(link);
  }

  /**
   * What the pins make of the keys a friend request presents, before it is accepted
   * (nothing is pinned): 'changed' or 'changed-verified' for a known name under a new id
   * with other keys, which accepting refuses.
   */
  requestTrust(request: FriendRequest): TrustState | 'new' {
    return this.directory.judge(request.user);
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

  // ---------------------------------------------------------------- groups
  //
  // Each rejects with a GroupChangeError whose message is a sentence for the person.

  /** Makes a group of this account (its admin) and some of its contacts; returns its room id. */
  createGroup(input: NewGroupInput): Promise<string> {
    return this.groupActions.create(input);
  }

  /** Adds contacts (admins only); they get a new key, and none of the ones before. */
  addToGroup(roomId: string, userIds: readonly string[]): Promise<void> {
    return this.groupActions.add(roomId, userIds);
  }

  /** Removes members (admins only); everyone who stays gets a new key, they don't. */
  removeFromGroup(roomId: string, userIds: readonly string[]): Promise<void> {
    return this.groupActions.remove(roomId, userIds);
  }

  /** Leaves the group and drops its conversation (one this account was removed from is only dropped). */
  leaveGroup(roomId: string): Promise<void> {
    return this.groupActions.leave(roomId);
  }

  /** Makes a member an admin, or an admin a member (admins only). */
  setGroupRole(roomId: string, userId: string, role: 'member' | 'admin'): Promise<void> {
    return this.groupActions.setRole(roomId, userId, role);
  }

  /** A new name and picture (admins only), sealed so only the members can read them. */
  renameGroup(roomId: string, info: GroupInfo): Promise<void> {
    return this.groupActions.rename(roomId, info);
  }
}
