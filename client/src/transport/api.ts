// The OnionChat HTTP API (docs/API.md), typed by the wire contract. Every answer is
// decoded with the contract's schemas before anything else sees it: the server is
// untrusted, and an answer that does not fit is an error, never a guess.

import {
  answers,
  type AcceptFriendBody,
  type Answer,
  type AppendGroupRecordBody,
  type BundleUpdateBody,
  type ChangePassphraseBody,
  type CreateGroupBody,
  type PublishKeysBody,
  type SignupBody,
  type StartEpochBody,
} from '@onionchat/contract';
import { z } from 'zod/mini';
import { errorFromResponse, meansSessionLost, parseJson, unreadableAnswer } from './api-error.js';
import type { HttpTransport } from './http.js';

// zod would otherwise try `new Function` (refused by the page's script policy, and
// no faster without a JIT).
z.config({ jitless: true });

const enc = encodeURIComponent;

export function fileContentPath(fileId: string): string {
  return `/api/files/${enc(fileId)}/content`;
}

export class Api {
  private readonly sessionLostListeners = new Set<() => void>();

  constructor(readonly http: HttpTransport) {}

  /** Be told when an authenticated request finds the session gone (expired, ended elsewhere). */
  onSessionLost(listener: () => void): () => void {
    this.sessionLostListeners.add(listener);
    return () => this.sessionLostListeners.delete(listener);
  }

  /** The ApiError for a failed answer; tells the listeners when it means the session is gone. */
  failure(status: number, data: unknown, retryAfter: string | null): Error {
    const error = errorFromResponse(status, data, retryAfter);
    if (meansSessionLost(error)) for (const listener of this.sessionLostListeners) listener();
    return error;
  }

  config = () => this.call('config', 'GET', '/api/config');

  kdf = (username: string) => this.call('kdf', 'POST', '/api/auth/kdf', { username });
  signup = (body: SignupBody) => this.call('signup', 'POST', '/api/auth/signup', body);
  login = (username: string, authKey: string) => this.call('login', 'POST', '/api/auth/login', { username, authKey });
  logout = () => this.none('POST', '/api/auth/logout');
  logoutAll = () => this.none('POST', '/api/auth/logout-all');

  account = () => this.call('account', 'GET', '/api/account');
  /** Who this browser is logged in as, or null: no 401 (and no console line) for a visitor. */
  sessionUser = () => this.call('sessionUser', 'GET', '/api/session');
  bundle = () => this.call('bundle', 'GET', '/api/account/bundle');
  changePassphrase = (body: ChangePassphraseBody) =>
    this.call('changePassphrase', 'POST', '/api/account/passphrase', body);
  replaceBundle = (body: BundleUpdateBody) => this.none('POST', '/api/account/bundle', body);
  publishKeys = (body: PublishKeysBody) => this.call('publishKeys', 'POST', '/api/account/keys', body);

  /** Deletes the account for good; `currentAuthKey` (base64) proves the passphrase as a change does. */
  deleteAccount = (currentAuthKey: string) => this.none('DELETE', '/api/account', { currentAuthKey });

  sessions = () => this.call('sessions', 'GET', '/api/account/sessions');
  endSession = (id: string) => this.none('DELETE', `/api/account/sessions/${enc(id)}`);

  invites = () => this.call('invites', 'GET', '/api/invites');
  createInvite = () => this.call('createInvite', 'POST', '/api/invites');
  revokeInvite = (id: string) => this.none('DELETE', `/api/invites/${enc(id)}`);

  friends = () => this.call('friends', 'GET', '/api/friends');
  requestFriend = (username: string) => this.call('requestFriend', 'POST', '/api/friends/requests', { username });
  acceptFriend = (requestId: string, body: AcceptFriendBody) =>
    this.call('acceptFriend', 'POST', `/api/friends/requests/${enc(requestId)}/accept`, body);
  deleteFriendRequest = (requestId: string) => this.none('DELETE', `/api/friends/requests/${enc(requestId)}`);
  removeFriend = (userId: string) => this.none('DELETE', `/api/friends/${enc(userId)}`);
  block = (username: string) => this.none('POST', '/api/blocks', { username });
  unblock = (userId: string) => this.none('DELETE', `/api/blocks/${enc(userId)}`);

