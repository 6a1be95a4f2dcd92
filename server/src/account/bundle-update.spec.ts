import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundleDigest,
  createIdentity,
  encodeContactPins,
  fromBase64,
  newUuid,
  openKeyBundle,
  randomBytes,
  sealKeyBundle,
  signBundleUpdate,
  toBase64,
} from '@onionchat/protocol';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { logIn, signUp, type TestAccount } from '../../test-support/accounts.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The client's update: the same identity re-sealed with one pin, signed over the bundle it replaces. */
function update(account: TestAccount, previous: Uint8Array, signer = account.identity) {
  const pins = encodeContactPins([
    { userId: newUuid(), username: 'bob', signPublicKey: randomBytes(32), verified: true },
  ]);
  const next = sealKeyBundle(account.identity, account.wrapKey, [{ type: 1, value: pins }]);
  return {
    next,
    body: {
      keyBundle: toBase64(next),
      replaces: toBase64(bundleDigest(previous)),
      signature: toBase64(signBundleUpdate(signer, account.id, previous, next)),
    },
  };
}

async function storedBundle(client: ReturnType<TestApp['client']>): Promise<Uint8Array> {
  const res = await client.get<{ keyBundle: string }>('/api/account/bundle');
  return fromBase64(res.body.keyBundle);
}

describe('replacing the key bundle', () => {
  it('stores a bundle signed by the account key; every session then gets it', async () => {
    const client = t.client();
    const account = await signUp(client, 'pinner');
    const previous = await storedBundle(client);
    const { next, body } = update(account, previous);
    const res = await client.post('/api/account/bundle', body);
    expect(res.status).toBe(204);
    const other = t.client();
    const login = await logIn(other, account);
    expect(login.body['keyBundle']).toBe(body.keyBundle);
    expect(await storedBundle(other)).toEqual(next);
    const opened = openKeyBundle(next, account.wrapKey, 'pinner', account.identity);
    expect(opened.extensions.map((e) => e.type)).toEqual([1]);
  });

  it('refuses an update signed by another key, and keeps the stored bundle', async () => {
    const client = t.client();
    const account = await signUp(client, 'thief_target');
    const previous = await storedBundle(client);
    const { body } = update(account, previous, createIdentity('thief_target'));
    const res = await client.post('/api/account/bundle', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'bad_signature',
      message: 'The key bundle update is not signed by this account’s key.',
    });
    expect(await storedBundle(client)).toEqual(previous);
  });

  it('refuses a stale or replayed update with 409 so the client can merge', async () => {
    const client = t.client();
    const account = await signUp(client, 'two_tabs');
    const original = await storedBundle(client);
    const first = update(account, original);
    const second = update(account, original);
    expect((await client.post('/api/account/bundle', first.body)).status).toBe(204);
    const stale = await client.post('/api/account/bundle', second.body);
    expect(stale.status).toBe(409);
    expect(stale.body['code']).toBe('bundle_changed');
    expect((await client.post('/api/account/bundle', first.body)).status).toBe(409);
    expect(await storedBundle(client)).toEqual(first.next);
  });

  it('checks the body: sizes, base64 and the login', async () => {
    const client = t.client();
    const account = await signUp(client, 'sizes');
    const previous = await storedBundle(client);
    const { body } = update(account, previous);
    for (const bad of [
      // One byte over the default KEY_BUNDLE_MAX_BYTES, well within the default body limit.
      { ...body, keyBundle: toBase64(randomBytes(64 * 1024 + 1)) },
      { ...body, keyBundle: toBase64(randomBytes(10)) },
      { ...body, replaces: toBase64(randomBytes(31)) },
      { ...body, signature: 'not base64!' },
      { keyBundle: body.keyBundle },
    ]) {
      const res = await client.post('/api/account/bundle', bad);
      expect(res.status).toBe(400);
      expect(res.body['code']).toBe('invalid_body');
    }
    expect((await t.client().post('/api/account/bundle', body)).status).toBe(401);
    expect(await storedBundle(client)).toEqual(previous);
  });
});
