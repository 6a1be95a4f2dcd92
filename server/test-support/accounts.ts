// Builds sign-up bodies the way the browser does, with the real protocol code. The KDF
// is skipped (random auth and wrap keys) except where a test asks for the real one.
import {
  createIdentity,
  deriveAccountKeys,
  encodeKdfParams,
  encodePublicKeys,
  newKdfParams,
  newUuid,
  randomBytes,
  sealKeyBundle,
  toBase64,
  type Identity,
} from '@onionchat/protocol';
import type { TestClient } from './app.js';

export interface TestAccount {
  id: string;
  username: string;
  identity: Identity;
  authKey: Uint8Array;
  wrapKey: Uint8Array;
  signupBody: Record<string, string>;
}

export async function makeAccount(username: string, passphrase?: string): Promise<TestAccount> {
  const identity = createIdentity(username);
  const id = newUuid();
  const params = newKdfParams();
  const { authKey, wrapKey } = passphrase
    ? await deriveAccountKeys(passphrase, username, params)
    : { authKey: randomBytes(32), wrapKey: randomBytes(32) };
  return {
    id,
    username,
    identity,
    authKey,
    wrapKey,
    signupBody: {
      username,
      userId: id,
      kdfParams: toBase64(encodeKdfParams(params)),
      authKey: toBase64(authKey),
      publicKeys: toBase64(encodePublicKeys(identity, id)),
      keyBundle: toBase64(sealKeyBundle(identity, wrapKey)),
    },
  };
}

export async function signUp(client: TestClient, username: string, extra: Record<string, string> = {}) {
  const account = await makeAccount(username);
  const res = await client.post<{ user: { id: string } }>('/api/auth/signup', { ...account.signupBody, ...extra });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  account.id = res.body.user.id;
  return account;
}

export const logIn = (client: TestClient, account: TestAccount) =>
  client.post('/api/auth/login', { username: account.username, authKey: toBase64(account.authKey) });
