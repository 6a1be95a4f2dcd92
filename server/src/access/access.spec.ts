// Walks every conversation-scoped endpoint and event as an outsider, a blocked user and
// anonymous caller, then as a member. Outsiders get exactly what a missing room gets,
// and nothing changes. The route list is read from the running app, so a new route
// under /api/rooms/:id cannot escape this test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../test-support/app.js';
import {
  befriend,
  connectSocket,
  emitWithAck,
  envelopeFor,
  newUser,
  type Friendship,
  type User,
} from '../../test-support/social.js';

let t: TestApp;
let owner: User;
let friend: User;
let stranger: User;
let blocked: User;
let room: Friendship;

beforeAll(async () => {
  t = await startTestApp();
  const user = (name: string) => newUser(t, name);
  [owner, friend, stranger, blocked] = [
    await user('owner'),
    await user('friend'),
    await user('stranger'),
    await user('blocked'),
  ];
  room = await befriend(owner, friend);
  await befriend(owner, blocked);
  await owner.client.post('/api/blocks', { username: 'blocked' });
  await owner.client.post(`/api/rooms/${room.roomId}/messages`, envelopeFor(owner.account, room));
});
afterAll(() => t.close());

interface Probe {
  method: string;
  path: (roomId: string) => string;
  body?: (as: User) => unknown;
}

const ROOM_PROBES: Probe[] = [
  { method: 'GET', path: (id) => `/api/rooms/${id}/keys` },
  { method: 'GET', path: (id) => `/api/rooms/${id}/messages?after=0` },
  { method: 'POST', path: (id) => `/api/rooms/${id}/messages`, body: (as) => envelopeFor(as.account, room) },
  { method: 'POST', path: (id) => `/api/rooms/${id}/read`, body: () => ({ seq: 1 }) },
  { method: 'GET', path: (id) => `/api/rooms/${id}/files` },
  { method: 'POST', path: (id) => `/api/rooms/${id}/files`, body: () => ({ size: 100 }) },
];

/** File routes, probed with a file of the room (its id stands where the room id would). */
const FILE_PROBES: Probe[] = [
  { method: 'GET', path: (id) => `/api/files/${id}` },
  { method: 'GET', path: (id) => `/api/files/${id}/content` },
  { method: 'PUT', path: (id) => `/api/files/${id}/content?offset=0` },
  { method: 'DELETE', path: (id) => `/api/files/${id}` },
];

function routeTable(): string[] {
  const server = t.app.getHttpAdapter().getInstance() as {
    router?: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return (server.router?.stack ?? [])
    .filter((layer) => layer.route)
    .flatMap((layer) => Object.keys(layer.route!.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`));
}

const call = (client: TestClient, probe: Probe, as: User | null, roomId: string) =>
  client.request(probe.method, probe.path(roomId), probe.body && as ? probe.body(as) : probe.body?.(owner));

async function snapshot() {
  const page = await owner.client.get<{ messages: unknown[] }>(`/api/rooms/${room.roomId}/messages`);
  const rooms = await owner.client.get<{ rooms: { id: string; lastReadSeq: number }[] }>('/api/rooms');
  return { messages: page.body.messages, rooms: rooms.body.rooms };
}

describe('conversation access', () => {
  it('covers every room- and file-scoped route the app serves', () => {
    const scoped = routeTable().filter((r) => r.includes('/api/rooms/:id') || r.includes('/api/files/'));
    const probed = [
      ...ROOM_PROBES.map((p) => `${p.method} ${p.path(':id').replace(/\?.*/, '')}`),
      ...FILE_PROBES.map((p) => `${p.method} ${p.path(':fileId').replace(/\?.*/, '')}`),
    ];
    expect(scoped.sort()).toEqual(probed.sort());
  });

  it("answers outsiders about a room's file exactly like a missing file", async () => {
    const created = await owner.client.post<{ file: { id: string } }>(`/api/rooms/${room.roomId}/files`, { size: 100 });
    const missing = '00000000-0000-4000-8000-000000000002';
    for (const probe of FILE_PROBES) {
      const asMissing = await owner.client.request(probe.method, probe.path(missing));
      for (const outsider of [stranger, blocked]) {
        const res = await outsider.client.request(probe.method, probe.path(created.body.file.id));
        expect(res.status, `${probe.method} ${probe.path(':fileId')} as ${outsider.account.username}`).toBe(404);
        expect(res.body).toEqual(asMissing.body);
      }
      expect((await t.client().request(probe.method, probe.path(created.body.file.id))).status).toBe(401);
    }
    expect((await owner.client.get<{ file: { id: string } }>(`/api/files/${created.body.file.id}`)).status).toBe(200);
  });

  it('answers strangers and blocked users exactly like a missing room, and changes nothing', async () => {
    const before = await snapshot();
    const missing = '00000000-0000-4000-8000-000000000001';
    for (const probe of ROOM_PROBES) {
      const asMissing = await call(owner.client, probe, owner, missing);
      for (const outsider of [stranger, blocked]) {
        const res = await call(outsider.client, probe, outsider, room.roomId);
        expect(res.status, `${probe.method} ${probe.path(':id')} as ${outsider.account.username}`).toBe(404);
        expect(res.body).toEqual(asMissing.body);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers anonymous callers 401', async () => {
    for (const probe of ROOM_PROBES) {
      const res = await call(t.client(), probe, null, room.roomId);
      expect(res.status, `${probe.method} ${probe.path(':id')}`).toBe(401);
    }
  });

  it('refuses the message:send event from outsiders, and delivers nothing to them', async () => {
    const strangerSocket = await connectSocket(t.baseUrl, stranger.client);
    const delivered: unknown[] = [];
    strangerSocket.on('message:new', (m) => delivered.push(m));
    const ack = await emitWithAck(strangerSocket, 'message:send', {
      roomId: room.roomId,
      ...envelopeFor(stranger.account, room),
    });
    expect(ack).toMatchObject({ ok: false, status: 404, code: 'not_found' });
    await owner.client.post(`/api/rooms/${room.roomId}/messages`, envelopeFor(owner.account, room));
    await new Promise((r) => setTimeout(r, 300));
    expect(delivered).toEqual([]);
    strangerSocket.close();
  });

  it('lets members do all of it', async () => {
    for (const probe of ROOM_PROBES) {
      const res = await call(friend.client, probe, friend, room.roomId);
      expect(res.status, `${probe.method} ${probe.path(':id')}`).toBeLessThan(300);
    }
  });

  it("does not let anyone touch another pair's friend requests or friendships", async () => {
    const request = await stranger.client.post<{ request: { id: string } }>('/api/friends/requests', {
      username: 'friend',
    });
    for (const [method, path] of [
      ['DELETE', `/api/friends/requests/${request.body.request.id}`],
      ['DELETE', `/api/friends/${friend.account.id}`],
    ] as const) {
      expect((await blocked.client.request(method, path)).status, `${method} ${path}`).toBe(404);
    }
    expect((await friend.client.get<{ incoming: unknown[] }>('/api/friends')).body.incoming).toHaveLength(1);
  });
});
