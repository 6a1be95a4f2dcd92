// Sign-up, log-in and unlock against recorded server answers made with the real
// protocol functions. The server is treated as malicious: every way its answers can
// lie must end in a refusal, and nothing secret may leave before its answers check out.

import type { SignupBody, User } from '@onionchat/contract';
import {
  KDF_DEFAULT_ITERATIONS,
  KDF_MIN_ITERATIONS,
  KDF_SALT_BYTES,
  KEM_SEED_EXTENSION,
  createIdentity,
  decodePublicKeys,
  decodeKdfParams,
  deriveAccountKeys,
  encodeKdfParams,
  encodeKemSeed,
  encodePublicKeys,
  encodePublicKeysV1,
  equalBytes,
  fromBase64,
  identityFromSeeds,
  kemSeedOf,
  newKdfParams,
  newUuid,
  openKeyBundle,
  randomBytes,
  sealKeyBundle,
  toBase64,
  type Identity,
} from '@onionchat/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeError, errorField } from '../describe-error.js';
import { FakeHttp, type FakeCall } from '../test-support/fake-http.js';
import { ApiError, meansSessionLost } from '../transport/api-error.js';
import { Api } from '../transport/api.js';
import { AccountError, AccountFlows, tamperedMessage, unsafeKdfMessage, WRONG_CREDENTIALS_MESSAGE } from './account.js';

const PASSPHRASE = 'violet kettle drums at noon';
const ORIGIN = 'http://example.onion';

/** An account as the server stores it, made with the real protocol at the smallest accepted KDF cost. */
interface StoredAccount {
  user: User;
  identity: Identity;
  kdfParams: string;
  authKey: string;
  keyBundle: string;
  wrapKey: Uint8Array;
}

/**
 * `legacy`: an account made before ML-KEM keys (a v1 record, no KEM seed in the
 * bundle); otherwise one made now, whose bundle and v2 record carry its KEM key.
 */
async function storedAccount(username: string, passphrase = PASSPHRASE, legacy = false): Promise<StoredAccount> {
  const made = createIdentity(username);
  const identity = legacy ? { ...made, kem: null } : made;
  const id = newUuid();
  const params = newKdfParams(KDF_MIN_ITERATIONS);
  const { authKey, wrapKey } = await deriveAccountKeys(passphrase, username, params);
  const extensions = legacy ? [] : [{ type: KEM_SEED_EXTENSION, value: encodeKemSeed(made.kem!.seed) }];
  return {
    user: {
      id,
      username,
      publicKeys: toBase64(legacy ? encodePublicKeysV1(identity) : encodePublicKeys(identity, id)),
      createdAt: '2025-01-01T00:00:00.000Z',
    },
    identity,
    kdfParams: toBase64(encodeKdfParams(params)),
    authKey: toBase64(authKey),
    keyBundle: toBase64(sealKeyBundle(identity, wrapKey, extensions)),
    wrapKey,
  };
}

/** KDF parameters a malicious server might send; encodeKdfParams itself refuses to write them. */
function rawKdfParams(iterations: number): string {
  const bytes = new Uint8Array(1 + 1 + 4 + 1 + KDF_SALT_BYTES);
  bytes.set([1, 1]);
  new DataView(bytes.buffer).setUint32(2, iterations);
  bytes[6] = KDF_SALT_BYTES;
  bytes.set(randomBytes(KDF_SALT_BYTES), 7);
  return toBase64(bytes);
}

function flipByte(base64: string, index: number): string {
  const bytes = fromBase64(base64);
  bytes[index]! ^= 0x01;
  return toBase64(bytes);
}

const WRONG_CREDENTIALS = {
  status: 401,
  body: { code: 'wrong_credentials', message: 'Wrong username or passphrase.' },
};
const SESSION_EXPIRED = { status: 401, body: { code: 'session_expired', message: 'Your session has expired.' } };

