// What the HTTP API answers, as zod schemas: the server's views are typed by them and
// the client decodes every answer with them (answers from the server are untrusted
// input). Unknown fields are dropped; a missing or mistyped field fails the decode.

import { z } from 'zod/mini';
import { ONION_HOST } from './limits.js';

const id = z.string().check(z.minLength(1), z.maxLength(200));
const isoTime = z.string().check(z.minLength(1), z.maxLength(64));
const base64 = z.string();
const seq = z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER));
const count = z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER));

export const serverConfig = z.object({
  registration: z.enum(['open', 'invite']),
  minKdfIterations: count,
  /** The most members a group may have here (GROUP_MAX_MEMBERS): clients check chains against it. */
  groupMaxMembers: z.int().check(z.gte(2), z.lte(1000)),
  /**
   * RETENTION_MAX_DAYS: the server deletes every message and file older than this many
   * days; 0 when it keeps them until they are deleted or disappear. Absent from servers
   * that predate it.
   */
  retentionMaxDays: z.optional(z.int().check(z.gte(0), z.lte(100_000))),
  /**
   * The service's onion address ("….onion", public by design), so links made on a page
   * opened at the loopback address point at it; null when the server does not know one.
   * Absent from servers that predate it.
   */
  onionAddress: z.optional(z.nullable(z.string().check(z.regex(ONION_HOST)))),
});

/** The caller's own account. */
export const user = z.object({
  id,
  username: z.string(),
  /** base64 of the self-signed public-keys record */
  publicKeys: base64,
  createdAt: isoTime,
});

/** Another user as the friends and rooms endpoints describe them. */
export const publicUser = z.object({
  id,
  username: z.string(),
  /** base64 of the self-signed public-keys record */
  publicKeys: base64,
});

export const session = z.object({
  id,
  createdAt: isoTime,
  lastSeenAt: isoTime,
  expiresAt: isoTime,
  current: z.boolean(),
});

export const invite = z.object({
  id,
  createdAt: isoTime,
  expiresAt: isoTime,
  /** null while the invite is unused */
  usedAt: z.nullable(isoTime),
});

export const friend = z.object({ user: publicUser, roomId: id, since: isoTime });

export const friendRequest = z.object({ id, user: publicUser, createdAt: isoTime });

export const blockedUser = z.object({
  user: z.object({ id, username: z.string() }),
  since: isoTime,
});

export const friendsList = z.object({
  friends: z.array(friend),
  incoming: z.array(friendRequest),
  outgoing: z.array(friendRequest),
  blocked: z.array(blockedUser),
});

export const room = z.object({
  id,
  /** "direct" (two friends) or "group" */
  kind: z.string(),
  epoch: z.int().check(z.gte(1)),
  lastSeq: seq,
  lastReadSeq: seq,
  unread: count,
  members: z.array(publicUser),
  /**
   * Groups only: how far each member's devices have told the server they received the
   * conversation (`POST /api/rooms/:id/delivered`). The server's word, like "sent".
   */
  delivered: z.optional(z.array(z.object({ userId: id, seq }))),
});

/**
 * One signed change of a group's members (PROTOCOL.md section 19) as the server filed it:
 * `afterSeq` is the room's last message sequence number when it was filed.
 */
export const groupRecord = z.object({
  index: z.int().check(z.gte(0), z.lte(0xffff_ffff)),
  /** base64 of the signed group record */
  record: base64,
  afterSeq: seq,
});

export const wrappedKeyRecord = z.object({
  epoch: z.int().check(z.gte(1), z.lte(Number.MAX_SAFE_INTEGER)),
  wrapperId: id,
  record: base64,
});

/** A message as the server stores it: everything but the envelope is clear-text metadata. */
export const serverMessage = z
  .object({
    id,
    roomId: id,
    seq: z.int().check(z.gte(1), z.lte(Number.MAX_SAFE_INTEGER)),
    senderId: id,
    epoch: z.int().check(z.gte(1), z.lte(Number.MAX_SAFE_INTEGER)),
    envelope: base64,
    createdAt: isoTime,
    /**
     * When the server deletes it (the sender's disappearing timer); null when it keeps it.
     * Absent (a server from before retention) reads as null: clients never rely on it.
     */
    disappearsAt: z._default(z.nullable(isoTime), null),
    /**
     * When its sender asked the server to erase it; the envelope is then '' (the row keeps
     * its place in the sequence). Absent (a server from before erasing) reads as null.
     */
    erasedAt: z._default(z.nullable(isoTime), null),
  })
  .check(
    z.refine((m) => (m.envelope === '') === (m.erasedAt !== null), {
      message: 'envelope must be empty exactly when the message was erased',
    }),
  );

/** An encrypted file as the server keeps it (sizes count ciphertext bytes). */
export const serverFile = z.object({
  id,
  roomId: id,
  uploaderId: id,
  size: count,
  received: count,
  status: z.enum(['uploading', 'ready']),
  createdAt: isoTime,
  /** When an unfinished upload expires; null once it is ready. */
  expiresAt: z.nullable(isoTime),
  /** When the server deletes the file (the uploader's disappearing timer); null or absent when it keeps it. */
  disappearsAt: z._default(z.nullable(isoTime), null),
});

export type ServerConfig = z.infer<typeof serverConfig>;
export type User = z.infer<typeof user>;
export type PublicUser = z.infer<typeof publicUser>;
export type Session = z.infer<typeof session>;
export type Invite = z.infer<typeof invite>;
export type Friend = z.infer<typeof friend>;
export type FriendRequest = z.infer<typeof friendRequest>;
export type BlockedUser = z.infer<typeof blockedUser>;
export type FriendsList = z.infer<typeof friendsList>;
export type Room = z.infer<typeof room>;
export type WrappedKeyRecord = z.infer<typeof wrappedKeyRecord>;
export type GroupRecordView = z.infer<typeof groupRecord>;
export type ServerMessage = z.infer<typeof serverMessage>;
export type ServerFile = z.infer<typeof serverFile>;
