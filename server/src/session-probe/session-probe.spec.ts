// GET /api/session: who this browser is logged in as, or null for a visitor, without the
// 401 a browser would log on every anonymous page load. A cookie naming no session is
// still spent against the same budget member routes spend, so the route is no free way to
// test guessed cookies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { answers } from '@onionchat/contract';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { signUp } from '../../test-support/accounts.js';
import { SESSION_COOKIE } from '../access/session-cookie.js';

const forged = () => `${SESSION_COOKIE}=${randomBytes(32).toString('base64url')}`;

describe('GET /api/session', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers a visitor without a session with 200 and no user, setting no cookie', async () => {
    const res = await t.client().get('/api/session');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: null });
    expect(answers.sessionUser.parse(res.body)).toEqual(res.body);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('gives a logged-in browser the same user GET /api/account gives', async () => {
    const client = t.client();
    const account = await signUp(client, 'sessa');
    const res = await client.get('/api/session');
    expect(res.status).toBe(200);
    const account_ = await client.get('/api/account');
    expect(res.body).toEqual(account_.body);
    // The wire contract names all of it.
    expect(answers.sessionUser.parse(res.body)).toEqual(res.body);
    expect(res.body['user']).toMatchObject({ id: account.id, username: 'sessa' });
  });

  it('answers an ended session with no user and drops its cookie', async () => {
    const client = t.client();
    await signUp(client, 'sessb');
    const cookie = client.cookie;
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    client.cookie = cookie;
    const res = await client.get('/api/session');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: null });
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    // The member route still says why, as before.
    client.cookie = cookie;
    expect((await client.get('/api/account')).body['code']).toBe('session_expired');
  });
});

describe('GET /api/session with made-up cookies', () => {
  const LIMIT = 6;
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_API_PER_MINUTE: String(LIMIT) });
  });
  afterAll(() => t.close());

  it('spends the budget member routes spend, and is cut off with them once it is gone', async () => {
    const client = t.client();
    const statuses: number[] = [];
    // Half the budget on a member route, the rest on this one: one budget for both.
    for (let i = 0; i < LIMIT / 2; i++) {
      client.cookie = forged();
      statuses.push((await client.get('/api/account')).status);
    }
    for (let i = 0; i < LIMIT / 2; i++) {
      client.cookie = forged();
      const res = await client.get('/api/session');
      expect(res.body).toEqual({ user: null });
      statuses.push(res.status);
    }
    client.cookie = forged();
    const refused = await client.get('/api/session');
    statuses.push(refused.status);
    expect(statuses).toEqual([401, 401, 401, 200, 200, 200, 429]);
    expect(refused.body['message']).toMatch(/^Too many requests with a session that has ended or never existed\./);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    // Refused before any lookup, on both routes, for a cookie it has not tried yet.
    client.cookie = forged();
    expect((await client.get('/api/session')).status).toBe(429);
    client.cookie = forged();
    expect((await client.get('/api/account')).status).toBe(429);
  });
});
