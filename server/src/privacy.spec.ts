// After a sign-up, a log-in and a passphrase change made with the real client protocol
// code, the database holds neither the passphrases nor any private or derived key,
// in any encoding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeKdfParams,
  deriveAccountKeys,
  encodeKdfParams,
  fromBase64,
  newKdfParams,
  openKeyBundle,
  sealKeyBundle,
  toBase64,
  toHex,
} from '@onionchat/protocol';
import { startTestApp, type TestApp } from '../test-support/app.js';
import { makeAccount } from '../test-support/accounts.js';
import { dumpDatabase } from '../test-support/database.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

function encodings(bytes: Uint8Array): string[] {
  const b64 = toBase64(bytes);
  return [
    toHex(bytes),
    b64,
    b64.replace(/=+$/, ''),
    Buffer.from(bytes).toString('base64url'),
    Buffer.from(bytes).toString('latin1'),
  ];
}

describe('what the server stores', () => {
  it('contains no passphrase and no private or derived key after sign-up, log-in and passphrase change', async () => {
    const passphrase = 'correct horse battery staple orbit';
    const newPassphrase = 'a different long passphrase 42';
    const client = t.client();
    const account = await makeAccount('privacy_user', passphrase);
    expect((await client.post('/api/auth/signup', account.signupBody)).status).toBe(201);

    // Log in from scratch, as a fresh browser would.
    const fresh = t.client();
    const kdf = await fresh.post<{ kdfParams: string }>('/api/auth/kdf', { username: 'privacy_user' });
    const keys = await deriveAccountKeys(passphrase, 'privacy_user', decodeKdfParams(fromBase64(kdf.body.kdfParams)));
    const login = await fresh.post<{ keyBundle: string }>('/api/auth/login', {
      username: 'privacy_user',
      authKey: toBase64(keys.authKey),
    });
    expect(login.status).toBe(200);
    const { identity } = openKeyBundle(fromBase64(login.body.keyBundle), keys.wrapKey, 'privacy_user');

    const params = newKdfParams();
    const next = await deriveAccountKeys(newPassphrase, 'privacy_user', params);
    const change = await fresh.post('/api/account/passphrase', {
      currentAuthKey: toBase64(keys.authKey),
      kdfParams: toBase64(encodeKdfParams(params)),
      authKey: toBase64(next.authKey),
      keyBundle: toBase64(sealKeyBundle(identity, next.wrapKey)),
    });
    expect(change.status).toBe(200);

    const dump = await dumpDatabase(t.dbUrl);
    expect(dump).toContain('privacy_user');
    const secrets: [string, Uint8Array][] = [
      ['box secret key', identity.boxSecretKey],
      ['signing seed', identity.signSeed],
      ['signing secret key', identity.signSecretKey],
      ['old auth key', keys.authKey],
      ['old wrap key', keys.wrapKey],
      ['new auth key', next.authKey],
      ['new wrap key', next.wrapKey],
    ];
    for (const [name, bytes] of secrets) {
      for (const text of encodings(bytes)) expect(dump.includes(text), `${name} found in the database`).toBe(false);
    }
    for (const p of [passphrase, newPassphrase]) {
      for (const text of [p, toHex(new TextEncoder().encode(p)), toBase64(new TextEncoder().encode(p))]) {
        expect(dump.includes(text), 'passphrase found in the database').toBe(false);
      }
    }
  });
});
