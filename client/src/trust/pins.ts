// Contact pins: the identity key first seen for each contact (trust on first use)
// and whether the person verified it by comparing safety numbers. Held in memory,
// saved into the sealed key bundle, so every session of the account shares them.

import {
  comparePinAmong,
  mergeContactPins,
  normalizeUsername,
  pinFor,
  type ContactPin,
  type PinVerdict,
} from '@onionchat/protocol';
import { ACCOUNT_PHRASES } from '../account/account-phrases.js';
import { sayer } from '../present/phrasebook.js';
import { BundleSaver } from './bundle-saver.js';
import type { BundleVault } from './vault.js';

const say = sayer(ACCOUNT_PHRASES);

/** What the pins say about the key the server presents for a contact: 'new' (now pinned), 'same' or 'changed'. */
export type { PinVerdict };

const SAVE_DELAY_MS = 300;
const SAVE_RETRY_MS = 15_000;

export class ContactPins {
  private readonly pins = new Map<string, ContactPin>();
  /** Contacts whose pin this session changed (they win when merging with another session's save). */
  private readonly touched = new Set<string>();
  /** Pins this session removed and has not pinned again: another session's save does not bring them back. */
  private readonly removed = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly saver = new BundleSaver({
    save: () => this.save(),
    // Unreadable stored pins stay untouched for good; anything else is worth another try.
    retryIn: () => (this.vault?.unreadable ? null : SAVE_RETRY_MS),
  });
  /** Why the last save failed (shown to the person), or null. */
  saveProblem: string | null = null;

  constructor(private vault: BundleVault | null) {
    for (const pin of vault?.pins() ?? []) this.pins.set(pin.userId, pin);
    this.saveProblem = vault?.unreadable ?? null;
  }

  /**
   * The bundle was re-sealed under a new passphrase in this session: saves go to it from
   * now on. The pins in memory stay; they were saved into it before the change.
   */
  useVault(vault: BundleVault): void {
    this.vault = vault;
    this.saveProblem = vault.unreadable;
    for (const listener of this.listeners) listener();
  }

  get(userId: string): ContactPin | null {
    return this.pins.get(userId) ?? null;
  }

  /**
   * The pin a contact presented as `userId` and `username` is judged by: the id's pin,
   * else the pin of the same username under another id (PROTOCOL.md §16), else null.
   */
  pinFor(userId: string, username: string): ContactPin | null {
    return pinFor(this.pins.values(), userId, username);
  }

  /**
   * Compares a contact's (already self-signature-checked) identity key with the pins,
   * by user id and by username (PROTOCOL.md §16): a known name under a new id, or a known
   * id under a new name, is a change. Pins a first sighting. Throws ProtocolError for a
   * malformed key or username, which is never pinned.
   */
  check(userId: string, username: string, signPublicKey: Uint8Array): PinVerdict {
    const verdict = comparePinAmong(this.pins.values(), userId, username, signPublicKey);
    if (verdict === 'new') this.set({ userId, username, signPublicKey: signPublicKey.slice(), verified: false });
    return verdict;
  }

  /** What the pins make of a key, like `check`, but nothing is pinned (a friend request not accepted yet). */
  compare(userId: string, username: string, signPublicKey: Uint8Array): PinVerdict {
    return comparePinAmong(this.pins.values(), userId, username, signPublicKey);
  }

  /**
   * The person compared safety numbers (or accepted a new key): this key is the contact's
   * from now on, under this id. Pins of the same username under other ids go (the server
   * moved the contact to a new id); they stay gone when merging with another session's save.
   */
  trust(userId: string, username: string, signPublicKey: Uint8Array, verified: boolean): void {
    const name = normalizeUsername(username);
    for (const pin of [...this.pins.values()]) {
      if (pin.userId !== userId && normalizeUsername(pin.username) === name) {
        this.pins.delete(pin.userId);
        this.touched.add(pin.userId);
        this.removed.add(pin.userId);
      }
    }
    this.set({ userId, username, signPublicKey: signPublicKey.slice(), verified });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for pending saves (tests and log-out flows). */
  flush(): Promise<void> {
    return this.saver.flush();
  }

  stop(): void {
    this.saver.stop();
    this.listeners.clear();
  }

  private set(pin: ContactPin): void {
    this.pins.set(pin.userId, pin);
    this.touched.add(pin.userId);
    this.removed.delete(pin.userId);
    for (const listener of this.listeners) listener();
    if (this.vault) this.saver.schedule(SAVE_DELAY_MS);
  }

  private async save(): Promise<void> {
    if (!this.vault) return;
    try {
      await this.vault.savePins([...this.pins.values()], (stored) => this.merge(stored));
      this.saveProblem = null;
    } catch (error) {
      this.saveProblem = say('account.keys.pinsNotSaved', { reason: (error as Error).message });
      throw error;
    } finally {
      for (const listener of this.listeners) listener();
    }
  }

  /**
   * Another session saved meanwhile. For contacts this session made no decision about,
   * its pins are taken as they are (it may have accepted a new key); the rest merge by
   * adding only (PROTOCOL.md §16): a pin this session removed stays removed, this
   * session's key wins, and a verified mark of either side is kept.
   */
  private merge(stored: ContactPin[]): ContactPin[] {
    const storedIds = new Set(stored.map((pin) => pin.userId));
    const local = [...this.pins.values()].filter((pin) => this.touched.has(pin.userId) || !storedIds.has(pin.userId));
    const merged = mergeContactPins(local, stored, this.removed);
    this.pins.clear();
    for (const pin of merged) this.pins.set(pin.userId, pin);
    return merged;
  }
}
