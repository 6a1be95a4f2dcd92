import { ProtocolError } from './errors.js';

/** The room kind whose key only its two members may hand out. */
export const DIRECT_ROOM_KIND = 'direct';
const DIRECT_ROOM_MEMBERS = 2;

/** What the rule needs of a room as the server describes it. */
export interface RoomMembers<M extends { readonly id: string }> {
  readonly id: string;
  readonly kind: string;
  readonly members: readonly M[];
}

/**
 * Whose public keys a wrapped room key must verify under: this account's own
 * ('me': taken from the unlocked identity, never from the server's member
 * record), or the wrapper's member record ('member').
 */
export type EntitledWrapper<M> = { kind: 'me' } | { kind: 'member'; member: M };

/**
 * Section 8: only a member of the room may hand out its key, or a server could
 * have an account of its own "wrap" one. The member list itself comes from the
 * server, so it must at least add up: this account is in it, and a direct room
 * has exactly two members. Ids compare as text: a UUID has one spelling.
 * Throws 'not-a-member', 'bad-room' or 'not-entitled', checked in that order.
 */
export function entitledWrapper<M extends { readonly id: string }>(
  room: RoomMembers<M>,
  meId: string,
  wrapperId: string,
): EntitledWrapper<M> {
  const ids = new Set(room.members.map((member) => member.id));
  if (!ids.has(meId)) {
    throw new ProtocolError('not-a-member', `This account is not a member of room ${room.id}.`);
  }
  if (room.kind === DIRECT_ROOM_KIND && ids.size !== DIRECT_ROOM_MEMBERS) {
    throw new ProtocolError('bad-room', `Direct room ${room.id} has ${ids.size} members instead of two.`);
  }
  if (wrapperId === meId) return { kind: 'me' };
  const member = room.members.find((candidate) => candidate.id === wrapperId);
  if (member === undefined) {
    throw new ProtocolError('not-entitled', `The key of room ${room.id} was handed out by ${wrapperId}, not a member.`);
  }
  return { kind: 'member', member };
}
