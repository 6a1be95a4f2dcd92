// Public keys and room keys, checked before use. Everything here lives in memory only
// (never localStorage, IndexedDB, ...) and is forgotten with the tab.

import {
  ProtocolError,
  decodePublicKeys,
  fromBase64,
  openRoomKey,
  type Identity,
  type PublicKeys,
} from '@onionchat/protocol';
import { api, type PublicUser, type Room } from './api';
import type { ContactPins } from './trust/pins';

/**
 * Why something could not be verified: a short phrase that completes
 * "This message could not be verified: …".
 */
export class VerifyError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'VerifyError';
  }
}

/**
 * The one thing wrong is that a contact's key is not trusted now (it differs from
 * the pin and the person has not accepted it yet): what it refused may check out
 * once they do.
 */
export class UntrustedKeyError extends VerifyError {
  constructor(
    readonly userId: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'UntrustedKeyError';
  }
}

/** ProtocolError codes in words a person can follow. */
export function protocolReason(error: ProtocolError): string {
  switch (error.code) {
    case 'bad-signature':
      return 'its signature does not match the sender';
    case 'decrypt-failed':
      return 'it could not be decrypted';
    case 'context-mismatch':
      return 'it was delivered for another conversation or sender';
    case 'key-mismatch':
      return 'it was encrypted to a key this account does not hold';
    case 'replay':
      return 'it repeats a message already received';
    case 'bad-key':
      return 'it uses an unusable key';
    case 'too-large':
      return 'it is too large';
    default:
      return 'it is malformed';
  }
}

/** How far this client trusts a contact's keys. */
export type TrustState =
  /** Pinned on first sight, not compared out of band. */
  | 'unverified'
  /** The person compared safety numbers and marked the contact verified. */
  | 'verified'
  /** The server now presents another key than the pinned one. */
  | 'changed'
  /** ...and the pinned key had been verified. */
  | 'changed-verified'
  /** The server's record does not even check out. */
  | 'invalid';

export interface PeerTrust {
  state: TrustState;
  username: string;
  /** The keys the server presents now (self-signature checked), when they are well formed. */
  presented: PublicKeys | null;
}

interface Seen {
  username: string;
  record: string;
  /** Usable keys: well formed and matching the pin. */
  keys: PublicKeys | null;
  presented: PublicKeys | null;
  problem: string | null;
}

/**
 * Public keys by user id, checked against their self-signature (which binds the
 * username) and against the contact's pin: the identity key first seen for them,
 * kept in the sealed key bundle so it outlives this tab. If the server presents a
 * different key later, that contact's keys stop being trusted until the person
 * reviews the new safety number.
 */
export class KeyDirectory {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly meId: string,
    private readonly identity: Identity,
    private readonly pins: ContactPins,
  ) {}

  /** Verifies (and pins, on first sight) a user's keys as the server presents them. Throws VerifyError. */
  learn(user: PublicUser): PublicKeys {
    if (user.id === this.meId) return this.mine();
    let entry = this.seen.get(user.id);
    if (!entry || entry.username !== user.username || entry.record !== user.publicKeys) {
      entry = this.check(user);
      this.seen.set(user.id, entry);
    }
    if (entry.keys) return entry.keys;
    const problem = entry.problem ?? 'the sender’s keys could not be checked';
    // Well-formed keys that only differ from the pin become usable when the person accepts them.
    throw entry.presented ? new UntrustedKeyError(user.id, problem) : new VerifyError(problem);
  }

  /** The contact's keys as presented now may be used (they match the pin, or the person accepted them). */
  trusts(userId: string): boolean {
    return Boolean(this.seen.get(userId)?.keys);
  }

  /** What this client makes of a contact's keys (null: not seen yet). */
  trust(userId: string): PeerTrust | null {
    const entry = this.seen.get(userId);
    if (!entry) return null;
    const pin = this.pins.get(userId);
    let state: TrustState;
    if (!entry.presented) state = 'invalid';
    else if (!entry.keys) state = pin?.verified ? 'changed-verified' : 'changed';
    else state = pin?.verified ? 'verified' : 'unverified';
    return { state, username: entry.username, presented: entry.presented };
  }

  /**
   * The person reviewed the keys presented now: pin them (as verified, or not) and
   * use them from now on.
   */
  accept(userId: string, verified: boolean): void {
    const entry = this.seen.get(userId);
    if (!entry?.presented) throw new VerifyError('there are no valid keys to accept for this person');
    this.pins.trust(userId, entry.username, entry.presented.signPublicKey, verified);
    entry.keys = entry.presented;
    entry.problem = null;
  }

  /** This account's own keys come from the unlocked identity, never from the server. */
  mine(): PublicKeys {
    return { signPublicKey: this.identity.signPublicKey, boxPublicKey: this.identity.boxPublicKey };
  }

  private check(user: PublicUser): Seen {
    const entry: Seen = {
      username: user.username,
      record: user.publicKeys,
      keys: null,
      presented: null,
      problem: null,
    };
    try {
      entry.presented = decodePublicKeys(fromBase64(user.publicKeys), user.username);
    } catch (error) {
      entry.problem =
        error instanceof ProtocolError && error.code === 'bad-signature'
          ? `${user.username}'s public keys are not validly signed`
          : `${user.username}'s public keys are malformed`;
      return entry;
    }
    if (this.pins.check(user.id, user.username, entry.presented.signPublicKey) === 'changed') {
      entry.problem = this.pins.get(user.id)?.verified
        ? `${user.username}'s verified safety number changed`
        : `${user.username}'s safety number changed`;
      return entry;
    }
    entry.keys = entry.presented;
    return entry;
  }
}