/** A server that knows `account`: answers the KDF, log-in and bundle routes as the real one does. */
function serverFor(account: StoredAccount): { http: FakeHttp; flows: AccountFlows; api: Api } {
  const http = new FakeHttp();
  http.on('POST', '/api/auth/kdf', { body: { kdfParams: account.kdfParams } });
  http.on('POST', '/api/auth/login', (call: FakeCall) => {
    const body = call.body as { username: string; authKey: string };
    if (body.username !== account.user.username || body.authKey !== account.authKey) return WRONG_CREDENTIALS;
    return { body: { user: account.user, keyBundle: account.keyBundle } };
  });
  http.on('GET', '/api/account/bundle', { body: { kdfParams: account.kdfParams, keyBundle: account.keyBundle } });
  http.on('GET', '/api/account', { body: { user: account.user } });
  const api = new Api(http);
  return { http, flows: new AccountFlows(api, ORIGIN), api };
}

function sameKeys(a: Identity, b: Identity): boolean {
  return equalBytes(a.signPublicKey, b.signPublicKey) && equalBytes(a.boxPublicKey, b.boxPublicKey);
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the flow to be refused'),
    (error: unknown) => error,
  );
}

let alice: StoredAccount;
let mallory: StoredAccount;

beforeAll(async () => {
  [alice, mallory] = await Promise.all([storedAccount('alice'), storedAccount('mallory')]);
});

