// The server keeps the wire contract (contract/src): every JSON answer and every socket
// event it sends, driven through the real app, decodes with the contract's schema and
// loses nothing in the decode (no field the contract does not name, none missing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod/mini';
import {
  SESSION_LOST_CODES,
  answers,
  events,
  friendsList,
  room as roomSchema,
  serverMessage,
  type Answer,
} from '@onionchat/contract';
import { newRoomKey, toBase64, wrapRoomKeyHybrid } from '@onionchat/protocol';
import { startTestApp, type TestApp } from '../test-support/app.js';
import { makeAccount, signUp } from '../test-support/accounts.js';
import { joining, makeGroup, postRecord, TestGroup } from '../test-support/groups.js';
import { rawRequest } from '../test-support/raw-http.js';
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
} from '../test-support/social.js';

let t: TestApp;
let ann: User;
let ben: User;
let room: Friendship;

beforeAll(async () => {
  t = await startTestApp();
  [ann, ben] = [await newUser(t, 'wire_ann'), await newUser(t, 'wire_ben')];
  room = await befriend(ann, ben);
});
afterAll(() => t.close());

/** The body decodes with `schema`, and the decoded value is all of it (zod drops unknown keys). */
function exactly<S extends z.ZodMiniType>(schema: S, body: unknown, what: string): z.infer<S> {
  const decoded = schema.safeParse(body);
  expect(decoded.error, `${what}: ${JSON.stringify(body)}`).toBeUndefined();
  expect(decoded.data, `${what} carries fields the contract does not name`).toEqual(body);
  return decoded.data as z.infer<S>;
}

async function answer<K extends keyof typeof answers>(
  key: K,
  call: Promise<{ status: number; body: unknown }>,
  status: number,
): Promise<Answer<K>> {
  const res = await call;
  expect(res.status, `${key}: ${JSON.stringify(res.body)}`).toBe(status);
  return exactly(answers[key], res.body, key) as Answer<K>;
}

