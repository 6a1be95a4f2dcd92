// Property-based fuzzing of every REST route, from a table that must cover the app's
// route table. Each route gets valid-shaped inputs (right shape, random values, real
// ids and mutated real protocol bytes) and hostile ones (wrong types, polluting keys,
// deep nesting, huge and malformed bodies, wrong content types, odd path segments,
// duplicate and junk query parameters). Properties: never a 5xx; every error has the
// API's shape and a sentence; a refused request changes nothing stored; the server
// answers its health check after each route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromBase64, MESSAGE_MIN_ENVELOPE_BYTES, newUuid, toBase64 } from '@onionchat/protocol';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { logIn, makeAccount } from '../../test-support/accounts.js';
import { befriend, envelopeFor, newUser, type Friendship, type User } from '../../test-support/social.js';
import { joining, makeGroup, TestGroup } from '../../test-support/groups.js';
import { storedState, type StoredState } from '../../test-support/state.js';
import { routeTable } from '../../test-support/surface.js';
import {
  base64Of,
  edgeNumber,
  edgeString,
  expectErrorShape,
  fuzzParams,
  hostileBody,
  hostileContentType,
  hostileSegment,
  hostileText,
  hostileValue,
  mutatedBase64,
} from '../../test-support/fuzz.js';

type Caller = 'anonymous' | 'owner' | 'fresh-session' | 'fresh-user';
type Query = Record<string, string | string[]>;

interface RouteFuzz {
  caller: Caller;
  /** Valid-shaped values for each path parameter. */
  params?: Record<string, fc.Arbitrary<string>>;
  query?: fc.Arbitrary<Query>;
  body?: fc.Arbitrary<Record<string, unknown>>;
  headers?: fc.Arbitrary<Record<string, string>>;
  /** The body is raw bytes (file content), not JSON. */
  bytes?: boolean;
}

interface Input {
  params: Record<string, string>;
  query: Query;
  headers: Record<string, string>;
  body?: { json: unknown } | { text: string; type: string } | { bytes: Uint8Array<ArrayBuffer>; type: string };
}

const VALID_RUNS = 12;
const HOSTILE_RUNS = 18;

let t: TestApp;
let state: StoredState;
let owner: User;
let friend: User;
let room: Friendship;
let group: TestGroup;
let uploading: string;
let ready: string;
let requestId: string;
let signupBody: Record<string, string>;
let serial = 0;