describe('signUp', () => {
  /** A server that creates the account it is sent and answers with its user record. */
  function signupServer(answer?: (body: SignupBody) => unknown) {
    const http = new FakeHttp();
    http.on('POST', '/api/auth/signup', (call) => {
      const body = call.body as SignupBody;
      const user: User = { id: body.userId, username: body.username, publicKeys: body.publicKeys, createdAt: 'now' };
      return { status: 201, body: answer ? answer(body) : { user } };
    });
    return { http, flows: new AccountFlows(new Api(http), ORIGIN) };
  }

  it('creates an identity and sends only the auth key, the public keys and the sealed bundle', async () => {
    const { http, flows } = signupServer();
    const steps: string[] = [];
    const unlocked = await flows.signUp('  Alice_2 ', PASSPHRASE, 'invite-token', (step) => steps.push(step));

    expect(http.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/auth/signup']);
    const body = http.calls[0]!.body as SignupBody;
    expect(Object.keys(body).sort()).toEqual([
      'authKey',
      'inviteToken',
      'kdfParams',
      'keyBundle',
      'publicKeys',
      'userId',
      'username',
    ]);
    expect(body.username).toBe('alice_2');
    expect(body.inviteToken).toBe('invite-token');
    expect(JSON.stringify(body)).not.toContain(PASSPHRASE);

    // The KDF parameters of a new account are the client's own, never a server's.
    const params = decodeKdfParams(fromBase64(body.kdfParams));
    expect(params.iterations).toBe(KDF_DEFAULT_ITERATIONS);

    // What was sent is what a later log-in derives: the auth key, and a bundle that opens to this identity.
    const derived = await deriveAccountKeys(PASSPHRASE, 'alice_2', params);
    expect(body.authKey).toBe(toBase64(derived.authKey));
    const opened = openKeyBundle(fromBase64(body.keyBundle), derived.wrapKey, 'alice_2');
    expect(sameKeys(opened.identity, unlocked.identity)).toBe(true);

    // A v2 record for the id the client chose, carrying the ML-KEM key whose seed the bundle keeps.
    expect(body.userId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const record = decodePublicKeys(fromBase64(body.publicKeys), 'alice_2', body.userId);
    expect(record.version).toBe(2);
    expect(record.kemPublicKey).toEqual(unlocked.identity.kem!.publicKey);
    const seed = kemSeedOf(opened.extensions);
    expect(identityFromSeeds('alice_2', opened.identity.boxSecretKey, opened.identity.signSeed, seed)).toEqual(
      unlocked.identity,
    );

    expect(unlocked.user.id).toBe(body.userId);
    expect(unlocked.user.username).toBe('alice_2');
    expect(unlocked.identity.username).toBe('alice_2');
    expect(unlocked.vault.pins()).toEqual([]);
    expect(steps.length).toBeGreaterThan(2);
  });

  it('leaves the invite token out when there is none', async () => {
    const { http, flows } = signupServer();
    await flows.signUp('alice', PASSPHRASE, null);
    expect(http.calls[0]!.body).not.toHaveProperty('inviteToken');
  });

  it('refuses a bad username or a weak passphrase before anything is sent', async () => {
    const { http, flows } = signupServer();
    const name = await refusal(flows.signUp('9lives', PASSPHRASE, null));
    expect(name).toBeInstanceOf(AccountError);
    expect(errorField(name)).toBe('username');
    const phrase = await refusal(flows.signUp('alice', 'short', null));
    expect(phrase).toBeInstanceOf(AccountError);
    expect(errorField(phrase)).toBe('passphrase');
    expect(http.calls).toEqual([]);
  });

  it('refuses a user record for another username', async () => {
    const { flows } = signupServer(() => ({ user: mallory.user }));
    const error = await refusal(flows.signUp('alice', PASSPHRASE, null));
    expect(error).toBeInstanceOf(AccountError);
    expect((error as AccountError).message).toBe(tamperedMessage());
  });

  it('refuses a user record that carries other keys than the ones sent', async () => {
    const other = createIdentity('alice');
    const { flows } = signupServer((body) => ({
      user: {
        id: body.userId,
        username: body.username,
        publicKeys: toBase64(encodePublicKeys(other, body.userId)),
        createdAt: 'now',
      },
    }));
    const error = await refusal(flows.signUp('alice', PASSPHRASE, null));
    expect((error as AccountError).message).toBe(tamperedMessage());
  });

  it('refuses an account created under another id than the one chosen', async () => {
    const { flows } = signupServer((body) => ({
      user: { id: newUuid(), username: body.username, publicKeys: body.publicKeys, createdAt: 'now' },
    }));
    const error = await refusal(flows.signUp('alice', PASSPHRASE, null));
    expect((error as AccountError).message).toBe(tamperedMessage());
  });

  it('refuses a record that drops the ML-KEM key it was sent', async () => {
    const { flows } = signupServer((body) => {
      const user = { id: body.userId, username: body.username, publicKeys: body.publicKeys, createdAt: 'now' };
      return { user: { ...user, publicKeys: toBase64(fromBase64(body.publicKeys).subarray(0, 129)) } };
    });
    const error = await refusal(flows.signUp('alice', PASSPHRASE, null));
    expect((error as AccountError).message).toBe(tamperedMessage());
  });

  it('passes the server’s refusals on (a taken name belongs to the username field)', async () => {
    const http = new FakeHttp().on('POST', '/api/auth/signup', {
      status: 409,
      body: { code: 'username_taken', message: 'Taken.' },
    });
    const error = await refusal(new AccountFlows(new Api(http), ORIGIN).signUp('alice', PASSPHRASE, null));
    expect(error).toBeInstanceOf(ApiError);
    expect(errorField(error)).toBe('username');
    expect(describeError(error)).toBe('That username is already taken. Try another one.');
  });

  it('passes a dropped connection on as a network error', async () => {
    const http = new FakeHttp().on('POST', '/api/auth/signup', 'drop');
    const error = await refusal(new AccountFlows(new Api(http), ORIGIN).signUp('alice', PASSPHRASE, null));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('network');
  });
});

describe('logIn', () => {
  it('logs in with the derived auth key and opens the bundle to the published identity', async () => {
    const { http, flows } = serverFor(alice);
    const steps: string[] = [];
    const unlocked = await flows.logIn(' ALICE ', PASSPHRASE, (step) => steps.push(step));

    expect(http.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/auth/kdf', 'POST /api/auth/login']);
    expect(http.calls[0]!.body).toEqual({ username: 'alice' });
    expect(http.calls[1]!.body).toEqual({ username: 'alice', authKey: alice.authKey });
    expect(unlocked.user).toEqual(alice.user);
    expect(sameKeys(unlocked.identity, alice.identity)).toBe(true);
    expect(equalBytes(unlocked.identity.signSeed, alice.identity.signSeed)).toBe(true);
    expect(unlocked.vault.pins()).toEqual([]);
    expect(steps).toContain('Logging in…');
  });

  it('says "wrong username or passphrase" for 401 wrong_credentials', async () => {
    const { flows } = serverFor(alice);
    const error = await refusal(flows.logIn('alice', 'not the passphrase at all'));
    expect(error).toBeInstanceOf(AccountError);
    expect((error as AccountError).message).toBe(WRONG_CREDENTIALS_MESSAGE);
    expect((error as AccountError).field).toBeNull();
  });

  it('refuses weak KDF parameters from the server before anything is sent', async () => {
    const { http, flows } = serverFor(alice);
    http.on('POST', '/api/auth/kdf', { body: { kdfParams: rawKdfParams(1_000) } });
    const error = await refusal(flows.logIn('alice', PASSPHRASE));
    expect((error as AccountError).message).toBe(unsafeKdfMessage());
    expect(http.callsTo('POST', '/api/auth/login')).toEqual([]);
  });

  it('refuses an iteration count that would stall the device, and unreadable parameters', async () => {
    const { http, flows } = serverFor(alice);
    http.on('POST', '/api/auth/kdf', { body: { kdfParams: rawKdfParams(0xffff_ffff) } });
    expect(await refusal(flows.logIn('alice', PASSPHRASE))).toBeInstanceOf(AccountError);
    http.on('POST', '/api/auth/kdf', { body: { kdfParams: 'AAEC' } });
    expect(await refusal(flows.logIn('alice', PASSPHRASE))).toBeInstanceOf(AccountError);
    expect(http.callsTo('POST', '/api/auth/login')).toEqual([]);
  });

  it('refuses a tampered bundle', async () => {
    const { http, flows } = serverFor(alice);
    const tampered = flipByte(alice.keyBundle, 40);
    http.on('POST', '/api/auth/login', { body: { user: alice.user, keyBundle: tampered } });
    const error = await refusal(flows.logIn('alice', PASSPHRASE));
    expect(error).toBeInstanceOf(AccountError);
    expect((error as AccountError).message).toMatch(/wouldn't decrypt/);
  });

  it('refuses a bundle that opens but holds other keys than the published ones', async () => {
    const { http, flows } = serverFor(alice);
    const swapped = toBase64(sealKeyBundle(createIdentity('alice'), alice.wrapKey));
    http.on('POST', '/api/auth/login', { body: { user: alice.user, keyBundle: swapped } });
    expect(await refusal(flows.logIn('alice', PASSPHRASE))).toMatchObject({ message: tamperedMessage() });
  });

  it('refuses a user record for another username', async () => {
    const { http, flows } = serverFor(alice);
    http.on('POST', '/api/auth/login', { body: { user: mallory.user, keyBundle: alice.keyBundle } });
    expect(await refusal(flows.logIn('alice', PASSPHRASE))).toMatchObject({ message: tamperedMessage() });
  });

  it('refuses published keys that were signed for another username', async () => {
    const { http, flows } = serverFor(alice);
    const forged = { ...alice.user, publicKeys: mallory.user.publicKeys };
    http.on('POST', '/api/auth/login', { body: { user: forged, keyBundle: alice.keyBundle } });
    expect(await refusal(flows.logIn('alice', PASSPHRASE))).toMatchObject({ message: tamperedMessage() });
  });

  it('does not pass a lost session off as a wrong passphrase', async () => {
    const { http, flows } = serverFor(alice);
    http.on('POST', '/api/auth/login', SESSION_EXPIRED);
    const error = await refusal(flows.logIn('alice', PASSPHRASE));
    expect(error).toBeInstanceOf(ApiError);
    expect(meansSessionLost(error)).toBe(true);
    expect(describeError(error)).toBe('Your session has ended. Log in again.');
  });

  it('asks for the missing fields before contacting the server', async () => {
    const { http, flows } = serverFor(alice);
    expect(errorField(await refusal(flows.logIn('  ', PASSPHRASE)))).toBe('username');
    expect(errorField(await refusal(flows.logIn('alice', '')))).toBe('passphrase');
    expect(http.calls).toEqual([]);
  });
});

describe('unlock', () => {
  it('opens the bundle of the session’s account without logging in again', async () => {
    const { http, flows } = serverFor(alice);
    const user = await flows.whoAmI();
    const unlocked = await flows.unlock(user, PASSPHRASE);
    expect(http.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/account', 'GET /api/account/bundle']);
    expect(unlocked.user).toEqual(alice.user);
    expect(sameKeys(unlocked.identity, alice.identity)).toBe(true);
  });

  it('says "wrong passphrase" when the bundle does not open (nothing is sent: the check is local)', async () => {
    const { http, flows } = serverFor(alice);
    const error = await refusal(flows.unlock(alice.user, 'not the passphrase at all'));
    expect(error).toMatchObject({ message: 'Wrong passphrase', field: 'passphrase' });
    expect(http.calls.map((c) => c.method)).toEqual(['GET']);
  });

  it('refuses weak KDF parameters from the server', async () => {
    const { http, flows } = serverFor(alice);
    http.on('GET', '/api/account/bundle', { body: { kdfParams: rawKdfParams(599_999), keyBundle: alice.keyBundle } });
    expect(await refusal(flows.unlock(alice.user, PASSPHRASE))).toMatchObject({ message: unsafeKdfMessage() });
  });

  it('refuses a bundle that holds other keys than the published ones', async () => {
    const { http, flows } = serverFor(alice);
    const swapped = toBase64(sealKeyBundle(createIdentity('alice'), alice.wrapKey));
    http.on('GET', '/api/account/bundle', { body: { kdfParams: alice.kdfParams, keyBundle: swapped } });
    expect(await refusal(flows.unlock(alice.user, PASSPHRASE))).toMatchObject({ message: tamperedMessage() });
  });

  it('refuses a bundle that is not base64 or too short', async () => {
    const { http, flows } = serverFor(alice);
    http.on('GET', '/api/account/bundle', { body: { kdfParams: alice.kdfParams, keyBundle: 'AAAA' } });
    expect(await refusal(flows.unlock(alice.user, PASSPHRASE))).toMatchObject({ message: tamperedMessage() });
  });

  it('refuses a user record for another username than its keys were signed for', async () => {
    const { flows } = serverFor(alice);
    const forged = { ...alice.user, username: 'mallory' };
    expect(await refusal(flows.unlock(forged, PASSPHRASE))).toMatchObject({ message: tamperedMessage() });
  });

  it('does not open another account’s bundle', async () => {
    const { http, flows } = serverFor(alice);
    // Mallory's bundle, sealed under the same passphrase, handed out for Alice.
    http.on('GET', '/api/account/bundle', { body: { kdfParams: mallory.kdfParams, keyBundle: mallory.keyBundle } });
    expect(await refusal(flows.unlock(alice.user, PASSPHRASE))).toBeInstanceOf(AccountError);
  });

  it('reports a lost session to the session-lost listeners', async () => {
    const { http, flows, api } = serverFor(alice);
    let lost = 0;
    api.onSessionLost(() => lost++);
    http.on('GET', '/api/account/bundle', SESSION_EXPIRED);
    const error = await refusal(flows.unlock(alice.user, PASSPHRASE));
    expect(meansSessionLost(error)).toBe(true);
    expect(lost).toBe(1);
  });

  it('asks for the passphrase before contacting the server', async () => {
    const { http, flows } = serverFor(alice);
    expect(errorField(await refusal(flows.unlock(alice.user, '')))).toBe('passphrase');
    expect(http.calls).toEqual([]);
  });
});
