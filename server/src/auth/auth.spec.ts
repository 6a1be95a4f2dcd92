import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeKdfParams,
  encodePublicKeys,
  encodePublicKeysV1,
  fromBase64,
  KDF_DEFAULT_ITERATIONS,
  newUuid,
  toBase64,
} from '@onionchat/protocol';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { logIn, makeAccount, signUp } from '../../test-support/accounts.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('sign-up', () => {
  it('creates the account, answers 201 with public data and starts an HttpOnly strict session', async () => {
    const client = t.client();
    const account = await makeAccount('alice');
    const res = await client.post<{ user: { username: string; publicKeys: string; id: string } }>(
      '/api/auth/signup',
      account.signupBody,
    );
    expect(res.status).toBe(201);
    expect(res.body.user.username).toBe('alice');
    expect(res.body.user.publicKeys).toBe(account.signupBody['publicKeys']);
    expect(Object.keys(res.body.user).sort()).toEqual(['createdAt', 'id', 'publicKeys', 'username']);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^oc_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const me = await client.get<{ user: { username: string } }>('/api/account');
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('alice');
  });

  it('treats usernames case-insensitively and refuses a taken one with 409', async () => {
    await signUp(t.client(), 'bob');
    const again = await makeAccount('bob');
    const res = await t.client().post('/api/auth/signup', { ...again.signupBody, username: '  BOB ' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'username_taken', message: expect.stringContaining('taken') });
  });

  it('refuses public keys signed for another username', async () => {
    const mallory = await makeAccount('mallory');
    const res = await t.client().post('/api/auth/signup', { ...mallory.signupBody, username: 'carol' });
    expect(res.status).toBe(400);
    expect(res.body['code']).toBe('invalid_record');
    expect(String(res.body['message'])).toMatch(/^publicKeys: /);
  });

  it('gives the account the id the client chose, the one its public keys record names', async () => {
    const account = await makeAccount('ida');
    const res = await t.client().post<{ user: { id: string } }>('/api/auth/signup', account.signupBody);
    expect(res.status).toBe(201);
    expect(res.body.user.id).toBe(account.id);
  });

  it('still accepts a version 1 record (no ML-KEM key, no id)', async () => {
    const account = await makeAccount('jay');
    const publicKeys = toBase64(encodePublicKeysV1(account.identity));
    const res = await t.client().post('/api/auth/signup', { ...account.signupBody, publicKeys });
    expect(res.status).toBe(201);
    expect(res.body['user']).toMatchObject({ id: account.id, publicKeys });
  });

  it('refuses a record that names another id than the one sent', async () => {
    const account = await makeAccount('kay');
    const res = await t.client().post('/api/auth/signup', { ...account.signupBody, userId: newUuid() });
    expect(res.status).toBe(400);
    expect(res.body['code']).toBe('invalid_record');
    expect(String(res.body['message'])).toMatch(/^publicKeys: .*published by account/);
  });

  it('refuses a missing or non-canonical user id with a clear message', async () => {
    const account = await makeAccount('lee');
    const upper = await t
      .client()
      .post('/api/auth/signup', { ...account.signupBody, userId: account.id.toUpperCase() });
    expect(upper.status).toBe(400);
    expect(upper.body['message']).toBe('userId: must be a lower-case UUID (8-4-4-4-12 hex digits)');
    const { userId: _, ...missing } = account.signupBody;
    expect((await t.client().post('/api/auth/signup', missing)).status).toBe(400);
  });

  it('refuses an id that is already taken with 409, and creates nothing', async () => {
    const first = await signUp(t.client(), 'max');
    const second = await makeAccount('ned');
    const publicKeys = toBase64(encodePublicKeys(second.identity, first.id));
    const res = await t.client().post('/api/auth/signup', { ...second.signupBody, userId: first.id, publicKeys });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'user_id_taken', message: expect.stringContaining('Sign up again') });
    expect((await logIn(t.client(), second)).status).toBe(401);
  });

  it('refuses KDF parameters below the protocol floor', async () => {
    const account = await makeAccount('dave');
    const weak = fromBase64(account.signupBody['kdfParams']!);
    weak.set([0, 0, 0x03, 0xe8], 2); // 1000 iterations
    const res = await t.client().post('/api/auth/signup', { ...account.signupBody, kdfParams: toBase64(weak) });
    expect(res.status).toBe(400);
    expect(res.body['code']).toBe('invalid_record');
  });
});

describe('log-in', () => {
  it('returns the key bundle for the right auth key and starts a session', async () => {
    const account = await signUp(t.client(), 'erin');
    const client = t.client();
    const res = await logIn(client, account);
    expect(res.status).toBe(200);
    expect(res.body['keyBundle']).toBe(account.signupBody['keyBundle']);
    expect((await client.get('/api/account')).status).toBe(200);
  });

  it('answers a wrong auth key and an unknown user identically', async () => {
    const account = await signUp(t.client(), 'frank');
    const wrong = await t
      .client()
      .post('/api/auth/login', { username: 'frank', authKey: toBase64(new Uint8Array(32).fill(7)) });
    const unknown = await t
      .client()
      .post('/api/auth/login', { username: 'nobody_here', authKey: toBase64(account.authKey) });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body['message']).toBe('Wrong username or passphrase.');
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });
});

describe('KDF parameters (no username enumeration)', () => {
  it('returns the stored parameters for an existing user', async () => {
    const account = await signUp(t.client(), 'grace');
    const res = await t.client().post('/api/auth/kdf', { username: 'Grace' });
    expect(res.status).toBe(200);
    expect(res.body['kdfParams']).toBe(account.signupBody['kdfParams']);
  });

  it('answers an unknown user with valid, stable, per-name decoy parameters', async () => {
    const a1 = await t.client().post<{ kdfParams: string }>('/api/auth/kdf', { username: 'ghost_one' });
    const a2 = await t.client().post<{ kdfParams: string }>('/api/auth/kdf', { username: 'ghost_one' });
    const b = await t.client().post<{ kdfParams: string }>('/api/auth/kdf', { username: 'ghost_two' });
    expect(a1.status).toBe(200);
    expect(a1.body).toEqual(a2.body);
    expect(a1.body.kdfParams).not.toBe(b.body.kdfParams);
    const decoy = decodeKdfParams(fromBase64(a1.body.kdfParams));
    expect(decoy.iterations).toBe(KDF_DEFAULT_ITERATIONS);
    expect(Object.keys(a1.body)).toEqual(['kdfParams']);
  });

  it('keeps decoys stable across a restart', async () => {
    const before = await t.client().post('/api/auth/kdf', { username: 'ghost_three' });
    const second = await startTestApp({}, t.dbUrl);
    try {
      const after = await second.client().post('/api/auth/kdf', { username: 'ghost_three' });
      expect(after.body).toEqual(before.body);
    } finally {
      await second.closeAppOnly();
    }
  });
});
