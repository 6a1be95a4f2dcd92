// Moving direct conversations to hybrid room keys (PROTOCOL.md section 8, version 2).
// A key wrapped with X25519 alone could be opened later by whoever records the traffic
// today and one day has a quantum computer; it cannot be made stronger after the fact,
// so the conversation moves to a new epoch whose key is wrapped with ML-KEM-768 too, as
// soon as both members have published ML-KEM keys. Whichever member's client notices
// first does it; the other's attempt is refused (409) and it reads the new epoch instead.

import type { PublicUser, Room } from '@onionchat/contract';
import {
  DIRECT_ROOM_KIND,
  newRoomKey,
  toBase64,
  wrapRoomKeyAsync,
  wrapRoomKeyHybridAsync,
  type Identity,
  type PublicKeys,
  type RoomKeyContext,
} from '@onionchat/protocol';
import { ApiError } from '../transport/api-error.js';
import type { Api } from '../transport/api.js';
import type { KeyDirectory } from './key-directory.js';
import { roomMemberIds, type RoomKeyring } from './room-keyring.js';

/** A failed upgrade (other than losing the race) is tried again at most this often. */
export const UPGRADE_RETRY_MS = 60_000;

/** A member's public keys as wrapping needs them. */
export type MemberKeys = Pick<PublicKeys, 'boxPublicKey' | 'kemPublicKey'>;

export type UpgradeOutcome =
  /** Nothing to do: not a direct room, already hybrid, or a member has no ML-KEM key (or untrusted keys). */
  | { kind: 'not-needed' }
  /** This client started `epoch`; its key is in the keyring. */
  | { kind: 'started'; epoch: number }
  /** The other member started the epoch first: read the room again. */
  | { kind: 'taken' };

export interface HybridUpgradeParts {
  api: Pick<Api, 'startEpoch'>;
  meId: string;
  identity: Identity;
  directory: Pick<KeyDirectory, 'learn' | 'prepare'>;
  keyring: Pick<RoomKeyring, 'currentIsHybrid' | 'put'>;
  /** The room's epoch moved (started here or by the other member): read the room list again. */
  onEpochChanged: (roomId: string) => void;
}

/**
 * The room key wrapped for one member: version 2 when `hybrid` (every member has an
 * ML-KEM key), else version 1, which a member who has not upgraded can still open.
 */
export function wrapForMember(
  roomKey: Uint8Array,
  context: RoomKeyContext,
  identity: Identity,
  member: MemberKeys,
  hybrid: boolean,
): Promise<Uint8Array> {
  if (hybrid && member.kemPublicKey) {
    return wrapRoomKeyHybridAsync(roomKey, context, identity, {
      boxPublicKey: member.boxPublicKey,
      kemPublicKey: member.kemPublicKey,
    });
  }
  return wrapRoomKeyAsync(roomKey, context, identity, member.boxPublicKey);
}

/** The rule: a direct room on a classical epoch whose members all have ML-KEM keys moves on. */
export function wantsHybridEpoch(room: Room, currentIsHybrid: boolean, members: readonly MemberKeys[]): boolean {
  return room.kind === DIRECT_ROOM_KIND && !currentIsHybrid && members.every((keys) => keys.kemPublicKey !== null);
}

export class HybridUpgrade {
  private readonly running = new Map<string, Promise<UpgradeOutcome>>();
  /** When an upgrade of a room last failed for a reason other than the race. */
  private readonly failedAt = new Map<string, number>();

  constructor(private readonly parts: HybridUpgradeParts) {}

  /**
   * Looks at a room as the server lists it and upgrades it when the rule says so. Never
   * rejects (callers need not wait): a failure is tried again on a later look.
   */
  async consider(room: Room): Promise<void> {
    const failed = this.failedAt.get(room.id);
    if (failed !== undefined && Date.now() - failed < UPGRADE_RETRY_MS) return;
    try {
      await this.upgrade(room);
    } catch {
      this.failedAt.set(room.id, Date.now());
    }
  }

  /** One upgrade per room at a time; throws ApiError or VerifyError when it could not be done. */
  upgrade(room: Room): Promise<UpgradeOutcome> {
    let running = this.running.get(room.id);
    if (!running) {
      running = this.run(room).finally(() => this.running.delete(room.id));
      this.running.set(room.id, running);
    }
    return running;
  }

  private async run(room: Room): Promise<UpgradeOutcome> {
    if (room.kind !== DIRECT_ROOM_KIND || !roomMemberIds(room, this.parts.meId)) return { kind: 'not-needed' };
    await this.parts.directory.prepare(room.members);
    const members = this.memberKeys(room);
    // The keys decide first: no need to load the current key of a room that cannot move yet.
    if (!members || !wantsHybridEpoch(room, false, [...members.values()])) return { kind: 'not-needed' };
    if (await this.parts.keyring.currentIsHybrid(room)) return { kind: 'not-needed' };
    const epoch = room.epoch + 1;
    const roomKey = newRoomKey();
    try {
      await this.parts.api.startEpoch(room.id, { epoch, keys: await this.wrapAll(room.id, epoch, roomKey, members) });
    } catch (error) {
      roomKey.fill(0);
      if (!(error instanceof ApiError && error.status === 409)) throw error;
      this.parts.onEpochChanged(room.id);
      return { kind: 'taken' };
    }
    this.failedAt.delete(room.id);
    this.parts.keyring.put(room.id, epoch, roomKey, true);
    this.parts.onEpochChanged(room.id);
    return { kind: 'started', epoch };
  }

  /**
   * Every member's checked keys (this account's from its identity). null when a member's
   * keys are not trusted now: never wrap a new key to keys the person has not accepted.
   */
  private memberKeys(room: Room): Map<string, MemberKeys> | null {
    const keys = new Map<string, MemberKeys>();
    for (const member of room.members) {
      const checked = this.keysOf(member);
      if (!checked) return null;
      keys.set(member.id, checked);
    }
    return keys;
  }

  private keysOf(member: PublicUser): MemberKeys | null {
    if (member.id === this.parts.meId) {
      const { boxPublicKey, kem } = this.parts.identity;
      return { boxPublicKey, kemPublicKey: kem?.publicKey ?? null };
    }
    try {
      return this.parts.directory.learn(member);
    } catch {
      return null;
    }
  }

  private wrapAll(roomId: string, epoch: number, roomKey: Uint8Array, members: Map<string, MemberKeys>) {
    return Promise.all(
      [...members].map(async ([memberId, keys]) => {
        const context = { roomId, epoch, memberId, wrapperId: this.parts.meId };
        return { memberId, record: toBase64(await wrapForMember(roomKey, context, this.parts.identity, keys, true)) };
      }),
    );
  }
}
