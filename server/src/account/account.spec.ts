import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addKemKeys,
  createIdentity,
  encodePublicKeys,
  encodePublicKeysV1,
  newUuid,
  randomBytes,
  toBase64,
} from '@onionchat/protocol';
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

describe('publish public keys (the ML-KEM upgrade)', () => {
  /** An account created before ML-KEM keys: a v1 record and an identity without them. */
  async function oldAccount(username: string) {
    const client = t.client();
    const account = await makeAccount(username);
    const identity = { ...account.identity, kem: null };
    const publicKeys = toBase64(encodePublicKeysV1(identity));
    expect((await client.post('/api/auth/signup', { ...account.signupBody, publicKeys })).status).toBe(201);
    return { client, account, identity };
  }

  it('replaces a v1 record with a v2 one for the same identity keys, and accepts it again', async () => {
    const { client, account, identity } = await oldAccount('una');
    const publicKeys = toBase64(encodePublicKeys(addKemKeys(identity), account.id));
    const res = await client.post('/api/account/keys', { publicKeys });
    expect(res.status).toBe(200);
    expect(res.body['user']).toMatchObject({ id: account.id, username: 'una', publicKeys });
    expect((await client.get('/api/account')).body['user']).toMatchObject({ publicKeys });
    expect((await client.post('/api/account/keys', { publicKeys })).status).toBe(200);
  });

  it('refuses a v1 record, keeping the published one', async () => {
    const { client, identity } = await oldAccount('vic');
    const before = (await client.get('/api/account')).body['user'];
    const res = await client.post('/api/account/keys', { publicKeys: toBase64(encodePublicKeysV1(identity)) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_record', message: expect.stringContaining('version 2') });
    expect((await client.get('/api/account')).body['user']).toEqual(before);
  });

  it('refuses other identity keys: a stolen session cannot swap the account key', async () => {
    const { client, account } = await oldAccount('wes');
    const publicKeys = toBase64(encodePublicKeys(createIdentity('wes'), account.id));
    const res = await client.post('/api/account/keys', { publicKeys });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'key_mismatch', message: expect.stringContaining('identity keys') });
  });

  it('refuses a record for another id or another username', async () => {
    const { client, account, identity } = await oldAccount('xan');
    const upgraded = addKemKeys(identity);
    const otherId = await client.post('/api/account/keys', {
      publicKeys: toBase64(encodePublicKeys(upgraded, newUuid())),
    });
    expect(otherId.status).toBe(400);
    expect(otherId.body['code']).toBe('invalid_record');
    const otherName = await client.post('/api/account/keys', {
      publicKeys: toBase64(encodePublicKeys({ ...upgraded, username: 'xavier' }, account.id)),
    });
    expect(otherName.status).toBe(400);
    expect(otherName.body['code']).toBe('invalid_record');
  });

  it('refuses malformed bodies and callers without a session', async () => {
    const { client } = await oldAccount('yul');
    expect((await client.post('/api/account/keys', { publicKeys: 'not base64!' })).status).toBe(400);
    expect((await client.post('/api/account/keys', { publicKeys: toBase64(randomBytes(2000)) })).status).toBe(400);
    expect((await client.post('/api/account/keys', {})).status).toBe(400);
    const anonymous = await t.client().post('/api/account/keys', { publicKeys: toBase64(randomBytes(1329)) });
    expect(anonymous.status).toBe(401);
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
