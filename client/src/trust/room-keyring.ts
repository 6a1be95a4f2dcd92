// Room keys by (room, epoch), opened from the wrapped copies the server keeps for this
// account, each checked against the member who wrapped it. Records of either version
// open: version 2 (hybrid, ML-KEM-768) needs this account's own ML-KEM key, not the
// wrapper's. In memory only.

import {
  ProtocolError,
  entitledWrapper,
  fromBase64,
  openRoomKeyAsync,
  type Identity,
  type OpenedRoomKey,
  type PublicKeys,
} from '@onionchat/protocol';
import type { PublicUser, Room } from '@onionchat/contract';
import type { Api } from '../transport/api.js';
import type { KeyDirectory } from './key-directory.js';
import { VerifyError, protocolReason } from './verify-error.js';

/** A refused key is asked for again at most this often (the server may have fixed it meanwhile). */
export const KEY_REFETCH_MS = 30_000;

const MEMBERS_DO_NOT_ADD_UP = 'the conversation’s member list does not add up';
const NOT_FROM_A_MEMBER = 'its key was handed out by someone outside the conversation';

/**
 * Who may hand out a room's key: its members; a direct room has exactly two, this
 * account one of them (PROTOCOL.md §8). null when the member list does not add up.
 */
export function roomMemberIds(room: Room, meId: string): Set<string> | null {
  try {
    entitledWrapper(room, meId, meId);
  } catch (error) {
    if (error instanceof ProtocolError) return null;
    throw error;
  }
  return new Set(room.members.map((member) => member.id));
}

export class RoomKeyring {
  private readonly keys = new Map<string, Uint8Array>();
  /** The (room, epoch) slots whose key came wrapped in version 2: safe while X25519 or ML-KEM holds. */
  private readonly hybrid = new Set<string>();
  /** Why a (room, epoch) key was refused (kept as the error, so an untrusted wrapper stays recognisable). */
  private readonly problems = new Map<string, VerifyError>();
  private readonly fetches = new Map<string, Promise<void>>();
  private readonly fetchedAt = new Map<string, number>();

  constructor(
    private readonly api: Api,
    private readonly meId: string,
    private readonly identity: Identity,
    private readonly directory: KeyDirectory,
  ) {}

  /** A key this client made itself (accepting a friend request, starting an epoch), and how it was wrapped. */
  put(roomId: string, epoch: number, key: Uint8Array, hybrid: boolean): void {
    this.keys.set(slot(roomId, epoch), key);
    this.markHybrid(slot(roomId, epoch), hybrid);
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

  /**
   * Whether the room's current epoch key was wrapped hybrid (version 2). Loads the key
   * first; throws like `get` when it cannot be had.
   */
  async currentIsHybrid(room: Room): Promise<boolean> {
    await this.get(room, room.epoch);
    return this.hybrid.has(slot(room.id, room.epoch));
  }

  /** Forgets a room (friend removed): its keys are wiped. */
  forget(roomId: string): void {
    for (const [id, key] of this.keys) {
      if (id.startsWith(`${roomId}/`)) {
        key.fill(0);
        this.keys.delete(id);
        this.hybrid.delete(id);
      }
    }
    for (const id of [...this.problems.keys()]) if (id.startsWith(`${roomId}/`)) this.problems.delete(id);
    this.fetchedAt.delete(roomId);
  }

  wipe(): void {
    for (const key of this.keys.values()) key.fill(0);
    this.keys.clear();
    this.hybrid.clear();
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
    const { keys } = await this.api.roomKeys(room.id);
    this.fetchedAt.set(room.id, Date.now());
    await this.directory.prepare(room.members);
    for (const wrapped of keys) {
      const id = slot(room.id, wrapped.epoch);
      if (this.keys.has(id)) continue;
      try {
        const opened = await this.open(room, wrapped.epoch, wrapped.wrapperId, wrapped.record);
        this.keys.set(id, opened.roomKey);
        this.markHybrid(id, opened.hybrid);
        this.problems.delete(id);
      } catch (error) {
        this.problems.set(id, keyProblem(error));
      }
    }
  }

  private markHybrid(id: string, hybrid: boolean): void {
    if (hybrid) this.hybrid.add(id);
    else this.hybrid.delete(id);
  }

  private open(room: Room, epoch: number, wrapperId: string, record: string): Promise<OpenedRoomKey> {
    // The server must not be able to have an account of its own "wrap" a key for us.
    const wrapper = this.entitled(room, wrapperId);
    const wrapperKeys: PublicKeys = wrapper === 'me' ? this.directory.mine() : this.directory.learn(wrapper);
    return openRoomKeyAsync(fromBase64(record), { roomId: room.id, epoch, memberId: this.meId }, this.identity, {
      id: wrapperId,
      ...wrapperKeys,
    });
  }

  /** The wrapper's member record, or 'me' for this account's own wraps (keys from the identity, not the server). */
  private entitled(room: Room, wrapperId: string): PublicUser | 'me' {
    try {
      const wrapper = entitledWrapper(room, this.meId, wrapperId);
      return wrapper.kind === 'me' ? 'me' : wrapper.member;
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      throw new VerifyError(error.code === 'not-entitled' ? NOT_FROM_A_MEMBER : MEMBERS_DO_NOT_ADD_UP);
    }
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
