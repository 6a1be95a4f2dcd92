// Per-user abuse limits on uploads, WebSocket sends and WebSocket connections, each hit
// with a small configured value: a clear error, and nothing changes for the refused call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { startTestApp, type TestApp, type TestClient } from '../../test-support/app.js';
import { logIn, signUp } from '../../test-support/accounts.js';
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
beforeAll(async () => {
  t = await startTestApp({
    RATE_UPLOAD_REQUESTS_PER_MINUTE: '3',
    RATE_NEW_FILES_PER_HOUR: '2',
    RATE_MESSAGES_PER_MINUTE: '3',
    WS_CONNECTIONS_PER_USER: '2',
  });
});
afterAll(() => t.close());

async function pair(a: string, b: string): Promise<[User, User, Friendship]> {
  const [ua, ub] = [await newUser(t, a), await newUser(t, b)];
  return [ua, ub, await befriend(ua, ub)];
}

function putBytes(client: TestClient, fileId: string, offset: number, bytes: Uint8Array<ArrayBuffer>) {
  return fetch(`${t.baseUrl}/api/files/${fileId}/content?offset=${offset}`, {
    method: 'PUT',
    headers: { cookie: client.cookie ?? '', 'content-type': 'application/octet-stream' },
    body: bytes,
  });
}

async function newFile(u: User, room: Friendship, size: number): Promise<string> {
  const res = await u.client.post<{ file: { id: string } }>(`/api/rooms/${room.roomId}/files`, { size });
  expect(res.status).toBe(201);
  return res.body.file.id;
}

describe('upload requests per user (RATE_UPLOAD_REQUESTS_PER_MINUTE)', () => {
  it('answers 429 with Retry-After once spent, storing nothing of the refused request', async () => {
    const [uma, vic, room] = await pair('upload_uma', 'upload_vic');
    const fileId = await newFile(uma, room, 64);
    const piece = new Uint8Array(16).fill(7);
    for (let i = 0; i < 3; i++) expect((await putBytes(uma.client, fileId, i * 16, piece)).status).toBe(200);
    const refused = await putBytes(uma.client, fileId, 48, piece);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/^You are uploading too fast\. Try again in \d+ s\.$/),
    });
    const info = await uma.client.get<{ file: { received: number; status: string } }>(`/api/files/${fileId}`);
    expect(info.body.file).toMatchObject({ received: 48, status: 'uploading' });
    // The budget is the uploader's own: the other member uploads freely.
    const theirs = await newFile(vic, room, 16);
    expect((await putBytes(vic.client, theirs, 0, piece)).status).toBe(200);
  });

  it('counts every session of the user together', async () => {
    const [wes, , room] = await pair('upload_wes', 'upload_xia');
    const second = t.client();
    await logIn(second, wes.account);
    const fileId = await newFile(wes, room, 80);
    const piece = new Uint8Array(16);
    for (let i = 0; i < 3; i++) {
      const client = i % 2 ? second : wes.client;
      expect((await putBytes(client, fileId, i * 16, piece)).status).toBe(200);
    }
    expect((await putBytes(second, fileId, 48, piece)).status).toBe(429);
  });
});

describe('new files per user (RATE_NEW_FILES_PER_HOUR)', () => {
  it('answers 429 once spent and creates no file', async () => {
    const [ida, , room] = await pair('files_ida', 'files_jan');
    await newFile(ida, room, 16);
    await newFile(ida, room, 16);
    const refused = await ida.client.post(`/api/rooms/${room.roomId}/files`, { size: 16 });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body['message']).toMatch(/^You are starting too many file uploads\. Try again in \d+ s\.$/);
    const list = await ida.client.get<{ files: unknown[] }>(`/api/rooms/${room.roomId}/files`);
    expect(list.body.files).toHaveLength(2);
  });
});