/** Who may hand out a room's key: its members; a direct room has exactly two, this account one of them. */
export function roomMemberIds(room: Room, meId: string): Set<string> | null {
  const ids = new Set(room.members.map((member) => member.id));
  if (!ids.has(meId)) return null;
  if (room.kind === 'direct' && ids.size !== 2) return null;
  return ids;
}

const KEY_REFETCH_MS = 30_000;

/** Room keys by (room, epoch), opened from the wrapped copies the server keeps for this account. */
export class RoomKeyring {
  private readonly keys = new Map<string, Uint8Array>();
  /** Why a (room, epoch) key was refused (kept as the error, so an untrusted wrapper stays recognisable). */
  private readonly problems = new Map<string, VerifyError>();
  private readonly fetches = new Map<string, Promise<void>>();
  private readonly fetchedAt = new Map<string, number>();

  constructor(
    private readonly meId: string,
    private readonly identity: Identity,
    private readonly directory: KeyDirectory,
  ) {}

  /** A key this client made itself (accepting a friend request). */
  put(roomId: string, epoch: number, key: Uint8Array): void {
    this.keys.set(slot(roomId, epoch), key);
    this.problems.delete(slot(roomId, epoch));
  }

  peek(roomId: string, epoch: number): Uint8Array | null {
    return this.keys.get(slot(roomId, epoch)) ?? null;
  }

  /**
   * The key for (room, epoch). Throws VerifyError when there is none or it does not
   * check out, and ApiError when the server can't be reached (try again later).
   */
  async get(room: Room, epoch: number): Promise<Uint8Array> {
    const id = slot(room.id, epoch);
    const cached = this.keys.get(id);
    if (cached) return cached;
    const problem = this.problems.get(id);
    const last = this.fetchedAt.get(room.id);
    if (problem && last !== undefined && Date.now() - last < KEY_REFETCH_MS) throw problem;
    await this.fetch(room);
    const key = this.keys.get(id);
    if (key) return key;
    throw this.problems.get(id) ?? new VerifyError('there is no key for it');
  }

  /** Forgets a room (friend removed): its keys are wiped. */
  forget(roomId: string): void {
    for (const [id, key] of this.keys) {
      if (id.startsWith(`${roomId}/`)) {
        key.fill(0);
        this.keys.delete(id);
      }
    }
    for (const id of [...this.problems.keys()]) if (id.startsWith(`${roomId}/`)) this.problems.delete(id);
    this.fetchedAt.delete(roomId);
  }

  wipe(): void {
    for (const key of this.keys.values()) key.fill(0);
    this.keys.clear();
    this.problems.clear();
  }

  private fetch(room: Room): Promise<void> {
    let running = this.fetches.get(room.id);
    if (!running) {
      running = this.load(room).finally(() => this.fetches.delete(room.id));
      this.fetches.set(room.id, running);
    }
    return running;
  }

  private async load(room: Room): Promise<void> {
    const { keys } = await api.roomKeys(room.id);
    this.fetchedAt.set(room.id, Date.now());
    const members = roomMemberIds(room, this.meId);
    for (const wrapped of Array.isArray(keys) ? keys : []) {
      if (!Number.isSafeInteger(wrapped.epoch) || wrapped.epoch < 1) continue;
      const id = slot(room.id, wrapped.epoch);
      if (this.keys.has(id)) continue;
      try {
        this.keys.set(id, this.open(room, members, wrapped.epoch, wrapped.wrapperId, wrapped.record));
        this.problems.delete(id);
      } catch (error) {
        this.problems.set(id, keyProblem(error));
      }
    }
  }

  private open(room: Room, members: Set<string> | null, epoch: number, wrapperId: string, record: string): Uint8Array {
    // The server must not be able to have an account of its own "wrap" a key for us.
    if (!members) throw new VerifyError('the conversation’s member list does not add up');
    if (!members.has(wrapperId)) throw new VerifyError('its key was handed out by someone outside the conversation');
    let wrapperKeys: PublicKeys;
    if (wrapperId === this.meId) {
      wrapperKeys = this.directory.mine();
    } else {
      const wrapper = room.members.find((member) => member.id === wrapperId);
      if (!wrapper) throw new VerifyError('its key was handed out by someone outside the conversation');
      wrapperKeys = this.directory.learn(wrapper);
    }
    return openRoomKey(fromBase64(record), { roomId: room.id, epoch, memberId: this.meId }, this.identity, {
      id: wrapperId,
      ...wrapperKeys,
    });
  }
}

function slot(roomId: string, epoch: number): string {
  return `${roomId}/${epoch}`;
}

function keyProblem(error: unknown): VerifyError {
  if (error instanceof VerifyError) return error;
  if (error instanceof ProtocolError) {
    return new VerifyError(`its conversation key failed a check (${protocolReason(error)})`);
  }
  return new VerifyError('its conversation key could not be opened');
}