describe('HTTP answers', () => {
  it('config, health and the auth answers', async () => {
    await answer('config', t.client().get('/api/config'), 200);
    await answer('health', t.client().get('/api/health'), 200);
    await answer('kdf', t.client().post('/api/auth/kdf', { username: 'wire_ann' }), 200);
    const account = await makeAccount('wire_cat');
    const client = t.client();
    await answer('signup', client.post('/api/auth/signup', account.signupBody), 201);
    const login = { username: 'wire_cat', authKey: toBase64(account.authKey) };
    await answer('login', t.client().post('/api/auth/login', login), 200);
    const error = await t.client().post('/api/auth/login', { ...login, authKey: toBase64(new Uint8Array(32)) });
    expect(error.status).toBe(401);
    exactly(answers.error, error.body, 'error');
  });

  it('the account answers', async () => {
    const client = t.client();
    const account = await signUp(client, 'wire_dan');
    await answer('account', client.get('/api/account'), 200);
    await answer('bundle', client.get('/api/account/bundle'), 200);
    const keys = { publicKeys: account.signupBody['publicKeys'] };
    await answer('publishKeys', client.post('/api/account/keys', keys), 200);
    const sessions = await answer('sessions', client.get('/api/account/sessions'), 200);
    expect(sessions.sessions.filter((s) => s.current)).toHaveLength(1);
    const change = {
      currentAuthKey: toBase64(account.authKey),
      kdfParams: account.signupBody['kdfParams'],
      authKey: toBase64(randomBytes(32)),
      keyBundle: account.signupBody['keyBundle'],
    };
    await answer('changePassphrase', client.post('/api/account/passphrase', change), 200);
  });

  it('the invite answers (a used invite is deleted, so it leaves the list)', async () => {
    const created = await answer('createInvite', ann.client.post('/api/invites'), 201);
    const own = await startTestApp({ REGISTRATION: 'invite' }, t.dbUrl);
    try {
      const newcomer = await makeAccount('wire_eve');
      const signup = { ...newcomer.signupBody, inviteToken: created.token };
      expect((await own.client().post('/api/auth/signup', signup)).status).toBe(201);
    } finally {
      await own.closeAppOnly();
    }
    await answer('createInvite', ann.client.post('/api/invites'), 201);
    const list = await answer('invites', ann.client.get('/api/invites'), 200);
    expect(list.invites.map((i) => i.usedAt === null)).toEqual([true]);
  });

  it('the friends and rooms answers', async () => {
    const [cy, di] = [await newUser(t, 'wire_cy'), await newUser(t, 'wire_di')];
    await answer('requestFriend', cy.client.post('/api/friends/requests', { username: 'wire_ann' }), 201);
    await ann.client.post('/api/friends/requests', { username: 'wire_di' });
    await ann.client.post('/api/blocks', { username: 'wire_cy' });
    const incoming = await cy.client.post<{ request: { id: string } }>('/api/friends/requests', {
      username: 'wire_di',
    });
    const accept = acceptBody(di, cy).body;
    await answer(
      'acceptFriend',
      di.client.post(`/api/friends/requests/${incoming.body.request.id}/accept`, accept),
      201,
    );
    const overview = await answer('friends', ann.client.get('/api/friends'), 200);
    expect(overview.friends.length).toBeGreaterThan(0);
    expect(overview.outgoing.length).toBeGreaterThan(0);
    expect(overview.blocked.length).toBeGreaterThan(0);
    exactly(friendsList, (await di.client.get('/api/friends')).body, 'friends');
    const rooms = await answer('rooms', ann.client.get('/api/rooms'), 200);
    for (const item of rooms.rooms) exactly(roomSchema, item, 'room');
    await answer('roomKeys', ann.client.get(`/api/rooms/${room.roomId}/keys`), 200);
  });

  it('the message answers', async () => {
    const sent = await answer(
      'sendMessage',
      ann.client.post(`/api/rooms/${room.roomId}/messages`, envelopeFor(ann.account, room)),
      201,
    );
    expect(sent.duplicate).toBe(false);
    const page = await answer('messagePage', ben.client.get(`/api/rooms/${room.roomId}/messages?after=0`), 200);
    for (const item of page.messages) exactly(serverMessage, item, 'message');
    await answer('markRead', ben.client.post(`/api/rooms/${room.roomId}/read`, { seq: 1 }), 200);
  });

  it('the group answers', async () => {
    const group = new TestGroup();
    const record = group.record(ann.account, 'create', [joining(ann.account, 'admin'), joining(ben.account)]);
    const keys = group.wrap(1, ann.account, [ann.account, ben.account]);
    const body = { record: toBase64(record), keys };
    const created = await answer('createGroup', ann.client.post('/api/groups', body), 201);
    exactly(roomSchema, created.room, 'room');
    group.accept(record);
    const rename = group.record(ann.account, 'rename');
    const url = `/api/groups/${group.roomId}/records`;
    await answer('appendGroupRecord', ann.client.post(url, { record: toBase64(rename) }), 201);
    const records = await answer('groupRecords', ben.client.get(url), 200);
    expect(records.records.map((r) => r.index)).toEqual([0, 1]);
    const mark = await answer(
      'markDelivered',
      ben.client.post(`/api/rooms/${group.roomId}/delivered`, { seq: 1 }),
      200,
    );
    expect(mark).toEqual({ deliveredSeq: 0 });
    const rooms = await answer('rooms', ben.client.get('/api/rooms'), 200);
    const listed = rooms.rooms.map((r) => exactly(roomSchema, r, 'room')).find((r) => r.id === group.roomId);
    expect(listed?.delivered).toHaveLength(2);
  });

  it('the file answers', async () => {
    const bytes = randomBytes(100);
    const created = await answer('createFile', ann.client.post(`/api/rooms/${room.roomId}/files`, { size: 100 }), 201);
    expect(created.file.expiresAt).not.toBeNull();
    const put = await rawRequest(
      t.baseUrl,
      ann.client.cookie,
      'PUT',
      `/api/files/${created.file.id}/content?offset=0`,
      bytes,
      { 'content-type': 'application/octet-stream' },
    );
    expect(put.status).toBe(200);
    const uploaded = exactly(answers.uploadFile, JSON.parse(put.body.toString()), 'uploadFile');
    expect(uploaded.file).toMatchObject({ status: 'ready', expiresAt: null });
    await answer('fileInfo', ben.client.get(`/api/files/${created.file.id}`), 200);
    await answer('roomFiles', ben.client.get(`/api/rooms/${room.roomId}/files`), 200);
  });
});

