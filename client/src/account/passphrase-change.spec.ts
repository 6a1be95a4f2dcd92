// Changing the passphrase against recorded server answers made with the real protocol:
// the same keys and pins under a new wrapping, and every refusal before anything is sent.

import type { ChangePassphraseBody, User } from '@onionchat/contract';
import {
  BUNDLE_STATE_EXTENSION,
  CONTACT_PINS_EXTENSION,
  KDF_DEFAULT_ITERATIONS,
  KDF_MIN_ITERATIONS,
  KDF_SALT_BYTES,
  createIdentity,
  decodeKdfParams,
  deriveAccountKeys,
  encodeBundleState,
  encodeContactPins,
  encodeKdfParams,
  encodePublicKeys,
  equalBytes,
  fromBase64,
  newKdfParams,
  newUuid,
  openKeyBundle,
  randomBytes,
  sealKeyBundle,
  toBase64,
  type BundleExtension,
  type ContactPin,
  type Identity,
} from '@onionchat/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeError, errorField } from '../describe-error.js';
import { FakeHttp } from '../test-support/fake-http.js';
import { meansSessionLost } from '../transport/api-error.js';
import { Api } from '../transport/api.js';
import { BundleRollbackError, rolledBackMessage, bundleHistory } from '../trust/vault.js';
import { AccountError, AccountFlows, tamperedMessage, unsafeKdfMessage } from './account.js';
import { loweredKdfMessage } from './sealed-keys.js';

const CURRENT = 'violet kettle drums at noon';
const NEXT = 'seven quiet harbour lamps';

interface StoredAccount {
  user: User;
  identity: Identity;
  kdfParams: string;
  authKey: string;
  keyBundle: string;
}

const pin: ContactPin = {
  userId: newUuid(),
  username: 'bob',
  signPublicKey: createIdentity('bob').signPublicKey,
  verified: true,
};

/** Alice as the server stores her, with a contact pin (and `more`) in her bundle (smallest accepted KDF cost). */
async function storedAccount(more: BundleExtension[] = []): Promise<StoredAccount> {
  const identity = createIdentity('alice');
  const params = newKdfParams(KDF_MIN_ITERATIONS);
  const { authKey, wrapKey } = await deriveAccountKeys(CURRENT, 'alice', params);
  const extensions = [{ type: CONTACT_PINS_EXTENSION, value: encodeContactPins([pin]) }, ...more];
  const id = newUuid();
  return {
    user: { id, username: 'alice', publicKeys: toBase64(encodePublicKeys(identity, id)), createdAt: 'then' },
    identity,
    kdfParams: toBase64(encodeKdfParams(params)),
    authKey: toBase64(authKey),
    keyBundle: toBase64(sealKeyBundle(identity, wrapKey, extensions)),
  };
}

function weakKdfParams(): string {
  const bytes = new Uint8Array(7 + KDF_SALT_BYTES);
  bytes.set([1, 1, 0, 0, 0x03, 0xe8, KDF_SALT_BYTES]);
  bytes.set(randomBytes(KDF_SALT_BYTES), 7);
  return toBase64(bytes);
}

function server(account: StoredAccount) {
  const http = new FakeHttp();
  http.on('GET', '/api/account/bundle', { body: { kdfParams: account.kdfParams, keyBundle: account.keyBundle } });
  http.on('POST', '/api/account/passphrase', (call) => {
    const body = call.body as ChangePassphraseBody;
    if (body.currentAuthKey !== account.authKey) {
      return { status: 401, body: { code: 'wrong_credentials', message: 'Wrong passphrase.' } };
    }
    return { body: { user: account.user } };
  });
  const api = new Api(http);
  return { http, api, flows: new AccountFlows(api, 'http://example.onion') };
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the change to be refused'),
    (error: unknown) => error,
  );
}

let alice: StoredAccount;

beforeAll(async () => {
  alice = await storedAccount();
});

