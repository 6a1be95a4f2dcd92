// Room keys by (room, epoch), opened from the wrapped copies the server keeps for this
// account, each checked against the member who wrapped it. Records of either version
// open: version 2 (hybrid, ML-KEM-768) needs this account's own ML-KEM key, not the
// wrapper's. In memory only.
//
// A group's key is judged by the group's verified chain instead of the server's member
// list (PROTOCOL.md §19, "Epochs and keys"): the keyring is given the verified states.

import {
  ProtocolError,
  entitledGroupWrapper,
  entitledWrapper,
  fromBase64,
  groupMembersAtEpoch,
  openRoomKeyAsync,
  requireGroupMemberKey,
  type GroupState,
  type Identity,
  type OpenedRoomKey,
  type PublicKeys,
} from '@onionchat/protocol';
import type { PublicUser, Room } from '@onionchat/contract';
import type { Api } from '../transport/api.js';
import type { KeyDirectory } from './key-directory.js';
import { VerifyError, protocolReason } from './verify-error.js';
import { ACCOUNT_PHRASES } from '../account/account-phrases.js';
import { sayer } from '../present/phrasebook.js';

const say = sayer(ACCOUNT_PHRASES);

/** A refused key is asked for again at most this often (the server may have fixed it meanwhile). */
export const KEY_REFETCH_MS = 30_000;

/** Why a group's message waits: its membership is not verified yet (said when refused). */
export function groupNotVerified(): string {
  return say('account.reason.groupNotVerified');
}

/** That reason's English, for what compares with it. */
export const GROUP_NOT_VERIFIED = ACCOUNT_PHRASES['account.reason.groupNotVerified'];

/** The room kind whose members only the verified chain of group records decides. */
const GROUP_ROOM_KIND = 'group';

/** Where the keyring reads a group's verified membership (GroupChains). */
export interface GroupStates {
  stateOf(roomId: string): GroupState | null;
}

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
    /** The verified group chains; without them a group's key is judged like any room's. */
    private readonly groups?: GroupStates,
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
    this.requireGroupEpoch(room, epoch);
    const problem = this.problems.get(id);
    const last = this.fetchedAt.get(room.id);
    if (problem && last !== undefined && Date.now() - last < KEY_REFETCH_MS) throw problem;
    await this.fetch(room);
    const key = this.keys.get(id);
    if (key) return key;
    throw this.problems.get(id) ?? new VerifyError(say('account.reason.noKey'));
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
      // A group epoch the chain has not reached yet is judged once it has, not refused for KEY_REFETCH_MS.
      if (this.keys.has(id) || this.groupEpochAhead(room, wrapped.epoch)) continue;
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
    const group = this.groupState(room);
    const wrapperKeys = group
      ? this.groupWrapperKeys(group, room, epoch, wrapperId)
      : this.wrapperKeys(this.entitled(room, wrapperId));
    return openRoomKeyAsync(fromBase64(record), { roomId: room.id, epoch, memberId: this.meId }, this.identity, {
      id: wrapperId,
      ...wrapperKeys,
    });
  }

  private wrapperKeys(wrapper: PublicUser | 'me'): PublicKeys {
    return wrapper === 'me' ? this.directory.mine() : this.directory.learn(wrapper);
  }

  /**
   * A group's room: the verified state when the keyring judges groups by their chain,
   * null for any other room (judged by its member list, as before). Throws VerifyError
   * for a group whose chain has not been verified yet.
   */
  private groupState(room: Room): GroupState | null {
    if (!this.groups || room.kind !== GROUP_ROOM_KIND) return null;
    const state = this.groups.stateOf(room.id);
    if (!state) throw new VerifyError(groupNotVerified());
    return state;
  }

  /** Refuses, without asking the server, a group key the verified chain cannot judge yet. */
  private requireGroupEpoch(room: Room, epoch: number): void {
    const state = this.groupState(room);
    if (state && groupMembersAtEpoch(state, epoch) === null)
      throw new VerifyError(say('account.reason.groupChangeNotVerified'));
  }

  private groupEpochAhead(room: Room, epoch: number): boolean {
    try {
      this.requireGroupEpoch(room, epoch);
      return false;
    } catch {
      return true;
    }
  }

  /**
   * A group key counts only when its wrapper and this account were both members of the
   * state that started its epoch, and the wrapper's keys as the server presents them
   * are the ones the chain gave it.
   */
  private groupWrapperKeys(state: GroupState, room: Room, epoch: number, wrapperId: string): PublicKeys {
    try {
      entitledGroupWrapper(state, epoch, this.meId, wrapperId);
    } catch (error) {
      throw groupProblem(error);
    }
    if (wrapperId === this.meId) return this.directory.mine();
    const wrapper = room.members.find((member) => member.id === wrapperId);
    if (!wrapper) throw new VerifyError(say('account.reason.wrapperUnknown'));
    const keys = this.directory.learn(wrapper, state.members.get(wrapperId)?.signPublicKey);
    try {
      requireGroupMemberKey(state, wrapperId, keys.signPublicKey);
    } catch (error) {
      // The state holds the keys of its current members only.
      if (error instanceof ProtocolError && error.code === 'not-a-member')
        throw new VerifyError(say('account.reason.wrapperGone'));
      throw groupProblem(error);
    }
    return keys;
  }

  /** The wrapper's member record, or 'me' for this account's own wraps (keys from the identity, not the server). */
  private entitled(room: Room, wrapperId: string): PublicUser | 'me' {
    try {
      const wrapper = entitledWrapper(room, this.meId, wrapperId);
      return wrapper.kind === 'me' ? 'me' : wrapper.member;
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      throw new VerifyError(
        say(error.code === 'not-entitled' ? 'account.reason.notFromAMember' : 'account.reason.membersDoNotAddUp'),
      );
    }
  }
}

function slot(roomId: string, epoch: number): string {
  return `${roomId}/${epoch}`;
}

/** A group rule's refusal in words; anything else is passed on. */
function groupProblem(error: unknown): unknown {
  if (!(error instanceof ProtocolError)) return error;
  switch (error.code) {
    case 'context-mismatch':
      return new VerifyError(say('account.reason.groupChangeNotVerified'));
    case 'not-a-member':
      return new VerifyError(say('account.reason.notInGroupThen'));
    case 'key-mismatch':
      return new VerifyError(say('account.reason.wrapperMismatch'));
    default:
      return new VerifyError(say('account.reason.notFromAMember'));
  }
}

function keyProblem(error: unknown): VerifyError {
  if (error instanceof VerifyError) return error;
  if (error instanceof ProtocolError) {
    return new VerifyError(say('account.reason.keyCheckFailed', { reason: protocolReason(error) }));
  }
  return new VerifyError(say('account.reason.keyUnopened'));
}
