// What every part of the chat session shares: this account, its keys and the
// contacts' keys, the conversations held, and where a change is announced.

import { MessageLedger, type Identity } from '@onionchat/protocol';
import type { FriendsList, User } from '../api';
import { KeyDirectory, RoomKeyring } from '../keys';
import { KeyedQueue, type OpenContext } from '../messages';
import { HeldMessages } from '../trust/held';
import { ContactPins } from '../trust/pins';
import type { BundleVault } from '../trust/vault';
import type { RoomEntry } from './room-entry';
import type { IncomingListener } from './snapshot';

export class ChatCore {
  readonly me: User;
  readonly identity: Identity;
  readonly pins: ContactPins;
  readonly directory: KeyDirectory;
  readonly keyring: RoomKeyring;
  readonly ledger = new MessageLedger();
  /** Messages refused only for a key not trusted yet, to check again once it is. */
  readonly held = new HeldMessages();
  /** One room's work runs in order (loading, catching up, filing sends). */
  readonly queue = new KeyedQueue();
  readonly entries = new Map<string, RoomEntry>();
  readonly incomingListeners = new Set<IncomingListener>();
  friends: FriendsList | null = null;
  /** Loading the friend list failed (and nothing is shown yet). */
  error: string | null = null;
  activeRoomId: string | null = null;
  stopped = false;

  constructor(
    user: User,
    identity: Identity,
    vault: BundleVault | null,
    private readonly announce: (entry?: RoomEntry) => void,
  ) {
    this.me = user;
    this.identity = identity;
    this.pins = new ContactPins(vault);
    this.directory = new KeyDirectory(user.id, identity, this.pins);
    this.keyring = new RoomKeyring(user.id, identity, this.directory);
  }

  /** Something changed (in `entry`, when given): a new snapshot follows. */
  changed(entry?: RoomEntry): void {
    this.announce(entry);
  }

  watching(roomId: string): boolean {
    return this.activeRoomId === roomId && document.visibilityState === 'visible';
  }

  openContext(): OpenContext {
    return {
      meId: this.me.id,
      identity: this.identity,
      directory: this.directory,
      keyring: this.keyring,
      ledger: this.ledger,
    };
  }
}
