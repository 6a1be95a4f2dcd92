// Typed wrapper around the OnionChat HTTP API (docs/API.md).
// Same origin only: every path starts with /api, cookies ride along automatically
// (the session cookie is HttpOnly; this code never sees it).

export const NETWORK_ERROR_MESSAGE = "Can't reach the server (Tor circuits sometimes drop; try again).";

/** How long to wait for the server before giving up. Tor can be slow, so be generous. */
const REQUEST_TIMEOUT_MS = 90_000;

export class ApiError extends Error {
  /** HTTP status, or 0 when the server could not be reached at all. */
  readonly status: number;
  /** Stable machine-readable code from the server ("wrong_credentials", ...), or "network". */
  readonly code: string;
  /** Seconds until a rate-limited request may be retried, when the server said so. */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export interface User {
  id: string;
  username: string;
  /** base64 of the self-signed public-keys record */
  publicKeys: string;
  createdAt: string;
}

export interface ServerConfig {
  registration: 'open' | 'invite';
  minKdfIterations: number;
}

export interface Session {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

export interface Invite {
  id: string;
  createdAt: string;
  expiresAt: string;
  usedAt?: string | null;
}

/** Another user as the friends and rooms endpoints describe them. */
export interface PublicUser {
  id: string;
  username: string;
  /** base64 of the self-signed public-keys record */
  publicKeys: string;
}

export interface Friend {
  user: PublicUser;
  roomId: string;
  since: string;
}

export interface FriendRequest {
  id: string;
  user: PublicUser;
  createdAt: string;
}

export interface BlockedUser {
  user: { id: string; username: string };
  since: string;
}

export interface FriendsList {
  friends: Friend[];
  incoming: FriendRequest[];
  outgoing: FriendRequest[];
  blocked: BlockedUser[];
}

export interface Room {
  id: string;
  kind: string;
  epoch: number;
  lastSeq: number;
  lastReadSeq: number;
  unread: number;
  members: PublicUser[];
}

export interface WrappedKeyRecord {
  epoch: number;
  wrapperId: string;
  record: string;
}

/** A message as the server stores it: everything but the envelope is clear-text metadata. */
export interface ServerMessage {
  id: string;
  roomId: string;
  seq: number;
  senderId: string;
  epoch: number;
  envelope: string;
  createdAt: string;
}

/** An encrypted file as the server keeps it (sizes count ciphertext bytes). */
export interface ServerFile {
  id: string;
  roomId: string;
  uploaderId: string;
  size: number;
  received: number;
  status: 'uploading' | 'ready';
  createdAt: string;
  expiresAt: string | null;
}

export interface MessagePage {
  messages: ServerMessage[];
  hasMore: boolean;
}

export interface SignupBody {
  username: string;
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

/** Codes meaning "this browser no longer has a valid session". */
const SESSION_LOST_CODES = new Set(['not_logged_in', 'session_expired']);

type SessionLostListener = () => void;
const sessionLostListeners = new Set<SessionLostListener>();

/** Be told when an authenticated request finds the session gone (expired, ended elsewhere). */
export function onSessionLost(listener: SessionLostListener): () => void {
  sessionLostListeners.add(listener);
  return () => {
    sessionLostListeners.delete(listener);
  };
}

function isErrorBody(value: unknown): value is { code?: unknown; message?: unknown } {
  return typeof value === 'object' && value !== null;
}

function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  return null;
}

/**
 * The ApiError for a failed response (`data`: its parsed JSON body, if any). Tells the
 * session-lost listeners when the answer means the session is gone. Also for the
 * binary file transfers, which don't go through request().
 */
export function errorFromResponse(status: number, data: unknown, retryAfter: string | null): ApiError {
  const code = isErrorBody(data) && typeof data.code === 'string' ? data.code : `http_${status}`;
  const message =
    isErrorBody(data) && typeof data.message === 'string' && data.message.length > 0
      ? data.message
      : status >= 500
        ? `The server had a problem (HTTP ${status}). Try again in a moment.`
        : `The request failed (HTTP ${status}).`;
  const error = new ApiError(status, code, message, parseRetryAfter(retryAfter));
  if (status === 401 && SESSION_LOST_CODES.has(code)) {
    for (const listener of sessionLostListeners) listener();
  }
  return error;
}

/** `expectBody: false` for calls whose success has nothing to say (204, or a 201 without a body). */
async function request<T>(method: string, path: string, body?: unknown, expectBody = true): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = {
    method,
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
  };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  init.signal = controller.signal;

  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', NETWORK_ERROR_MESSAGE);
  } finally {
    clearTimeout(timer);
  }

  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new ApiError(0, 'network', NETWORK_ERROR_MESSAGE);
  }

  let data: unknown = undefined;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!response.ok) throw errorFromResponse(response.status, data, response.headers.get('Retry-After'));

  if (response.status !== 204 && data === undefined && (expectBody || text.length > 0)) {
    throw new ApiError(response.status, 'bad_response', "The server sent a reply this page can't read. Try again.");
  }
  return data as T;
}