describe('changePassphrase', () => {
  it('re-seals the same identity and pins under the new passphrase with fresh KDF parameters', async () => {
    const { http, flows } = server(alice);
    const unlocked = await flows.changePassphrase(alice.user, null, CURRENT, NEXT);

    const [sent] = http.callsTo('POST', '/api/account/passphrase');
    const body = sent!.body as ChangePassphraseBody;
    expect(body.currentAuthKey).toBe(alice.authKey);
    expect(JSON.stringify(body)).not.toContain(NEXT);
    const params = decodeKdfParams(fromBase64(body.kdfParams));
    expect(params.iterations).toBe(KDF_DEFAULT_ITERATIONS);
    expect(body.kdfParams).not.toBe(alice.kdfParams);

    const derived = await deriveAccountKeys(NEXT, 'alice', params);
    expect(body.authKey).toBe(toBase64(derived.authKey));
    const opened = openKeyBundle(fromBase64(body.keyBundle), derived.wrapKey, 'alice', alice.identity);
    expect(equalBytes(opened.identity.signSeed, alice.identity.signSeed)).toBe(true);
    // The next revision of the bundle, whose KDF floor is the new cost.
    expect(opened.extensions).toEqual([
      { type: CONTACT_PINS_EXTENSION, value: encodeContactPins([pin]) },
      { type: BUNDLE_STATE_EXTENSION, value: encodeBundleState({ revision: 1, kdfFloor: KDF_DEFAULT_ITERATIONS }) },
    ]);

    expect(unlocked.user).toEqual(alice.user);
    expect(equalBytes(unlocked.identity.boxPublicKey, alice.identity.boxPublicKey)).toBe(true);
    expect(unlocked.vault.pins()).toEqual([pin]);
  });

  it('prefers the identity already unlocked over the server’s published record', async () => {
    const { flows } = server(alice);
    const forged = { ...alice.user, publicKeys: toBase64(encodePublicKeys(createIdentity('alice'), alice.user.id)) };
    const unlocked = await flows.changePassphrase(forged, alice.identity, CURRENT, NEXT);
    expect(equalBytes(unlocked.identity.signPublicKey, alice.identity.signPublicKey)).toBe(true);
    // Without it (in another page: this one now knows the account uses more iterations),
    // the forged record does not match the bundle.
    expect(await refusal(server(alice).flows.changePassphrase(forged, null, CURRENT, NEXT))).toMatchObject({
      message: tamperedMessage(),
    });
  });

  it('says the current passphrase is wrong when the bundle does not open, before sending anything', async () => {
    const { http, flows } = server(alice);
    const error = await refusal(flows.changePassphrase(alice.user, null, 'some other passphrase', NEXT));
    expect(error).toBeInstanceOf(AccountError);
    expect(describeError(error)).toBe('Your current passphrase is wrong.');
    expect(errorField(error)).toBe('current-passphrase');
    expect(http.callsTo('POST', '/api/account/passphrase')).toEqual([]);
  });

  it('says the current passphrase is wrong when the server answers 401 wrong_credentials', async () => {
    const { flows } = server({ ...alice, authKey: 'something else' });
    const error = await refusal(flows.changePassphrase(alice.user, null, CURRENT, NEXT));
    expect(error).toMatchObject({ message: 'Your current passphrase is wrong.', field: 'current-passphrase' });
  });

  it('refuses a new passphrase that is the same as the old one (after normalising), without a request', async () => {
    const { http, flows } = server(alice);
    // U+FF56 (fullwidth v) is NFKC-equal to "v".
    const error = await refusal(flows.changePassphrase(alice.user, null, CURRENT, `\uff56${CURRENT.slice(1)}`));
    expect(error).toMatchObject({ field: 'new-passphrase' });
    expect((error as AccountError).message).toMatch(/same as your current one/);
    expect(http.calls).toEqual([]);
  });

  it('refuses a weak new passphrase and an empty current one, without a request', async () => {
    const { http, flows } = server(alice);
    expect(errorField(await refusal(flows.changePassphrase(alice.user, null, CURRENT, 'password2024')))).toBe(
      'new-passphrase',
    );
    expect(errorField(await refusal(flows.changePassphrase(alice.user, null, '', NEXT)))).toBe('current-passphrase');
    expect(http.calls).toEqual([]);
  });

  it('refuses weak KDF parameters from the server before sending anything', async () => {
    const { http, flows } = server(alice);
    http.on('GET', '/api/account/bundle', { body: { kdfParams: weakKdfParams(), keyBundle: alice.keyBundle } });
    expect(await refusal(flows.changePassphrase(alice.user, null, CURRENT, NEXT))).toMatchObject({
      message: unsafeKdfMessage(),
    });
    expect(http.callsTo('POST', '/api/account/passphrase')).toEqual([]);
  });

  it('passes a lost session on', async () => {
    const { http, flows } = server(alice);
    http.on('POST', '/api/account/passphrase', {
      status: 401,
      body: { code: 'not_logged_in', message: 'Log in first.' },
    });
    const error = await refusal(flows.changePassphrase(alice.user, null, CURRENT, NEXT));
    expect(meansSessionLost(error)).toBe(true);
  });
});

describe('changePassphrase against what the page has seen', () => {
  it('never picks fewer iterations than the floor the bundle carries, and seals the next revision', async () => {
    const floor = 1_200_000;
    const state = { type: BUNDLE_STATE_EXTENSION, value: encodeBundleState({ revision: 4, kdfFloor: floor }) };
    const account = await storedAccount([state]);
    const { http, api, flows } = server(account);
    await flows.changePassphrase(account.user, null, CURRENT, NEXT);

    const body = http.callsTo('POST', '/api/account/passphrase')[0]!.body as ChangePassphraseBody;
    expect(decodeKdfParams(fromBase64(body.kdfParams)).iterations).toBe(floor);
    expect(bundleHistory(api).of('alice')).toEqual({ revision: 5, kdfFloor: floor });
  });

  it('refuses lowered KDF parameters in a later change in the same page, before using the passphrase', async () => {
    const { http, flows } = server(alice);
    await flows.changePassphrase(alice.user, null, CURRENT, NEXT);
    // The server hands out the old, cheaper parameters again.
    const error = await refusal(flows.changePassphrase(alice.user, null, CURRENT, NEXT));
    expect(error).toBeInstanceOf(AccountError);
    expect(describeError(error)).toBe(loweredKdfMessage());
    expect(http.callsTo('POST', '/api/account/passphrase')).toHaveLength(1);
  });

  it('refuses an older bundle than one the page has seen, and seals nothing over it', async () => {
    const { http, api, flows } = server(alice);
    bundleHistory(api).accept('alice', { revision: 3, kdfFloor: KDF_MIN_ITERATIONS });
    const error = await refusal(flows.changePassphrase(alice.user, null, CURRENT, NEXT));
    expect(error).toBeInstanceOf(BundleRollbackError);
    expect(describeError(error)).toBe(rolledBackMessage());
    expect(http.callsTo('POST', '/api/account/passphrase')).toEqual([]);
  });

  it('does not re-seal a bundle state written by a newer client', async () => {
    const newer = { type: BUNDLE_STATE_EXTENSION, value: Uint8Array.of(2, ...new Uint8Array(12)) };
    const account = await storedAccount([newer]);
    const { http, flows } = server(account);
    const error = await refusal(flows.changePassphrase(account.user, null, CURRENT, NEXT));
    expect((error as AccountError).message).toMatch(/newer version of OnionChat/);
    expect(http.callsTo('POST', '/api/account/passphrase')).toEqual([]);
  });
});
