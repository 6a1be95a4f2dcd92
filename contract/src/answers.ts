// Every JSON answer of the HTTP API, one schema per endpoint (docs/API.md lists the
// routes). Items of a list that the client can do without (a room, a message) are
// checked one by one by the client, so one bad item does not hide the rest: their
// lists are `unknown[]` here.

import { z } from 'zod/mini';
import {
  friendRequest,
  friendsList,
  groupRecord,
  invite,
  room,
  serverConfig,
  serverFile,
  serverMessage,
  session,
  user,
  wrappedKeyRecord,
} from './views.js';

const items = z.array(z.unknown());

export const answers = {
  health: z.object({ status: z.literal('ok') }),
  config: serverConfig,
  kdf: z.object({ kdfParams: z.string() }),
  signup: z.object({ user }),
  login: z.object({ user, keyBundle: z.string() }),
  account: z.object({ user }),
  /** `GET /api/session`: the account this browser is logged in as, or null for a visitor (never 401). */
  sessionUser: z.object({ user: z.nullable(user) }),
  bundle: z.object({ kdfParams: z.string(), keyBundle: z.string() }),
  /** `POST /api/account/keys`: the account with its newly published public keys. */
  publishKeys: z.object({ user }),
  changePassphrase: z.object({ user }),
  sessions: z.object({ sessions: z.array(session) }),
  invites: z.object({ invites: z.array(invite) }),
  createInvite: z.object({ invite: z.omit(invite, { usedAt: true }), token: z.string().check(z.minLength(1)) }),
  friends: friendsList,
  requestFriend: z.object({ request: friendRequest }),
  acceptFriend: z.object({ roomId: z.string() }),
  rooms: z.object({ rooms: items }),
  roomKeys: z.object({ keys: z.array(wrappedKeyRecord) }),
  /** `POST /api/rooms/:id/keys`: the room's new current epoch. */
  startEpoch: z.object({ epoch: z.int().check(z.gte(2), z.lte(Number.MAX_SAFE_INTEGER)) }),
  /** `POST /api/groups`: the new group, as the rooms list shows it. */
  createGroup: z.object({ room }),
  /** `GET /api/groups/:id/records`: the records after `after`, in index order. */
  groupRecords: z.object({ records: z.array(groupRecord), hasMore: z.boolean() }),
  /** `POST /api/groups/:id/records`: where the record was filed and the group's epoch after it. */
  appendGroupRecord: z.object({
    index: z.int().check(z.gte(1), z.lte(0xffff_ffff)),
    epoch: z.int().check(z.gte(1), z.lte(Number.MAX_SAFE_INTEGER)),
    afterSeq: z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER)),
  }),
  messagePage: z.object({ messages: items, hasMore: z.boolean() }),
  /** `POST /api/rooms/:id/messages`: the stored message; `duplicate` when the clientId was already sent. */
  sendMessage: z.object({ message: serverMessage, duplicate: z.boolean() }),
  markRead: z.object({ lastReadSeq: z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER)) }),
  /** `POST /api/rooms/:id/delivered` (groups only): the member's delivered mark after it. */
  markDelivered: z.object({ deliveredSeq: z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER)) }),
  /** `GET /api/rooms/:id/receipts`: each current member's latest sealed receipt (PROTOCOL.md §22). */
  receipts: z.object({
    receipts: z.array(z.object({ userId: z.string(), envelope: z.string(), updatedAt: z.string() })),
  }),
  createFile: z.object({ file: serverFile, maxRequestBytes: z.int().check(z.gte(1)) }),
  roomFiles: z.object({ files: z.array(serverFile) }),
  fileInfo: z.object({ file: serverFile }),
  /** `PUT /api/files/:fileId/content`: the file with what the server now has of it. */
  uploadFile: z.object({ file: serverFile }),
  /** The error body every failed request carries. */
  error: z.object({
    statusCode: z.optional(z.number()),
    error: z.optional(z.string()),
    code: z.string(),
    message: z.string(),
  }),
} as const;

export type Answer<K extends keyof typeof answers> = z.infer<(typeof answers)[K]>;

export interface SignupBody {
  username: string;
  /** Chosen by the client (a canonical UUID), because the v2 public keys record it signs names it. */
  userId: string;
  inviteToken?: string;
  kdfParams: string;
  authKey: string;
  publicKeys: string;
  keyBundle: string;
}

export interface ChangePassphraseBody {
  currentAuthKey: string;
  kdfParams: string;
  authKey: string;
  keyBundle: string;
}

/** `POST /api/account/keys`: a v2 public keys record for the same identity keys (the ML-KEM upgrade). */
export interface PublishKeysBody {
  publicKeys: string;
}

export interface BundleUpdateBody {
  keyBundle: string;
  replaces: string;
  signature: string;
}

/**
 * `POST /api/rooms/:id/keys`: the next epoch's room key, wrapped for each current member;
 * in a group, the current epoch's key when nobody has posted it yet (after a leave).
 */
export interface StartEpochBody {
  epoch: number;
  keys: { memberId: string; record: string }[];
}

/**
 * A disappearing time: ISO 8601 UTC (e.g. "2026-12-05T10:00:00.000Z"), after which the
 * server deletes the message or file and stops serving it. It must lie in the future and
 * at most the server's DISAPPEARING_MAX_DAYS (default 29) ahead: otherwise 400
 * `bad_disappears_at`, or `already_disappeared` when it has passed. Null or absent: kept.
 */
export type DisappearsAt = string | null;

/** `POST /api/rooms/:id/messages` (and the socket's `message:send`, which adds roomId). */
export interface SendMessageBody {
  clientId: string;
  /** base64 of the sealed envelope */
  envelope: string;
  disappearsAt?: DisappearsAt;
}

/** `POST /api/rooms/:id/files`: the ciphertext size to upload, and when the file disappears. */
export interface CreateFileBody {
  size: number;
  disappearsAt?: DisappearsAt;
}

export interface AcceptFriendBody {
  roomId: string;
  wrappedKeys: { memberId: string; record: string }[];
}

/** `POST /api/groups`: the signed create record (index 0) and the room key of epoch 1 wrapped for every member. */
export interface CreateGroupBody {
  record: string;
  keys: { memberId: string; record: string }[];
}

/**
 * `POST /api/groups/:id/records`: the next signed record; an add or a remove carries the
 * new epoch's room key wrapped for every member of the group after it, other actions none.
 */
export interface AppendGroupRecordBody {
  record: string;
  keys?: { memberId: string; record: string }[];
}