const enc = encodeURIComponent;

export const api = {
  config: () => request<ServerConfig>('GET', '/api/config'),

  kdf: (username: string) => request<{ kdfParams: string }>('POST', '/api/auth/kdf', { username }),
  signup: (body: SignupBody) => request<{ user: User }>('POST', '/api/auth/signup', body),
  login: (username: string, authKey: string) =>
    request<{ user: User; keyBundle: string }>('POST', '/api/auth/login', { username, authKey }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  logoutAll: () => request<void>('POST', '/api/auth/logout-all'),

  account: () => request<{ user: User }>('GET', '/api/account'),
  bundle: () => request<{ kdfParams: string; keyBundle: string }>('GET', '/api/account/bundle'),
  changePassphrase: (body: ChangePassphraseBody) => request<{ user: User }>('POST', '/api/account/passphrase', body),
  replaceBundle: (body: { keyBundle: string; replaces: string; signature: string }) =>
    request<void>('POST', '/api/account/bundle', body, false),

  sessions: () => request<{ sessions: Session[] }>('GET', '/api/account/sessions'),
  endSession: (id: string) => request<void>('DELETE', `/api/account/sessions/${enc(id)}`),

  invites: () => request<{ invites: Invite[] }>('GET', '/api/invites'),
  createInvite: () => request<{ invite: Omit<Invite, 'usedAt'>; token: string }>('POST', '/api/invites'),
  revokeInvite: (id: string) => request<void>('DELETE', `/api/invites/${enc(id)}`),

  friends: () => request<FriendsList>('GET', '/api/friends'),
  requestFriend: (username: string) =>
    request<{ request: FriendRequest }>('POST', '/api/friends/requests', { username }),
  acceptFriend: (requestId: string, roomId: string, wrappedKeys: { memberId: string; record: string }[]) =>
    request<{ roomId: string }>('POST', `/api/friends/requests/${enc(requestId)}/accept`, { roomId, wrappedKeys }),
  deleteFriendRequest: (requestId: string) => request<void>('DELETE', `/api/friends/requests/${enc(requestId)}`),
  removeFriend: (userId: string) => request<void>('DELETE', `/api/friends/${enc(userId)}`),
  block: (username: string) => request<void>('POST', '/api/blocks', { username }, false),
  unblock: (userId: string) => request<void>('DELETE', `/api/blocks/${enc(userId)}`),

  rooms: () => request<{ rooms: Room[] }>('GET', '/api/rooms'),
  roomKeys: (roomId: string) => request<{ keys: WrappedKeyRecord[] }>('GET', `/api/rooms/${enc(roomId)}/keys`),
  messagesAfter: (roomId: string, after: number, limit = 100) =>
    request<MessagePage>('GET', `/api/rooms/${enc(roomId)}/messages?after=${after}&limit=${limit}`),
  messagesBefore: (roomId: string, before: number, limit = 50) =>
    request<MessagePage>('GET', `/api/rooms/${enc(roomId)}/messages?before=${before}&limit=${limit}`),
  markRead: (roomId: string, seq: number) =>
    request<{ lastReadSeq: number }>('POST', `/api/rooms/${enc(roomId)}/read`, { seq }),

  // File contents travel as raw bytes, outside request(): see lib/transfers.ts.
  createFile: (roomId: string, size: number) =>
    request<{ file: ServerFile; maxRequestBytes: number }>('POST', `/api/rooms/${enc(roomId)}/files`, { size }),
  roomFiles: (roomId: string) => request<{ files: ServerFile[] }>('GET', `/api/rooms/${enc(roomId)}/files`),
  fileInfo: (fileId: string) => request<{ file: ServerFile }>('GET', `/api/files/${enc(fileId)}`),
  deleteFile: (fileId: string) => request<void>('DELETE', `/api/files/${enc(fileId)}`),
};

export function fileContentPath(fileId: string): string {
  return `/api/files/${enc(fileId)}/content`;
}
