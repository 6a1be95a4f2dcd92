// Bad input gets a clear error with the right status, never a 500, and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { makeAccount } from '../../test-support/accounts.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ BODY_LIMIT_BYTES: '4096' });
});
afterAll(() => t.close());

describe('request errors', () => {
  it('malformed JSON → 400 malformed_json', async () => {
    const res = await t.client().request('POST', '/api/auth/login', '{"username": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'malformed_json' });
  });

  it('a body over the limit → 413 body_too_large', async () => {
    const account = await makeAccount('big');
    const res = await t.client().post('/api/auth/signup', { ...account.signupBody, pad: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'body_too_large', message: expect.stringContaining('4096') });
  });

  it('a body that is not JSON → 415', async () => {
    const res = await t
      .client()
      .request('POST', '/api/auth/login', 'username=a', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(res.body['code']).toBe('unsupported_media_type');
  });

  it('missing and mistyped fields → 400 naming the field', async () => {
    const res = await t.client().post('/api/auth/login', { username: 'alice' });
    expect(res.status).toBe(400);
    expect(res.body['message']).toMatch(/^authKey: /);
    const bad = await t.client().post('/api/auth/login', { username: 'alice', authKey: 'not base64!' });
    expect(bad.body['message']).toBe('authKey: must be base64');
    const short = await t.client().post('/api/auth/login', { username: 'alice', authKey: 'AAAA' });
    expect(short.body['message']).toBe('authKey: must be 32 bytes');
    const name = await t.client().post('/api/auth/kdf', { username: 'a' });
    expect(name.status).toBe(400);
    expect(name.body['message']).toMatch(/^username: .*3/);
  });

  it('hostile shapes never produce a 5xx', async () => {
    const bodies = [
      'null',
      '[]',
      '0',
      '"x"',
      '{"username":{"$gt":""}}',
      '{"__proto__":{"admin":true}}',
      '{"username":null,"authKey":[]}',
    ];
    const paths = ['/api/auth/kdf', '/api/auth/login', '/api/auth/signup'];
    for (const path of paths) {
      for (const body of bodies) {
        const res = await t.client().request('POST', path, body);
        expect(res.status, `${path} ${body}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${path} ${body}`).toBeLessThan(500);
        expect(typeof res.body['message']).toBe('string');
      }
    }
  });

  it('a state-changing request from another origin → 403 bad_origin', async () => {
    const account = await makeAccount('crossed');
    const res = await t
      .client()
      .request('POST', '/api/auth/signup', account.signupBody, { origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(res.body['code']).toBe('bad_origin');
    const fine = await t.client().request('POST', '/api/auth/signup', account.signupBody, { origin: t.baseUrl });
    expect(fine.status).toBe(201);
  });

  it('unknown API routes → 404 JSON', async () => {
    const res = await t.client().get('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found' });
  });

  it('health and config reveal nothing identifying', async () => {
    expect((await t.client().get('/api/health')).body).toEqual({ status: 'ok' });
    const config = await t.client().get('/api/config');
    expect(Object.keys(config.body).sort()).toEqual([
      'groupMaxMembers',
      'minKdfIterations',
      'onionAddress',
      'registration',
      'retentionMaxDays',
    ]);
    // The onion address is public by design (what people type); a server that does not know it says null.
    expect(config.body.onionAddress).toBeNull();
    expect(config.headers.get('x-powered-by')).toBeNull();
  });
});