describe('socket events', () => {
  it('message:new, room:read, friends:changed, file:ready and the send acknowledgement', async () => {
    const socket = await connectSocket(t.baseUrl, ben.client);
    try {
      const fresh = collect(socket, 'message:new');
      const read = collect(socket, 'room:read');
      const changed = collect(socket, 'friends:changed');
      const ready = collect(socket, 'file:ready');
      const ack = await emitWithAck(socket, 'message:send', { roomId: room.roomId, ...envelopeFor(ben.account, room) });
      const sent = exactly(events.sendAck, ack, 'ack');
      expect(sent.ok).toBe(true);
      exactly(serverMessage, (ack as { message: unknown }).message, 'ack message');
      const refused = await emitWithAck(socket, 'message:send', { roomId: room.roomId });
      expect(exactly(events.sendAck, refused, 'refusal').ok).toBe(false);
      // The sending socket has its own message in the acknowledgement; message:new comes from the other member.
      await ann.client.post(`/api/rooms/${room.roomId}/messages`, envelopeFor(ann.account, room));
      await ben.client.post(`/api/rooms/${room.roomId}/read`, { seq: 1 });
      await newUser(t, 'wire_fay').then((fay) => fay.client.post('/api/friends/requests', { username: 'wire_ben' }));
      const file = await ann.client.post<{ file: { id: string } }>(`/api/rooms/${room.roomId}/files`, { size: 16 });
      await rawRequest(
        t.baseUrl,
        ann.client.cookie,
        'PUT',
        `/api/files/${file.body.file.id}/content?offset=0`,
        randomBytes(16),
        {
          'content-type': 'application/octet-stream',
        },
      );
      await until(() => fresh.length === 1 && read.length === 1 && changed.length === 1 && ready.length === 1);
      exactly(events.messageNew, fresh[0], 'message:new');
      exactly(events.roomRead, read[0], 'room:read');
      expect(changed[0]).toEqual({});
      exactly(events.fileReady, ready[0], 'file:ready');
    } finally {
      socket.close();
    }
  });

  it('room:key and the startEpoch answer', async () => {
    const [gus, hal] = [await newUser(t, 'wire_gus'), await newUser(t, 'wire_hal')];
    const friendship = await befriend(gus, hal);
    const socket = await connectSocket(t.baseUrl, hal.client);
    try {
      const started = collect(socket, 'room:key');
      const roomKey = newRoomKey();
      const keys = [gus.account, hal.account].map((member) => ({
        memberId: member.id,
        record: toBase64(
          wrapRoomKeyHybrid(
            roomKey,
            { roomId: friendship.roomId, epoch: 2, memberId: member.id, wrapperId: gus.account.id },
            gus.account.identity,
            { boxPublicKey: member.identity.boxPublicKey, kemPublicKey: member.identity.kem!.publicKey },
          ),
        ),
      }));
      const body = { epoch: 2, keys };
      await answer('startEpoch', gus.client.post(`/api/rooms/${friendship.roomId}/keys`, body), 201);
      await until(() => started.length === 1);
      expect(exactly(events.roomKey, started[0], 'room:key')).toEqual({ roomId: friendship.roomId, epoch: 2 });
      const taken = await gus.client.post(`/api/rooms/${friendship.roomId}/keys`, body);
      expect(taken.status).toBe(409);
      exactly(answers.error, taken.body, 'error');
    } finally {
      socket.close();
    }
  });

  it('group:changed', async () => {
    const group = await makeGroup(ann, [ben]);
    const socket = await connectSocket(t.baseUrl, ben.client);
    try {
      const changed = collect(socket, 'group:changed');
      expect((await postRecord(ann, group, group.record(ann.account, 'rename'))).status).toBe(201);
      await until(() => changed.length === 1);
      expect(exactly(events.groupChanged, changed[0], 'group:changed')).toEqual({ roomId: group.roomId, index: 1 });
    } finally {
      socket.close();
    }
  });

  it('room:delivered', async () => {
    const group = await makeGroup(ann, [ben]);
    const socket = await connectSocket(t.baseUrl, ben.client);
    try {
      const delivered = collect(socket, 'room:delivered');
      const message = await ann.client.post(`/api/rooms/${group.roomId}/messages`, group.message(ann.account));
      expect(message.status).toBe(201);
      await answer('markDelivered', ann.client.post(`/api/rooms/${group.roomId}/delivered`, { seq: 1 }), 200);
      await until(() => delivered.length === 1);
      expect(exactly(events.roomDelivered, delivered[0], 'room:delivered')).toEqual({
        roomId: group.roomId,
        userId: ann.account.id,
        deliveredSeq: 1,
      });
    } finally {
      socket.close();
    }
  });

  it('refuses a handshake without a session with a code the contract lists', async () => {
    const error = await connectSocket(t.baseUrl, t.client()).catch((err: Error) => err);
    expect(SESSION_LOST_CODES).toContain((error as Error).message);
  });
});
