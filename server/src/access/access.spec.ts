// The authorization matrix: every REST route the app serves and every WebSocket event
// its gateways take, tried as an anonymous caller, a stranger, a user the owner blocked
// and the member the route is for. The expectations are one table keyed by route; the
// table must match the running app's route table and event list exactly, so a new route
// or event without an entry fails here. A refused call answers exactly like a call about
// something that does not exist, and changes nothing the server stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundleDigest,
  fromBase64,
  newRoomKey,
  newUuid,
  randomBytes,
  sealKeyBundle,
  signBundleUpdate,
  toBase64,
  wrapRoomKeyHybrid,
} from '@onionchat/protocol';
import { startTestApp, type TestApp, type TestClient } from '../../test-support/app.js';
import { logIn, makeAccount } from '../../test-support/accounts.js';
import {
  acceptBody,
  befriend,
  collect,
  connectSocket,
  emitWithAck,
  envelopeFor,
  newUser,
  until,
  type Friendship,
  type User,
} from '../../test-support/social.js';
import { joining, makeGroup, TestGroup } from '../../test-support/groups.js';
import { storedState, type StoredState } from '../../test-support/state.js';
import { gatewayEvents, routeTable } from '../../test-support/surface.js';

type Role = 'anonymous' | 'stranger' | 'blocked' | 'member';
const ROLES: Role[] = ['anonymous', 'stranger', 'blocked', 'member'];

interface Call {
  method: string;
  path: string;
  body?: unknown;
  bytes?: Uint8Array<ArrayBuffer>;
}

interface Entry {
  /** The call made by `caller` in `role`; sets up a fresh target where the call uses one up. */
  call: (role: Role, caller: User | null) => Promise<Call> | Call;
  /** Expected status as anonymous, stranger, blocked user and member (the owner). */
  expect: [number, number, number, number];
  /** The owner's friend in the room, or the other party of a request, where that differs. */
  coMember?: number;
  /** Signed-in callers act on their own account: each role is a fresh session or a fresh user. */
  throwaway?: 'session' | 'user';
  /** Why non-members may succeed here. */
  why?: string;
}

let t: TestApp;
let state: StoredState;
let owner: User;
let friend: User;
let stranger: User;
let blocked: User;
let room: Friendship;
let group: TestGroup;
let serial = 0;
const uniq = (prefix: string) => `${prefix}_${++serial}`;

beforeAll(async () => {
  t = await startTestApp({
    RATE_LOGIN_PER_ACCOUNT_PER_15_MIN: '1000',
    RATE_LOGIN_PER_CLIENT_PER_15_MIN: '1000',
    MAX_OPEN_INVITES_PER_USER: '100',
    // Many accounts are made here; the auth hash's cost is not what is tested.
    AUTH_HASH_LOG_N: '10',
    AUTH_HASH_P: '1',
  });
  state = await storedState(t.dbUrl);
  [owner, friend, stranger, blocked] = [
    await newUser(t, 'owner'),
    await newUser(t, 'friend'),
    await newUser(t, 'stranger'),
    await newUser(t, 'blocked'),
  ];
  room = await befriend(owner, friend);
  // The blocked user was the owner's friend: blocking ended that friendship.
  await befriend(owner, blocked);
  await owner.client.post('/api/blocks', { username: 'blocked' });
  await owner.client.post(`/api/rooms/${room.roomId}/messages`, envelopeFor(owner.account, room));
  group = await makeGroup(owner, [friend]);
});
afterAll(async () => {
  await state?.close();
  await t?.close();
});

const get = (path: string): Call => ({ method: 'GET', path });
const del = (path: string): Call => ({ method: 'DELETE', path });
const post = (path: string, body?: unknown): Call => ({ method: 'POST', path, body });
const put = (path: string, body?: unknown): Call => ({ method: 'PUT', path, body });
/** A receipt sealed by `caller` for the owner's room (PROTOCOL.md §22). */
const receiptOf = (caller: User) =>
  envelopeFor(caller.account, room, { type: 'receipt', delivered: { id: newUuid(), seq: 1 }, read: null }).envelope;