  rooms = () => this.call('rooms', 'GET', '/api/rooms');
  roomKeys = (roomId: string) => this.call('roomKeys', 'GET', `/api/rooms/${enc(roomId)}/keys`);
  startEpoch = (roomId: string, body: StartEpochBody) =>
    this.call('startEpoch', 'POST', `/api/rooms/${enc(roomId)}/keys`, body);
  messagesAfter = (roomId: string, after: number, limit: number) =>
    this.call('messagePage', 'GET', `/api/rooms/${enc(roomId)}/messages?after=${after}&limit=${limit}`);
  messagesBefore = (roomId: string, before: number, limit: number) =>
    this.call('messagePage', 'GET', `/api/rooms/${enc(roomId)}/messages?before=${before}&limit=${limit}`);
  /** Asks the server to erase the ciphertext of message `id` (the server's id), sent by this account. */
  eraseMessage = (roomId: string, id: string) => this.none('DELETE', `/api/rooms/${enc(roomId)}/messages/${enc(id)}`);
  markRead = (roomId: string, seq: number) => this.call('markRead', 'POST', `/api/rooms/${enc(roomId)}/read`, { seq });
  markDelivered = (roomId: string, seq: number) =>
    this.call('markDelivered', 'POST', `/api/rooms/${enc(roomId)}/delivered`, { seq });
  /** Each member's latest sealed receipt for the room (PROTOCOL.md §22). */
  receipts = (roomId: string) => this.call('receipts', 'GET', `/api/rooms/${enc(roomId)}/receipts`);
  /** Replaces this account's receipt for the room. */
  saveReceipt = (roomId: string, envelope: string) =>
    this.none('PUT', `/api/rooms/${enc(roomId)}/receipt`, { envelope });

  createGroup = (body: CreateGroupBody) => this.call('createGroup', 'POST', '/api/groups', body);
  /** The group's records after index `after`; from record 0 when `after` is null. */
  groupRecords = (roomId: string, after: number | null) =>
    this.call('groupRecords', 'GET', `/api/groups/${enc(roomId)}/records${after === null ? '' : `?after=${after}`}`);
  appendGroupRecord = (roomId: string, body: AppendGroupRecordBody) =>
    this.call('appendGroupRecord', 'POST', `/api/groups/${enc(roomId)}/records`, body);

  // File contents travel as raw bytes through `http` (files/transfers).
  /** `disappearsAt`: when the server is to delete the file (ISO 8601), as its message disappears. */
  createFile = (roomId: string, size: number, disappearsAt: string | null = null) =>
    this.call('createFile', 'POST', `/api/rooms/${enc(roomId)}/files`, {
      size,
      ...(disappearsAt ? { disappearsAt } : {}),
    });
  roomFiles = (roomId: string) => this.call('roomFiles', 'GET', `/api/rooms/${enc(roomId)}/files`);
  fileInfo = (fileId: string) => this.call('fileInfo', 'GET', `/api/files/${enc(fileId)}`);
  deleteFile = (fileId: string) => this.none('DELETE', `/api/files/${enc(fileId)}`);

  /** Decodes an answer body (also for file uploads, which do not go through call()). */
  decode<K extends keyof typeof answers>(kind: K, status: number, data: unknown): Answer<K> {
    const parsed = answers[kind].safeParse(data);
    if (!parsed.success) throw unreadableAnswer(status);
    return parsed.data as Answer<K>;
  }

  private async call<K extends keyof typeof answers>(
    kind: K,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Answer<K>> {
    const { status, data } = await this.send(method, path, body);
    return this.decode(kind, status, data);
  }

  /** For calls whose success has nothing to say (204, or a 201 without a body). */
  private async none(method: string, path: string, body?: unknown): Promise<void> {
    await this.send(method, path, body);
  }

  private async send(method: string, path: string, body?: unknown): Promise<{ status: number; data: unknown }> {
    const answer = await this.http.json(method, path, body);
    const data = parseJson(answer.text);
    if (answer.status < 200 || answer.status >= 300) throw this.failure(answer.status, data, answer.retryAfter);
    return { status: answer.status, data };
  }
}