beforeAll(async () => {
  const many = '1000000';
  t = await startTestApp({
    RATE_API_PER_MINUTE: many,
    RATE_LOGIN_PER_ACCOUNT_PER_15_MIN: many,
    RATE_LOGIN_PER_CLIENT_PER_15_MIN: many,
    RATE_KDF_PER_MINUTE: many,
    RATE_FRIEND_REQUESTS_PER_HOUR: many,
    RATE_MESSAGES_PER_MINUTE: many,
    RATE_UPLOAD_REQUESTS_PER_MINUTE: many,
    RATE_NEW_FILES_PER_HOUR: many,
    MAX_OPEN_INVITES_PER_USER: many,
    AUTH_HASH_LOG_N: '10',
    AUTH_HASH_P: '1',
  });
  state = await storedState(t.dbUrl);
  [owner, friend] = [await newUser(t, 'owner'), await newUser(t, 'friend')];
  room = await befriend(owner, friend);
  await owner.client.post(`/api/rooms/${room.roomId}/messages`, envelopeFor(owner.account, room));
  const asker = await newUser(t, 'asker');
  requestId = (await asker.client.post<{ request: { id: string } }>('/api/friends/requests', { username: 'owner' }))
    .body.request.id;
  const file = (size: number) =>
    owner.client
      .post<{ file: { id: string } }>(`/api/rooms/${room.roomId}/files`, { size })
      .then((r) => r.body.file.id);
  [uploading, ready] = [await file(1 << 20), await file(32)];
  await fetch(`${t.baseUrl}/api/files/${ready}/content?offset=0`, {
    method: 'PUT',
    headers: { cookie: owner.client.cookie!, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(32),
  });
  signupBody = (await makeAccount('newcomer')).signupBody;
  group = await makeGroup(owner, [friend]);
});
afterAll(async () => {
  await state?.close();
  await t?.close();
});

const username = fc.oneof(
  fc.constantFrom('owner', 'friend', 'asker', 'nobody_here', 'OWNER', ' owner '),
  fc.stringMatching(/^[a-z0-9_]{1,24}$/),
  edgeString,
);
/** Real ids the owner may touch without ending the test's friendship, room or files. */
const someId = (...real: (() => string)[]) =>
  fc.oneof(
    fc.uuid(),
    fc.constantFrom(...real).map((f) => f()),
  );
const roomId = () => someId(() => room.roomId);
const seqText = fc.oneof(fc.nat().map(String), fc.constantFrom('0', '1', '-1', '1.5', '9007199254740993', 'NaN'));

/** Each field either as in `good` or replaced by the given arbitrary. */
function likeGood(good: Record<string, unknown>, alt: Record<string, fc.Arbitrary<unknown>>) {
  return fc.record(
    Object.fromEntries(
      Object.entries(good).map(([k, v]) => [k, alt[k] ? fc.oneof(fc.constant(v), alt[k]) : fc.constant(v)]),
    ),
  );
}

function signupShape() {
  const mutate = (k: string) => mutatedBase64(fromBase64(signupBody[k]!));
  return likeGood(signupBody, {
    username,
    kdfParams: mutate('kdfParams'),
    authKey: base64Of(0, 40),
    publicKeys: mutate('publicKeys'),
    keyBundle: mutate('keyBundle'),
  });
}

/** A disappearing time, or a try at one: absent, null, valid, passed, too far, malformed. */
const disappearsAtShape = fc.option(
  fc.oneof(
    fc.integer({ min: -2 * 86_400_000, max: 31 * 86_400_000 }).map((ms) => new Date(Date.now() + ms).toISOString()),
    fc.string({ maxLength: 40 }),
    edgeNumber,
    fc.constantFrom('2026-02-30T10:00:00Z', '9999-12-31T23:59:59Z', '', 'now'),
  ),
  { nil: undefined },
);

/** A message body, sometimes with a disappearing time. */
function messageShape() {
  return fc
    .tuple(envelopeShape(), fc.option(disappearsAtShape, { nil: null }))
    .map(([body, at]) => (at === null ? body : { ...body, disappearsAt: at }));
}

function envelopeShape() {
  return fc.oneof(
    fc.constant(null).map(() => envelopeFor(owner.account, room)),
    fc.constant(null).chain(() => {
      const good = envelopeFor(owner.account, room);
      return fc.record({
        clientId: fc.oneof(fc.constant(good.clientId), fc.uuid()),
        envelope: fc.oneof(
          mutatedBase64(fromBase64(good.envelope)),
          base64Of(MESSAGE_MIN_ENVELOPE_BYTES, MESSAGE_MIN_ENVELOPE_BYTES + 200),
        ),
      });
    }),
  );
}

/** The owner's receipt for the room (as sealed, mutated, or of another size). */
function receiptShape() {
  return fc.constant(null).chain(() => {
    const good = envelopeFor(owner.account, room, {
      type: 'receipt',
      delivered: { id: newUuid(), seq: 1 },
      read: null,
    }).envelope;
    return fc.record({
      envelope: fc.oneof(
        fc.constant(good),
        mutatedBase64(fromBase64(good)),
        base64Of(MESSAGE_MIN_ENVELOPE_BYTES - 10, MESSAGE_MIN_ENVELOPE_BYTES + 10),
        edgeString,
      ),
    });
  });
}

const wrappedKeys = fc.array(
  fc.record({
    memberId: fc.oneof(
      fc.uuid(),
      fc.constantFrom('owner', 'asker').map((n) => (n === 'owner' ? owner.account.id : newUuid())),
    ),
    record: base64Of(0, 300),
  }),
  { maxLength: 3 },
);

/** A new group of the owner and the friend: its create record (as made, or mutated) and keys. */
function groupCreateShape() {
  const fresh = new TestGroup();
  const record = fresh.record(owner.account, 'create', [joining(owner.account, 'admin'), joining(friend.account)]);
  const keys = fresh.wrap(1, owner.account, [owner.account, friend.account]);
  return likeGood({ record: toBase64(record), keys }, { record: mutatedBase64(record), keys: wrappedKeys });
}

/** The owner's rename of the test's group (mutated, or with keys it must not carry). */
function groupRecordShape() {
  const rename = group.record(owner.account, 'rename');
  return fc.record(
    { record: fc.oneof(fc.constant(toBase64(rename)), mutatedBase64(rename)), keys: wrappedKeys },
    { requiredKeys: ['record'] },
  );
}

const ROUTES: Record<string, RouteFuzz> = {
  'GET /api/health': { caller: 'anonymous' },
  'GET /api/config': { caller: 'anonymous' },
  'GET /api/session': { caller: 'anonymous' },
  'POST /api/auth/kdf': { caller: 'anonymous', body: fc.record({ username }) },
  'POST /api/auth/signup': { caller: 'anonymous', body: fc.constant(null).chain(signupShape) },
  'POST /api/auth/login': {
    caller: 'anonymous',
    body: fc.record({ username, authKey: fc.oneof(base64Of(32, 32), base64Of(0, 64)) }),
  },
  'POST /api/auth/logout': { caller: 'fresh-session' },
  'POST /api/auth/logout-all': { caller: 'fresh-user' },
  'GET /api/account': { caller: 'owner' },
  // A fresh account each run: a guessed key is refused, the real one would delete only that account.
  'DELETE /api/account': {
    caller: 'fresh-user',
    body: fc.record({ currentAuthKey: fc.oneof(base64Of(32, 32), base64Of(0, 64), edgeString) }),
  },
  'GET /api/account/bundle': { caller: 'owner' },
  'POST /api/account/bundle': {
    caller: 'owner',
    body: fc.record({
      keyBundle: fc.oneof(base64Of(0, 200), mutatedBase64(new Uint8Array(120))),
      replaces: base64Of(30, 34),
      signature: base64Of(62, 66),
    }),
  },
  'POST /api/account/keys': {
    caller: 'owner',
    // The owner's own record is the only one accepted (and changes nothing); anything else must leave it.
    body: fc.constant(null).chain(() =>
      fc.record({
        publicKeys: fc.oneof(
          fc.constant(owner.account.signupBody['publicKeys']!),
          mutatedBase64(fromBase64(owner.account.signupBody['publicKeys']!)),
          base64Of(0, 1400),
        ),
      }),
    ),
  },
  'POST /api/account/passphrase': {
    caller: 'owner',
    // Never the owner's real auth key: a success would end the test's other sessions.
    body: fc.constant(null).chain(() =>
      likeGood(
        {
          currentAuthKey: toBase64(new Uint8Array(32)),
          kdfParams: signupBody['kdfParams'],
          authKey: signupBody['authKey'],
          keyBundle: signupBody['keyBundle'],
        },
        {
          currentAuthKey: base64Of(0, 40),
          kdfParams: mutatedBase64(fromBase64(signupBody['kdfParams']!)),
          keyBundle: mutatedBase64(fromBase64(signupBody['keyBundle']!)),
        },
      ),
    ),
  },
  'GET /api/account/sessions': { caller: 'owner' },
  'DELETE /api/account/sessions/:id': { caller: 'owner', params: { id: fc.uuid() } },
  'GET /api/invites': { caller: 'owner' },
  'POST /api/invites': { caller: 'owner' },
  'DELETE /api/invites/:id': { caller: 'owner', params: { id: fc.uuid() } },
  'GET /api/friends': { caller: 'owner' },
  'POST /api/friends/requests': { caller: 'owner', body: fc.record({ username }) },
  'POST /api/friends/requests/:id/accept': {
    caller: 'owner',
    params: { id: someId(() => requestId) },
    body: fc.record({ roomId: fc.uuid(), wrappedKeys }),
  },
  'DELETE /api/friends/requests/:id': { caller: 'owner', params: { id: fc.uuid() } },
  // Not the friend's id: a success would end the test's friendship.
  'DELETE /api/friends/:userId': { caller: 'owner', params: { userId: fc.uuid() } },
  'POST /api/blocks': {
    caller: 'owner',
    body: fc.record({ username: username.filter((u) => u.trim().toLowerCase() !== 'friend') }),
  },
  'DELETE /api/blocks/:userId': { caller: 'owner', params: { userId: fc.uuid() } },
  'GET /api/rooms': { caller: 'owner' },
  'GET /api/rooms/:id/keys': { caller: 'owner', params: { id: roomId() } },
  'POST /api/rooms/:id/keys': {
    caller: 'owner',
    params: { id: roomId() },
    body: fc.record({ epoch: fc.oneof(fc.integer({ min: 0, max: 4 }), edgeNumber), keys: wrappedKeys }),
  },
  'GET /api/rooms/:id/messages': {
    caller: 'owner',
    params: { id: roomId() },
    query: fc.record({ after: seqText, before: seqText, limit: seqText }, { requiredKeys: [] }),
  },
  'POST /api/rooms/:id/messages': {
    caller: 'owner',
    params: { id: roomId() },
    body: messageShape(),
  },
  'DELETE /api/rooms/:id/messages/:messageId': {
    caller: 'owner',
    params: { id: roomId(), messageId: fc.uuid() },
  },
  'GET /api/rooms/:id/receipts': { caller: 'owner', params: { id: roomId() } },
  'PUT /api/rooms/:id/receipt': {
    caller: 'owner',
    params: { id: roomId() },
    body: receiptShape(),
  },
  'POST /api/rooms/:id/read': {
    caller: 'owner',
    params: { id: roomId() },
    body: fc.record({ seq: fc.oneof(fc.nat(), edgeNumber) }),
  },
  'POST /api/rooms/:id/delivered': {
    caller: 'owner',
    params: {
      id: someId(
        () => group.roomId,
        () => room.roomId,
      ),
    },
    body: fc.record({ seq: fc.oneof(fc.nat(), edgeNumber) }),
  },
  'POST /api/groups': { caller: 'owner', body: fc.constant(null).chain(groupCreateShape) },
  'GET /api/groups/:id/records': {
    caller: 'owner',
    params: {
      id: someId(
        () => group.roomId,
        () => room.roomId,
      ),
    },
    query: fc.record({ after: seqText }, { requiredKeys: [] }),
  },
  'POST /api/groups/:id/records': {
    caller: 'owner',
    params: { id: someId(() => group.roomId) },
    body: fc.constant(null).chain(groupRecordShape),
  },
  'GET /api/rooms/:id/files': { caller: 'owner', params: { id: roomId() } },
  'POST /api/rooms/:id/files': {
    caller: 'owner',
    params: { id: roomId() },
    body: fc.record(
      { size: fc.oneof(fc.integer({ min: 0, max: 4096 }), edgeNumber), disappearsAt: disappearsAtShape },
      { requiredKeys: ['size'] },
    ),
  },
  'GET /api/files/:fileId': {
    caller: 'owner',
    params: {
      fileId: someId(
        () => uploading,
        () => ready,
      ),
    },
  },
  'GET /api/files/:fileId/content': {
    caller: 'owner',
    params: {
      fileId: someId(
        () => uploading,
        () => ready,
      ),
    },
    headers: fc.record(
      {
        range: fc.oneof(
          fc.tuple(fc.nat(64), fc.nat(64)).map(([a, b]) => `bytes=${a}-${b}`),
          fc.constantFrom(
            'bytes=-1',
            'bytes=5-',
            'bytes=-0',
            'bytes=99999999999999999999-',
            'items=0-1',
            'bytes=0-0,1-1',
          ),
          edgeString.filter((s) => /^[\x20-\x7e]*$/.test(s)),
        ),
      },
      { requiredKeys: [] },
    ),
  },
  'PUT /api/files/:fileId/content': {
    caller: 'owner',
    params: {
      fileId: someId(
        () => uploading,
        () => ready,
      ),
    },
    query: fc.record({ offset: fc.oneof(fc.constant('0'), seqText) }),
    bytes: true,
  },
  // Not the test's files: a success would delete them.
  'DELETE /api/files/:fileId': { caller: 'owner', params: { fileId: fc.uuid() } },
};

function paramsOf(route: string): string[] {
  return [...route.matchAll(/:(\w+)/g)].map((m) => m[1]!);
}

function validInput(route: string, spec: RouteFuzz): fc.Arbitrary<Input> {
  return fc.record({
    params: fc.record(Object.fromEntries(paramsOf(route).map((p) => [p, spec.params?.[p] ?? fc.uuid()]))),
    query: spec.query ?? fc.constant({}),
    headers: spec.headers ?? fc.constant({}),
    body: spec.bytes
      ? fc.uint8Array({ maxLength: 512 }).map((b) => ({ bytes: new Uint8Array(b), type: 'application/octet-stream' }))
      : spec.body
        ? spec.body.map((json) => ({ json }))
        : fc.constant(undefined),
  });
}

const hostileQuery = fc.dictionary(
  fc.constantFrom('after', 'before', 'limit', 'offset', '__proto__', 'constructor', 'after[]', 'x'),
  fc.oneof(edgeString, fc.array(fc.nat().map(String), { minLength: 2, maxLength: 3 }), edgeNumber.map(String)),
  { maxKeys: 3 },
);

function hostileInput(route: string, spec: RouteFuzz): fc.Arbitrary<Input> {
  const good = validInput(route, spec);
  return good.chain((base) =>
    fc.record({
      params: fc.record(
        Object.fromEntries(Object.entries(base.params).map(([k, v]) => [k, fc.oneof(fc.constant(v), hostileSegment)])),
      ),
      query: fc.oneof(fc.constant(base.query), hostileQuery),
      headers: fc.constant(base.headers),
      body: fc.oneof(
        fc.constant(base.body),
        hostileBody(base.body && 'json' in base.body ? (base.body.json as Record<string, unknown>) : {}).map(
          (json) => ({ json }),
        ),
        fc.record({ text: hostileText, type: hostileContentType }),
        fc.record({ text: fc.json(), type: hostileContentType }),
        hostileValue.map((json) => ({ json })),
      ),
    }),
  );
}

async function callerCookie(caller: Caller): Promise<string | undefined> {
  if (caller === 'anonymous') return undefined;
  if (caller === 'owner') return owner.client.cookie;
  if (caller === 'fresh-session') {
    const client = t.client();
    await logIn(client, owner.account);
    return client.cookie;
  }
  return (await newUser(t, `thrower_${++serial}`)).client.cookie;
}

function urlOf(route: string, input: Input): string {
  const [, pattern] = route.split(' ') as [string, string];
  const path = pattern.replace(/:(\w+)/g, (_, name: string) => input.params[name]!);
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(input.query)) for (const one of [v].flat()) query.append(k, one);
  const qs = query.toString();
  return `${t.baseUrl}${path}${qs ? `?${qs}` : ''}`;
}

