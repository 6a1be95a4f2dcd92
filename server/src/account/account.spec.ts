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
import { connectSocket, until } from '../../test-support/social.js';
import { SessionPurger } from '../auth/session-purger.js';

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

describe('passphrase changes per user (RATE_PASSPHRASE_CHANGES_PER_HOUR)', () => {
  it('counts every attempt, a wrong current passphrase too, then answers 429 and changes nothing', async () => {
    const own = await startTestApp({ RATE_PASSPHRASE_CHANGES_PER_HOUR: '2' });
    try {
      const client = own.client();
      const account = await signUp(client, 'rosa');
      const { newAuthKey: _wrongNew, ...wrong } = await changeBody(randomBytes(32));
      expect((await client.post('/api/account/passphrase', wrong)).status).toBe(401);
      expect((await client.post('/api/account/passphrase', wrong)).status).toBe(401);
      // Another session of the same user shares the budget: it is the user's.
      const other = own.client();
      expect((await logIn(other, account)).status).toBe(200);
      const { newAuthKey, ...right } = await changeBody(account.authKey);
      const refused = await other.post('/api/account/passphrase', right);
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({
        code: 'rate_limited',
        message: expect.stringMatching(/^Too many passphrase changes for this account\. Try again in \d+ s\.$/),
      });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await logIn(own.client(), account)).status).toBe(200);
      expect(
        (await own.client().post('/api/auth/login', { username: 'rosa', authKey: toBase64(newAuthKey) })).status,
      ).toBe(401);
      // Another user's budget is their own.
      const sam = own.client();
      const samAccount = await signUp(sam, 'sam');
      const { newAuthKey: _samNew, ...samChange } = await changeBody(samAccount.authKey);
      expect((await sam.post('/api/account/passphrase', samChange)).status).toBe(200);
    } finally {
      await own.close();
    }
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

  it("another user's session id gets the unknown id's 404, ends nothing and closes no socket", async () => {
    const a = t.client();
    const vera = await signUp(a, 'vera');
    const b = t.client();
    const walt = await signUp(b, 'walt');
    const [waltSession] = await sessionIdsOf(walt.id);
    const bSocket = await connectSocket(t.baseUrl, b);
    let bClosed = false;
    bSocket.on('disconnect', () => (bClosed = true));
    // The control: ending one's own session does close its socket, so the test can see one close.
    const a2 = t.client();
    await logIn(a2, vera);
    const a2Socket = await connectSocket(t.baseUrl, a2);
    try {
      const unknown = await a.delete(`/api/account/sessions/${newUuid()}`);
      expect(unknown.status).toBe(404);
      const foreign = await a.delete(`/api/account/sessions/${waltSession}`);
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(unknown.body);
      expect(foreign.headers.get('set-cookie')).toBeNull();
      expect(await sessionIdsOf(walt.id)).toEqual([waltSession]);

      const list = await a.get<{ sessions: { id: string; current: boolean }[] }>('/api/account/sessions');
      const veraOther = list.body.sessions.find((s) => !s.current)!;
      expect((await a.delete(`/api/account/sessions/${veraOther.id}`)).status).toBe(204);
      await until(() => !a2Socket.connected);

      // Walt's socket still answers a round trip, was never closed, and his session works.
      const ack = await bSocket.timeout(5000).emitWithAck('message:send', {});
      expect(ack).toBeTypeOf('object');
      expect(bSocket.connected).toBe(true);
      expect(bClosed).toBe(false);
      expect((await b.get('/api/account')).status).toBe(200);
    } finally {
      bSocket.close();
      a2Socket.close();
    }
  });

  it('purges expired sessions from the database, at start and on each run, keeping live ones', async () => {
    const xena = await signUp(t.client(), 'xena');
    const clients = [t.client(), t.client(), t.client()];
    for (const client of clients) await logIn(client, xena);
    const [expired, expiredNow, ...live] = await sessionIdsOf(xena.id);
    await sql(`UPDATE "Session" SET "expiresAt" = now() - interval '1 hour' WHERE id = $1`, [expired]);
    await sql(`UPDATE "Session" SET "expiresAt" = $2 WHERE id = $1`, [expiredNow, new Date()]);
    const others = await sql(`SELECT count(*)::int AS n FROM "Session" WHERE "expiresAt" > now()`);

    expect(await t.app.get(SessionPurger).purge()).toBe(2);
    expect((await sessionIdsOf(xena.id)).sort()).toEqual(live.sort());
    expect(await sql(`SELECT count(*)::int AS n FROM "Session" WHERE "expiresAt" > now()`)).toEqual(others);
    expect(await sql(`SELECT count(*)::int AS n FROM "Session" WHERE "expiresAt" <= now()`)).toEqual([{ n: 0 }]);
    // The live ones still work (the first two sessions were the sign-up's and the first log-in's).
    expect((await clients[2]!.get('/api/account')).status).toBe(200);

    // A starting instance purges before it serves.
    const [stale] = live;
    await sql(`UPDATE "Session" SET "expiresAt" = now() - interval '1 second' WHERE id = $1`, [stale]);
    const second = await startTestApp({}, t.dbUrl);
    await second.closeAppOnly();
    expect(await sessionIdsOf(xena.id)).toHaveLength(live.length - 1);
    expect(await sessionIdsOf(xena.id)).not.toContain(stale);
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

async function sql(text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const db = new pg.Client({ connectionString: t.dbUrl });
  await db.connect();
  try {
    return (await db.query(text, values)).rows as Record<string, unknown>[];
  } finally {
    await db.end();
  }
}

async function sessionIdsOf(userId: string): Promise<string[]> {
  const rows = await sql(`SELECT id FROM "Session" WHERE "userId" = $1 ORDER BY "createdAt", id`, [userId]);
  return rows.map((r) => r['id'] as string);
}