/** A file of the owner's room, uploaded by the owner; `ready` uploads all of it. */
async function ownersFile(ready: boolean): Promise<string> {
  const made = await owner.client.post<{ file: { id: string } }>(`/api/rooms/${room.roomId}/files`, { size: 16 });
  if (ready) await send(owner.client, { method: 'PUT', path: filePut(made.body.file.id), bytes: new Uint8Array(16) });
  return made.body.file.id;
}
const filePut = (id: string) => `/api/files/${id}/content?offset=0`;

/** A pending friend request from a new user to the owner. */
async function requestToOwner(): Promise<{ id: string; from: User }> {
  const from = await newUser(t, uniq('asker'));
  const sent = await from.client.post<{ request: { id: string } }>('/api/friends/requests', { username: 'owner' });
  return { id: sent.body.request.id, from };
}

/** The caller's own bundle re-sealed, signed over the one stored now. */
async function bundleUpdate(user: User) {
  const stored = await user.client.get<{ keyBundle: string }>('/api/account/bundle');
  const previous = fromBase64(stored.body.keyBundle);
  const next = sealKeyBundle(user.account.identity, user.account.wrapKey);
  const signature = signBundleUpdate(user.account.identity, user.account.id, previous, next);
  return { keyBundle: toBase64(next), replaces: toBase64(bundleDigest(previous)), signature: toBase64(signature) };
}

/** The id of a second session of the owner (made for the occasion). */
async function ownersOtherSession(): Promise<string> {
  const other = t.client();
  await logIn(other, owner.account);
  const list = await other.get<{ sessions: { id: string; current: boolean }[] }>('/api/account/sessions');
  return list.body.sessions.find((s) => s.current)!.id;
}

/**
 * Epoch 2 of a new room between `member` and a new friend, wrapped by `wrapper`: a
 * fresh room each time, so the shared room keeps its epoch for the other routes.
 */
async function nextEpochOfFreshRoom(member: User, wrapper: User): Promise<Call> {
  const pal = await newUser(t, uniq('pal'));
  const { roomId } = await befriend(member, pal);
  const roomKey = newRoomKey();
  const keys = [member, pal].map(({ account }) => ({
    memberId: account.id,
    record: toBase64(
      wrapRoomKeyHybrid(
        roomKey,
        { roomId, epoch: 2, memberId: account.id, wrapperId: wrapper.account.id },
        wrapper.account.identity,
        { boxPublicKey: account.identity.boxPublicKey, kemPublicKey: account.identity.kem!.publicKey },
      ),
    ),
  }));
  return post(`/api/rooms/${roomId}/keys`, { epoch: 2, keys });
}

/** A create record by `caller` of a group with the owner (the owner's: with the friend) and its keys. */
function newGroupBody(caller: User): Call {
  const other = caller === owner ? friend : owner;
  const fresh = new TestGroup();
  const record = fresh.record(caller.account, 'create', [joining(caller.account, 'admin'), joining(other.account)]);
  return post('/api/groups', {
    record: toBase64(record),
    keys: fresh.wrap(1, caller.account, [caller.account, other.account]),
  });
}

/** A rename signed by `caller` of a new group of the owner (its admin) and the friend. */
async function renameOfFreshGroup(caller: User): Promise<Call> {
  const fresh = await makeGroup(owner, [friend]);
  return post(`/api/groups/${fresh.roomId}/records`, { record: toBase64(fresh.record(caller.account, 'rename')) });
}

const OWN = 'each signed-in caller acts on their own account only';

