// What a page has seen of an account holds for the page's lifetime: a later log-in or
// unlock in the same page refuses KDF parameters below the iterations the account
// already used (before the passphrase is used with them) and a key bundle older than
// one it already opened (PROTOCOL.md §17).

import type { User } from '@onionchat/contract';
import {
  BUNDLE_STATE_EXTENSION,
  KDF_MIN_ITERATIONS,
  KEM_SEED_EXTENSION,
  createIdentity,
  deriveAccountKeys,
  encodeBundleState,
  encodeKdfParams,
  encodeKemSeed,
  encodePublicKeys,
  newKdfParams,
  newUuid,
  sealKeyBundle,
  toBase64,
  type BundleExtension,
} from '@onionchat/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../describe-error.js';
import { FakeHttp, type FakeCall } from '../test-support/fake-http.js';
import { Api } from '../transport/api.js';
import { BundleRollbackError, rolledBackMessage } from '../trust/vault.js';
import { AccountError, AccountFlows, unsafeKdfMessage, WRONG_CREDENTIALS_MESSAGE } from './account.js';
import { loweredKdfMessage, unreadableKdfMessage, decodeServerKdfParams, knownKdfFloor } from './sealed-keys.js';

const PASSPHRASE = 'violet kettle drums at noon';
const ORIGIN = 'http://example.onion';
/** Above the minimum, so a server can offer less without going under it. */
const ITERATIONS = 700_000;

function kdfParamsOf(iterations: number): string {
  return toBase64(encodeKdfParams(newKdfParams(iterations)));
}

/** Alice as the server stores her (a current account: v2 record, KEM seed), and bundles sealed for her. */
interface Account {
  user: User;
  kdfParams: string;
  authKey: string;
  sealAt(revision: number): string;
}

async function storedAccount(): Promise<Account> {
  const identity = createIdentity('alice');
  const id = newUuid();
  const params = newKdfParams(ITERATIONS);
  const { authKey, wrapKey } = await deriveAccountKeys(PASSPHRASE, 'alice', params);
  const kemSeed: BundleExtension = { type: KEM_SEED_EXTENSION, value: encodeKemSeed(identity.kem!.seed) };
  return {
    user: { id, username: 'alice', publicKeys: toBase64(encodePublicKeys(identity, id)), createdAt: 'then' },
    kdfParams: toBase64(encodeKdfParams(params)),
    authKey: toBase64(authKey),
    sealAt: (revision) => {
      const state = { type: BUNDLE_STATE_EXTENSION, value: encodeBundleState({ revision, kdfFloor: ITERATIONS }) };
      return toBase64(sealKeyBundle(identity, wrapKey, [kemSeed, state]));
    },
  };
}

/** The server's answers for Alice; `served` is what it hands out now. */
function serverFor(account: Account) {
  const served = { kdfParams: account.kdfParams, keyBundle: account.sealAt(2) };
  const http = new FakeHttp();
  http.on('POST', '/api/auth/kdf', () => ({ body: { kdfParams: served.kdfParams } }));
  http.on('POST', '/api/auth/login', (call: FakeCall) => {
    const body = call.body as { authKey: string };
    if (body.authKey !== account.authKey) {
      return { status: 401, body: { code: 'wrong_credentials', message: 'Wrong username or passphrase.' } };
    }
    return { body: { user: account.user, keyBundle: served.keyBundle } };
  });
  http.on('GET', '/api/account/bundle', () => ({ body: served }));
  return { http, served, flows: new AccountFlows(new Api(http), ORIGIN) };
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a refusal'),
    (error: unknown) => error,
  );
}

let alice: Account;

beforeAll(async () => {
  alice = await storedAccount();
});

describe('decodeServerKdfParams', () => {
  it('accepts parameters at or above the floor', () => {
    expect(decodeServerKdfParams(kdfParamsOf(ITERATIONS), ITERATIONS).iterations).toBe(ITERATIONS);
    expect(decodeServerKdfParams(kdfParamsOf(ITERATIONS), 0).iterations).toBe(ITERATIONS);
  });

  it('refuses parameters below the floor, below the minimum, or unreadable, each in its own words', () => {
    const refused = (base64: string, floor: number) => {
      try {
        decodeServerKdfParams(base64, floor);
      } catch (error) {
        expect(error).toBeInstanceOf(AccountError);
        return (error as Error).message;
      }
      return expect.fail('expected a refusal');
    };
    expect(refused(kdfParamsOf(KDF_MIN_ITERATIONS), ITERATIONS)).toBe(loweredKdfMessage());
    const tooFew = toBase64(Uint8Array.of(1, 1, 0, 0, 0x03, 0xe8, 16, ...new Uint8Array(16)));
    expect(refused(tooFew, 0)).toBe(unsafeKdfMessage());
    expect(refused(toBase64(Uint8Array.of(1, 2, 3)), 0)).toBe(unreadableKdfMessage());
  });
});

describe('a later log-in in the same page', () => {
  it('refuses KDF parameters below those the account used, before sending anything', async () => {
    const { http, served, flows } = serverFor(alice);
    const api = new Api(http);
    const page = new AccountFlows(api, ORIGIN);
    await page.logIn('alice', PASSPHRASE);
    expect(knownKdfFloor(api, 'alice')).toBe(ITERATIONS);

    // The session is lost, and the server now offers a cheaper count for the account.
    served.kdfParams = kdfParamsOf(KDF_MIN_ITERATIONS);
    expect(describeError(await refusal(page.logIn('alice', PASSPHRASE)))).toBe(loweredKdfMessage());
    expect(describeError(await refusal(page.unlock(alice.user, PASSPHRASE)))).toBe(loweredKdfMessage());
    expect(http.callsTo('POST', '/api/auth/login')).toHaveLength(1);

    // Another page has seen nothing of the account: only the minimum holds there.
    expect(knownKdfFloor(new Api(http), 'alice')).toBe(0);
    expect(describeError(await refusal(flows.logIn('alice', PASSPHRASE)))).toBe(WRONG_CREDENTIALS_MESSAGE);
    expect(http.callsTo('POST', '/api/auth/login')).toHaveLength(2);
  });

  it('refuses a key bundle older than the one an earlier log-in in the page opened', async () => {
    const { served, flows } = serverFor(alice);
    await flows.logIn('alice', PASSPHRASE);

    served.keyBundle = alice.sealAt(1);
    const error = await refusal(flows.logIn('alice', PASSPHRASE));
    expect(error).toBeInstanceOf(BundleRollbackError);
    expect(describeError(error)).toBe(rolledBackMessage());
    expect(await refusal(flows.unlock(alice.user, PASSPHRASE))).toBeInstanceOf(BundleRollbackError);

    // The same revision again, or a newer one, opens.
    served.keyBundle = alice.sealAt(2);
    await expect(flows.unlock(alice.user, PASSPHRASE)).resolves.toMatchObject({ user: alice.user });
    served.keyBundle = alice.sealAt(3);
    await expect(flows.logIn('alice', PASSPHRASE)).resolves.toMatchObject({ user: alice.user });
  });
});
