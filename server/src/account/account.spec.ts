import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, toBase64 } from '@onionchat/protocol';
import pg from 'pg';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { logIn, makeAccount, signUp } from '../../test-support/accounts.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function changeBody(currentAuthKey: Uint8Array) {
  const next = await makeAccount('unused');
  return {
    currentAuthKey: toBase64(currentAuthKey),
    kdfParams: next.signupBody['kdfParams'],
    authKey: next.signupBody['authKey'],
    keyBundle: next.signupBody['keyBundle'],
    newAuthKey: next.authKey,
  };
}

describe('change passphrase', () => {
  it('needs the current auth key', async () => {
    const client = t.client();
    await signUp(client, 'pat');
    const { newAuthKey: _, ...body } = await changeBody(randomBytes(32));
    const res = await client.post('/api/account/passphrase', body);
    expect(res.status).toBe(401);
    expect(res.body['message']).toBe('The current passphrase is wrong.');
  });

  it('replaces credentials: old auth key stops working, other sessions end, this one stays', async () => {
    const client = t.client();
    const account = await signUp(client, 'quinn');
    const other = t.client();
    expect((await logIn(other, account)).status).toBe(200);
    const { newAuthKey, ...body } = await changeBody(account.authKey);
    const res = await client.post('/api/account/passphrase', body);
    expect(res.status).toBe(200);
    expect((await client.get('/api/account')).status).toBe(200);
    expect((await other.get('/api/account')).body['code']).toBe('session_expired');
    expect((await logIn(t.client(), account)).status).toBe(401);
    const fresh = t.client();
    const login = await fresh.post('/api/auth/login', { username: 'quinn', authKey: toBase64(newAuthKey) });
    expect(login.status).toBe(200);
    expect(login.body['keyBundle']).toBe(body.keyBundle);
    const bundle = await fresh.get('/api/account/bundle');
    expect(bundle.body).toEqual({ kdfParams: body.kdfParams, keyBundle: body.keyBundle });
  });
});

describe('sessions', () => {
  it('log out ends only this session', async () => {
    const a = t.client();
    const account = await signUp(a, 'rosa');
    const b = t.client();
    await logIn(b, account);
    const res = await a.post('/api/auth/logout');
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/oc_session=;/);
    expect(a.cookie).toBeUndefined();
    expect((await a.get('/api/account')).body['code']).toBe('not_logged_in');
    expect((await b.get('/api/account')).status).toBe(200);
  });

  it('log out everywhere ends every session of the user', async () => {
    const a = t.client();
    const account = await signUp(a, 'sam');
    const b = t.client();
    await logIn(b, account);
    const cookieA = a.cookie;
    expect((await a.post('/api/auth/logout-all')).status).toBe(204);
    a.cookie = cookieA;
    expect((await a.get('/api/account')).body['code']).toBe('session_expired');
    expect((await b.get('/api/account')).body['code']).toBe('session_expired');
  });

  it('lists sessions with the current one marked, and can end another', async () => {
    const a = t.client();
    const account = await signUp(a, 'tess');
    const b = t.client();
    await logIn(b, account);
    const list = await a.get<{ sessions: { id: string; current: boolean }[] }>('/api/account/sessions');
    expect(list.body.sessions).toHaveLength(2);
    expect(list.body.sessions.filter((s) => s.current)).toHaveLength(1);
    const other = list.body.sessions.find((s) => !s.current)!;
    expect((await a.delete(`/api/account/sessions/${other.id}`)).status).toBe(204);
    expect((await b.get('/api/account')).status).toBe(401);
    expect((await a.delete(`/api/account/sessions/${other.id}`)).status).toBe(404);
  });

  it('rejects an expired session with session_expired', async () => {
    const a = t.client();
    await signUp(a, 'uma');
    const db = new pg.Client({ connectionString: t.dbUrl });
    await db.connect();
    await db.query(
      `UPDATE "Session" SET "expiresAt" = now() - interval '1 second' WHERE "userId" = (SELECT id FROM "User" WHERE username = 'uma')`,
    );
    await db.end();
    const res = await a.get('/api/account');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'session_expired', message: expect.stringContaining('Log in again') });
  });

  it('rejects a forged token', async () => {
    const a = t.client();
    a.cookie = `oc_session=${'A'.repeat(43)}`;
    expect((await a.get('/api/account')).body['code']).toBe('session_expired');
    a.cookie = 'oc_session=short';
    expect((await a.get('/api/account')).body['code']).toBe('session_expired');
  });
});