const MATRIX: Record<string, Entry> = {
  'GET /api/health': { call: () => get('/api/health'), expect: [200, 200, 200, 200], why: 'public' },
  'GET /api/config': { call: () => get('/api/config'), expect: [200, 200, 200, 200], why: 'public' },
  'GET /api/session': {
    call: () => get('/api/session'),
    expect: [200, 200, 200, 200],
    why: 'public: says only who the caller is, null without a session',
  },
  'POST /api/auth/kdf': {
    call: () => post('/api/auth/kdf', { username: 'owner' }),
    expect: [200, 200, 200, 200],
    why: 'public (unknown names get decoy salts)',
  },
  'POST /api/auth/signup': {
    call: async () => post('/api/auth/signup', (await makeAccount(uniq('newcomer'))).signupBody),
    expect: [201, 201, 201, 201],
    why: 'public (registration is open in this test)',
  },
  'POST /api/auth/login': {
    call: (_role, caller) => {
      const account = (caller ?? owner).account;
      return post('/api/auth/login', { username: account.username, authKey: toBase64(account.authKey) });
    },
    expect: [200, 200, 200, 200],
    why: 'public: whoever holds the auth key',
  },
  'POST /api/auth/logout': {
    call: () => post('/api/auth/logout'),
    expect: [401, 204, 204, 204],
    throwaway: 'session',
    why: OWN,
  },
  'POST /api/auth/logout-all': {
    call: () => post('/api/auth/logout-all'),
    expect: [401, 204, 204, 204],
    throwaway: 'user',
    why: OWN,
  },
  'GET /api/account': { call: () => get('/api/account'), expect: [401, 200, 200, 200], why: OWN },
  'GET /api/account/bundle': { call: () => get('/api/account/bundle'), expect: [401, 200, 200, 200], why: OWN },
  'POST /api/account/bundle': {
    call: async (_role, caller) => post('/api/account/bundle', await bundleUpdate(caller ?? owner)),
    expect: [401, 204, 204, 204],
    why: OWN,
  },
  'POST /api/account/keys': {
    call: (_role, caller) =>
      post('/api/account/keys', { publicKeys: (caller ?? owner).account.signupBody['publicKeys'] }),
    expect: [401, 200, 200, 200],
    why: OWN,
  },
  'POST /api/account/passphrase': {
    call: (_role, caller) => {
      const account = (caller ?? owner).account;
      return post('/api/account/passphrase', {
        currentAuthKey: toBase64(account.authKey),
        kdfParams: account.signupBody['kdfParams'],
        authKey: toBase64(randomBytes(32)),
        keyBundle: account.signupBody['keyBundle'],
      });
    },
    expect: [401, 200, 200, 200],
    throwaway: 'user',
    why: OWN,
  },
  'DELETE /api/account': {
    // Each signed-in caller deletes a fresh account of its own, with its own passphrase proof.
    call: (_role, caller) => ({
      method: 'DELETE',
      path: '/api/account',
      body: { currentAuthKey: toBase64((caller ?? owner).account.authKey) },
    }),
    expect: [401, 204, 204, 204],
    throwaway: 'user',
    why: OWN,
  },
  'GET /api/account/sessions': { call: () => get('/api/account/sessions'), expect: [401, 200, 200, 200], why: OWN },
  'DELETE /api/account/sessions/:id': {
    call: async () => del(`/api/account/sessions/${await ownersOtherSession()}`),
    expect: [401, 404, 404, 204],
  },
  'GET /api/invites': { call: () => get('/api/invites'), expect: [401, 200, 200, 200], why: OWN },
  'POST /api/invites': { call: () => post('/api/invites'), expect: [401, 201, 201, 201], why: OWN },
  'DELETE /api/invites/:id': {
    call: async () => {
      const made = await owner.client.post<{ invite: { id: string } }>('/api/invites');
      return del(`/api/invites/${made.body.invite.id}`);
    },
    expect: [401, 404, 404, 204],
  },
  'GET /api/friends': { call: () => get('/api/friends'), expect: [401, 200, 200, 200], why: OWN },
  'POST /api/friends/requests': {
    // Outsiders ask the owner; the owner asks someone new.
    call: async (role) =>
      post('/api/friends/requests', {
        username: role === 'member' ? (await newUser(t, uniq('asked'))).account.username : 'owner',
      }),
    expect: [401, 201, 201, 201],
    why: 'anyone may ask anyone; a blocked sender is answered alike but the owner never sees it (checked below)',
  },
  'POST /api/friends/requests/:id/accept': {
    call: async (role, caller) => {
      const request = await requestToOwner();
      const accepter = role === 'member' ? owner : (caller ?? owner);
      return post(`/api/friends/requests/${request.id}/accept`, acceptBody(accepter, request.from).body);
    },
    expect: [401, 404, 404, 201],
  },
  'DELETE /api/friends/requests/:id': {
    call: async () => del(`/api/friends/requests/${(await requestToOwner()).id}`),
    expect: [401, 404, 404, 204],
  },
  'DELETE /api/friends/:userId': {
    // Outsiders try to end the owner's friendship; the owner ends a new one.
    call: async (role) => {
      if (role !== 'member') return del(`/api/friends/${friend.account.id}`);
      const pal = await newUser(t, uniq('pal'));
      await befriend(owner, pal);
      return del(`/api/friends/${pal.account.id}`);
    },
    expect: [401, 404, 404, 204],
  },
  'POST /api/blocks': {
    call: async () => post('/api/blocks', { username: (await newUser(t, uniq('pest'))).account.username }),
    expect: [401, 201, 201, 201],
    why: OWN,
  },
  'DELETE /api/blocks/:userId': {
    // Outsiders try to lift the owner's block; the owner lifts a new one.
    call: async (role) => {
      if (role !== 'member') return del(`/api/blocks/${blocked.account.id}`);
      const pest = await newUser(t, uniq('pest'));
      await owner.client.post('/api/blocks', { username: pest.account.username });
      return del(`/api/blocks/${pest.account.id}`);
    },
    expect: [401, 404, 404, 204],
  },
  'GET /api/rooms': { call: () => get('/api/rooms'), expect: [401, 200, 200, 200], why: OWN },
  'GET /api/rooms/:id/keys': {
    call: () => get(`/api/rooms/${room.roomId}/keys`),
    expect: [401, 404, 404, 200],
    coMember: 200,
  },
  'POST /api/rooms/:id/keys': {
    call: (_role, caller) => nextEpochOfFreshRoom(caller === friend ? friend : owner, caller ?? owner),
    expect: [401, 404, 404, 201],
    coMember: 201,
  },
  'GET /api/rooms/:id/messages': {
    call: () => get(`/api/rooms/${room.roomId}/messages?after=0`),
    expect: [401, 404, 404, 200],
    coMember: 200,
  },
  'POST /api/rooms/:id/messages': {
    call: (_role, caller) => post(`/api/rooms/${room.roomId}/messages`, envelopeFor((caller ?? owner).account, room)),
    expect: [401, 404, 404, 201],
    coMember: 201,
  },
  'DELETE /api/rooms/:id/messages/:messageId': {
    // A fresh message of the owner's each time: only its sender may have it erased.
    call: async () => {
      const sent = await owner.client.post<{ message: { id: string } }>(
        `/api/rooms/${room.roomId}/messages`,
        envelopeFor(owner.account, room),
      );
      return del(`/api/rooms/${room.roomId}/messages/${sent.body.message.id}`);
    },
    expect: [401, 404, 404, 204],
    coMember: 403,
  },
  'POST /api/rooms/:id/read': {
    call: () => post(`/api/rooms/${room.roomId}/read`, { seq: 1 }),
    expect: [401, 404, 404, 200],
    coMember: 200,
  },
  'POST /api/rooms/:id/delivered': {
    // Delivered marks are a group's: members only (a former member is refused in rooms/delivered.spec.ts).
    call: () => post(`/api/rooms/${group.roomId}/delivered`, { seq: 1 }),
    expect: [401, 404, 404, 200],
    coMember: 200,
  },
  'GET /api/rooms/:id/receipts': {
    call: () => get(`/api/rooms/${room.roomId}/receipts`),
    expect: [401, 404, 404, 200],
    coMember: 200,
  },
  'PUT /api/rooms/:id/receipt': {
    // Each caller seals their own receipt: the header must name them.
    call: (_role, caller) => put(`/api/rooms/${room.roomId}/receipt`, { envelope: receiptOf(caller ?? owner) }),
    expect: [401, 404, 404, 204],
    coMember: 204,
  },
  'POST /api/groups': {
    // Anyone may make a group, of their own friends only: the outsiders try to put the owner in one.
    call: (_role, caller) => newGroupBody(caller ?? owner),
    expect: [401, 403, 403, 201],
  },
  'GET /api/groups/:id/records': {
    call: () => get(`/api/groups/${group.roomId}/records`),
    expect: [401, 404, 404, 200],
    coMember: 200,
  },
  'POST /api/groups/:id/records': {
    call: (_role, caller) => renameOfFreshGroup(caller ?? owner),
    expect: [401, 404, 404, 201],
    // A member who is not an admin may not rename.
    coMember: 403,
  },
  'GET /api/rooms/:id/files': {
    call: () => get(`/api/rooms/${room.roomId}/files`),
    expect: [401, 404, 404, 200],
    coMember: 200,
  },
  'POST /api/rooms/:id/files': {
    call: () => post(`/api/rooms/${room.roomId}/files`, { size: 100 }),
    expect: [401, 404, 404, 201],
    coMember: 201,
  },
  'GET /api/files/:fileId': {
    call: async () => get(`/api/files/${await ownersFile(false)}`),
    expect: [401, 404, 404, 200],
    coMember: 200,
  },
  'GET /api/files/:fileId/content': {
    call: async () => get(`/api/files/${await ownersFile(true)}/content`),
    expect: [401, 404, 404, 200],
    coMember: 200,
  },
  'PUT /api/files/:fileId/content': {
    call: async () => ({ method: 'PUT', path: filePut(await ownersFile(false)), bytes: new Uint8Array(16) }),
    expect: [401, 404, 404, 200],
    coMember: 403,
  },
  'DELETE /api/files/:fileId': {
    call: async () => del(`/api/files/${await ownersFile(false)}`),
    expect: [401, 404, 404, 204],
    coMember: 403,
  },
};