async function send(route: string, input: Input, cookie: string | undefined) {
  const method = route.split(' ')[0]!;
  const headers: Record<string, string> = { ...input.headers, ...(cookie ? { cookie } : {}) };
  let body: BodyInit | undefined;
  // fetch cannot send a GET body; the server ignores one anyway.
  if (method === 'GET') body = undefined;
  else if (input.body && 'json' in input.body) {
    const text = JSON.stringify(input.body.json);
    if (text !== undefined) [headers['content-type'], body] = ['application/json', text];
  } else if (input.body && 'text' in input.body) {
    [headers['content-type'], body] = [input.body.type, input.body.text];
  } else if (input.body) {
    [headers['content-type'], body] = [input.body.type, input.body.bytes];
  }
  const res = await fetch(urlOf(route, input), { method, headers, body });
  const isJson = res.headers.get('content-type')?.startsWith('application/json');
  return { status: res.status, body: isJson ? ((await res.json()) as unknown) : (await res.arrayBuffer(), null) };
}

async function probe(route: string, spec: RouteFuzz, input: Input): Promise<void> {
  const cookie = await callerCookie(spec.caller);
  const before = await state.snapshot();
  const res = await send(route, input, cookie);
  const label = `${route} ${urlOf(route, input)} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
  expect(res.status, label).toBeLessThan(500);
  if (res.status < 400) return;
  expectErrorShape(res.status, res.body, label);
  expect(await state.snapshot(), `refused, yet stored state changed: ${label}`).toEqual(before);
}

describe('REST fuzzing', () => {
  it('has a fuzz entry for every route the app serves', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(routeTable(t.app).sort());
  });

  for (const [route, spec] of Object.entries(ROUTES)) {
    it(`${route}: valid-shaped and hostile inputs`, async () => {
      await fc.assert(
        fc.asyncProperty(validInput(route, spec), (input) => probe(route, spec, input)),
        fuzzParams(VALID_RUNS),
      );
      await fc.assert(
        fc.asyncProperty(hostileInput(route, spec), (input) => probe(route, spec, input)),
        fuzzParams(HOSTILE_RUNS),
      );
      expect((await t.client().get('/api/health')).body).toEqual({ status: 'ok' });
    });
  }

  it('answers a request for several disjoint ranges with the whole file, not a mislabelled part', async () => {
    const res = await fetch(`${t.baseUrl}/api/files/${ready}/content`, {
      headers: { cookie: owner.client.cookie!, range: 'bytes=0-0,5-5' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toBeNull();
    expect((await res.arrayBuffer()).byteLength).toBe(32);
  });

  it('refuses file content sent as JSON with 415, keeping the upload as it was', async () => {
    const before = await owner.client.get<{ file: { received: number } }>(`/api/files/${uploading}`);
    const res = await fetch(`${t.baseUrl}/api/files/${uploading}/content?offset=${before.body.file.received}`, {
      method: 'PUT',
      headers: { cookie: owner.client.cookie!, 'content-type': 'application/json' },
      body: JSON.stringify({ bytes: 'AAAA' }),
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { message: string }).message).toMatch(/application\/octet-stream/);
    const after = await owner.client.get<{ file: { received: number } }>(`/api/files/${uploading}`);
    expect(after.body).toEqual(before.body);
  });
});
