// The configurable limits not covered elsewhere: key bundle size, the per-session API
// budget, history page size and WebSocket frame size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, toBase64 } from '@onionchat/protocol';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { makeAccount, signUp } from '../../test-support/accounts.js';
import { befriend, connectSocket, envelopeFor, newUser } from '../../test-support/social.js';
import { isSameOrigin } from '../security/same-origin.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    KEY_BUNDLE_MAX_BYTES: '256',
    RATE_API_PER_MINUTE: '40',
    MESSAGES_PAGE_MAX: '2',
    WS_MAX_FRAME_BYTES: '2048',
  });
});
afterAll(() => t.close());

describe('configured limits', () => {
  it('refuses a key bundle over KEY_BUNDLE_MAX_BYTES, storing nothing', async () => {
    const account = await makeAccount('bundle_big');
    const res = await t
      .client()
      .post('/api/auth/signup', { ...account.signupBody, keyBundle: toBase64(randomBytes(300)) });
    expect(res.status).toBe(400);
    expect(res.body['message']).toBe('keyBundle: must be at most 256 bytes');
    expect(
      (await t.client().post('/api/auth/login', { username: 'bundle_big', authKey: account.signupBody['authKey'] }))
        .status,
    ).toBe(401);
  });

  it('caps history pages at MESSAGES_PAGE_MAX', async () => {
    const [a, b] = [await newUser(t, 'pager_a'), await newUser(t, 'pager_b')];
    const room = await befriend(a, b);
    for (let i = 0; i < 3; i++) await a.client.post(`/api/rooms/${room.roomId}/messages`, envelopeFor(a.account, room));
    const page = await b.client.get<{ messages: unknown[]; hasMore: boolean }>(
      `/api/rooms/${room.roomId}/messages?limit=100`,
    );
    expect(page.body.messages).toHaveLength(2);
    expect(page.body.hasMore).toBe(true);
  });

  it('closes a socket that sends a frame over WS_MAX_FRAME_BYTES', async () => {
    const client = t.client();
    await signUp(client, 'frame_big');
    const socket = await connectSocket(t.baseUrl, client);
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    socket.emit('message:send', {
      roomId: '00000000-0000-4000-8000-000000000000',
      clientId: 'x',
      envelope: 'A'.repeat(4096),
    });
    await closed;
    expect(socket.connected).toBe(false);
  });

  it('answers 429 once a session spends RATE_API_PER_MINUTE', async () => {
    const client = t.client();
    await signUp(client, 'busy_bee');
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++) statuses.push((await client.get('/api/account')).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    const limited = await client.get('/api/account');
    expect(limited.status).toBe(429);
    expect(limited.body['message']).toMatch(/^Too many requests\. Try again in \d+ s\.$/);
    expect((await t.client().get('/api/health')).status).toBe(200);
  });
});

describe('same-origin check', () => {
  it('accepts this site and requests without an Origin, refuses others, null and cross-site fetches', () => {
    const host = 'abc.onion';
    expect(isSameOrigin({ host })).toBe(true);
    expect(isSameOrigin({ host, origin: 'http://abc.onion' })).toBe(true);
    expect(isSameOrigin({ host, origin: 'http://evil.example' })).toBe(false);
    expect(isSameOrigin({ host, origin: 'null' })).toBe(false);
    expect(isSameOrigin({ host, origin: 'not a url' })).toBe(false);
    expect(isSameOrigin({ host, 'sec-fetch-site': 'cross-site' })).toBe(false);
  });
});