interface EventEntry {
  payload: (caller: User) => unknown;
  /** Expected ack status as stranger, blocked user and member; anonymous sockets are refused at the handshake. */
  expect: [number, number, number];
}

const EVENTS: Record<string, EventEntry> = {
  'message:send': {
    payload: (caller) => ({ roomId: room.roomId, ...envelopeFor(caller.account, room) }),
    expect: [404, 404, 201],
  },
};

/** A client of its own (so a Set-Cookie answer does not change the shared one). */
function clientOf(user: User | null): TestClient {
  const client = t.client();
  client.cookie = user?.client.cookie;
  return client;
}

async function callerFor(role: Role, entry: Entry): Promise<User | null> {
  const user = { anonymous: null, stranger, blocked, member: owner }[role];
  if (!user || !entry.throwaway) return user;
  if (entry.throwaway === 'session') {
    const client = t.client();
    await logIn(client, user.account);
    return { client, account: user.account };
  }
  const fresh = await newUser(t, uniq(role));
  if (role === 'blocked') await owner.client.post('/api/blocks', { username: fresh.account.username });
  return fresh;
}

/** Sends JSON or raw bytes; a non-JSON answer (file content) reads as an empty body. */
async function send(client: TestClient, call: Call): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = client.cookie ? { cookie: client.cookie } : {};
  let body: BodyInit | undefined;
  if (call.bytes) [headers['content-type'], body] = ['application/octet-stream', call.bytes];
  else if (call.body !== undefined) [headers['content-type'], body] = ['application/json', JSON.stringify(call.body)];
  const res = await fetch(t.baseUrl + call.path, { method: call.method, headers, body });
  const json = res.headers.get('content-type')?.startsWith('application/json');
  return {
    status: res.status,
    body: json ? ((await res.json()) as Record<string, unknown>) : (await res.arrayBuffer(), {}),
  };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Tries `call` as `caller` and checks the answer, and that a refusal changed nothing. */