describe('messages sent over the WebSocket (RATE_MESSAGES_PER_MINUTE)', () => {
  it('acknowledges the send over the limit with a 429 error and stores nothing', async () => {
    const [yan, zoe, room] = await pair('ws_yan', 'ws_zoe');
    const socket = await connectSocket(t.baseUrl, yan.client);
    try {
      for (let i = 0; i < 3; i++) {
        const ack = await emitWithAck(socket, 'message:send', {
          roomId: room.roomId,
          ...envelopeFor(yan.account, room),
        });
        expect(ack).toMatchObject({ ok: true });
      }
      const refused = await emitWithAck(socket, 'message:send', {
        roomId: room.roomId,
        ...envelopeFor(yan.account, room),
      });
      expect(refused).toMatchObject({
        ok: false,
        status: 429,
        code: 'rate_limited',
        message: expect.stringMatching(/^You are sending messages too fast\. Try again in \d+ s\.$/),
      });
      const page = await zoe.client.get<{ messages: unknown[] }>(`/api/rooms/${room.roomId}/messages`);
      expect(page.body.messages).toHaveLength(3);
    } finally {
      socket.close();
    }
  });
});

describe('WebSocket events per session (RATE_API_PER_MINUTE)', () => {
  it('answers events over the budget with a 429 ack, before any other work', async () => {
    const own = await startTestApp({ RATE_API_PER_MINUTE: '8' });
    try {
      const client = own.client();
      await signUp(client, 'ws_flood');
      const socket = await connectSocket(own.baseUrl, client);
      try {
        const junk = { roomId: 'not-a-room' };
        for (let i = 0; i < 8; i++)
          expect(await emitWithAck(socket, 'message:send', junk)).toMatchObject({ ok: false, status: 400 });
        expect(await emitWithAck(socket, 'message:send', junk)).toMatchObject({
          ok: false,
          status: 429,
          code: 'rate_limited',
          message: expect.stringMatching(/^Too many requests\. Try again in \d+ s\.$/),
        });
      } finally {
        socket.close();
      }
    } finally {
      await own.close();
    }
  });
});

describe('friend requests per user (RATE_FRIEND_REQUESTS_PER_HOUR)', () => {
  it('counts requests to names nobody has, so the budget also bounds probing for accounts', async () => {
    const own = await startTestApp({ RATE_FRIEND_REQUESTS_PER_HOUR: '3' });
    try {
      const prober = await newUser(own, 'prober');
      await newUser(own, 'real_one');
      const statuses: number[] = [];
      for (const name of ['ghost_a', 'ghost_b', 'ghost_c', 'real_one'])
        statuses.push((await prober.client.post('/api/friends/requests', { username: name })).status);
      expect(statuses).toEqual([404, 404, 404, 429]);
    } finally {
      await own.close();
    }
  });
});

describe('WebSocket connections per user (WS_CONNECTIONS_PER_USER)', () => {
  function refusal(client: TestClient): Promise<Error & { data?: { message?: string } }> {
    return connectSocket(t.baseUrl, client).then(
      (socket) => {
        socket.close();
        throw new Error('the connection over the limit was accepted');
      },
      (err: Error & { data?: { message?: string } }) => err,
    );
  }

  it('refuses a connection over the limit with a clear connect_error, across sessions', async () => {
    const ada = await newUser(t, 'conn_ada');
    const other = t.client();
    await logIn(other, ada.account);
    const open: Socket[] = [await connectSocket(t.baseUrl, ada.client), await connectSocket(t.baseUrl, other)];
    try {
      const err = await refusal(ada.client);
      expect(err.message).toBe('too_many_connections');
      expect(err.data?.message).toBe(
        'This account already has 2 live connections open. Close other tabs or log out sessions you no longer use.',
      );
      // Another user is not affected.
      const bea = await newUser(t, 'conn_bea');
      const theirs = await connectSocket(t.baseUrl, bea.client);
      open.push(theirs);
      expect(theirs.connected).toBe(true);
    } finally {
      open.forEach((s) => s.close());
    }
  });

  it('admits a new connection once one closes', async () => {
    const cid = await newUser(t, 'conn_cid');
    const first = await connectSocket(t.baseUrl, cid.client);
    const second = await connectSocket(t.baseUrl, cid.client);
    await refusal(cid.client);
    const closed = new Promise((resolve) => second.once('disconnect', resolve));
    second.close();
    await closed;
    // The server notices the close asynchronously: retry a few times, bounded.
    let third: Socket | undefined;
    for (let attempt = 0; attempt < 20 && !third; attempt++) {
      third = await connectSocket(t.baseUrl, cid.client).catch(async () => {
        await new Promise((r) => setTimeout(r, 50));
        return undefined;
      });
    }
    expect(third?.connected).toBe(true);
    first.close();
    third?.close();
  });
});