async function check(label: string, caller: User | null, call: Call, expected: number, outsider: boolean) {
  const before = await state.snapshot();
  const res = await send(clientOf(caller), call);
  expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(expected);
  if (outsider) expect(JSON.stringify(res.body), `${label} leaks the owner's room`).not.toContain(room.roomId);
  if (expected < 400) return;
  expect(res.body, label).toEqual({
    statusCode: expected,
    error: expect.any(String),
    code: expected === 401 ? 'not_logged_in' : expect.any(String),
    message: expect.stringMatching(/^[A-Z].*\.$/),
  });
  expect(await state.snapshot(), `${label} changed stored state`).toEqual(before);
  if (expected === 404) {
    // The same caller asking about ids that do not exist gets the very same answer.
    const missing = { ...call, path: call.path.replace(UUID, () => newUuid()) };
    expect((await send(clientOf(caller), missing)).body, `${label} vs. a missing id`).toEqual(res.body);
  }
}

describe('authorization matrix', () => {
  it('has an entry for every route the app serves and every event its gateways take', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(routeTable(t.app).sort());
    expect(Object.keys(EVENTS).sort()).toEqual(gatewayEvents(t.app));
  });

  it('says why, wherever someone other than the member may succeed', () => {
    for (const [route, entry] of Object.entries(MATRIX)) {
      if (entry.expect.slice(0, 3).some((status) => status < 400)) expect(entry.why, route).toBeTruthy();
    }
  });

  for (const [route, entry] of Object.entries(MATRIX)) {
    it(`${route}: ${entry.expect.join(' / ')}${entry.coMember ? `, co-member ${entry.coMember}` : ''}`, async () => {
      for (const [i, role] of ROLES.entries()) {
        const caller = await callerFor(role, entry);
        const call = await entry.call(role, caller);
        await check(`${route} as ${role}`, caller, call, entry.expect[i]!, role === 'stranger' || role === 'blocked');
      }
      if (entry.coMember !== undefined) {
        await check(`${route} as co-member`, friend, await entry.call('member', friend), entry.coMember, false);
      }
    });
  }

  for (const [event, entry] of Object.entries(EVENTS)) {
    it(`${event} (WebSocket): refused / ${entry.expect.join(' / ')}`, async () => {
      await expect(connectSocket(t.baseUrl, t.client())).rejects.toThrow('not_logged_in');
      const callers = [stranger, blocked, owner];
      for (const [i, caller] of callers.entries()) {
        const socket = await connectSocket(t.baseUrl, caller.client);
        try {
          const before = await state.snapshot();
          const ack = await emitWithAck<{ ok: boolean; status?: number; message?: unknown }>(
            socket,
            event,
            entry.payload(caller),
          );
          const expected = entry.expect[i]!;
          if (expected < 400) {
            expect(ack.ok, `${event} as ${caller.account.username}`).toBe(true);
          } else {
            expect(ack, `${event} as ${caller.account.username}`).toMatchObject({ ok: false, status: expected });
            expect(await state.snapshot()).toEqual(before);
          }
        } finally {
          socket.close();
        }
      }
    });
  }
});

describe('what outsiders never see', () => {
  it("a blocked sender's friend request is answered alike but never reaches the owner", async () => {
    const pest = await newUser(t, uniq('pest'));
    await owner.client.post('/api/blocks', { username: pest.account.username });
    const sent = await pest.client.post('/api/friends/requests', { username: 'owner' });
    expect(sent.status).toBe(201);
    const overview = await owner.client.get<{ incoming: { user: { username: string } }[] }>('/api/friends');
    expect(overview.body.incoming.map((r) => r.user.username)).not.toContain(pest.account.username);
  });

  it('room messages are delivered to members only', async () => {
    const sockets = await Promise.all([owner, stranger, blocked].map((u) => connectSocket(t.baseUrl, u.client)));
    try {
      const [toOwner, toStranger, toBlocked] = sockets.map((s) => collect(s, 'message:new'));
      await friend.client.post(`/api/rooms/${room.roomId}/messages`, envelopeFor(friend.account, room));
      await until(() => toOwner!.length === 1);
      // A later event to the outsiders themselves proves their sockets were listening.
      const pal = await newUser(t, uniq('late'));
      const palRoom = await befriend(stranger, pal);
      const blockedPalRoom = await befriend(blocked, await newUser(t, uniq('late')));
      await pal.client.post(`/api/rooms/${palRoom.roomId}/messages`, envelopeFor(pal.account, palRoom));
      await blocked.client.post(
        `/api/rooms/${blockedPalRoom.roomId}/messages`,
        envelopeFor(blocked.account, blockedPalRoom),
      );
      await until(() => toStranger!.length === 1 && toBlocked!.length === 1);
      expect(toStranger!.map((m) => (m as { roomId: string }).roomId)).toEqual([palRoom.roomId]);
      expect(toBlocked!.map((m) => (m as { roomId: string }).roomId)).toEqual([blockedPalRoom.roomId]);
    } finally {
      sockets.forEach((s) => s.close());
    }
  });
});
