// The ML-KEM upgrade of an account made before ML-KEM keys existed, run by log-in and
// unlock against a fake server that keeps the bundle and the record as the real one does
// (409 on a stale bundle replacement, only a v2 record of the same identity published).

import type { PublishKeysBody, User } from '@onionchat/contract';
import {
  KDF_MIN_ITERATIONS,
  KEM_SEED_EXTENSION,
  addKemKeys,
  bundleDigest,
  createIdentity,
  decodePublicKeys,
  deriveAccountKeys,
  encodeKdfParams,
  encodeKemSeed,
  encodePublicKeysV1,
  equalBytes,
  fromBase64,
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
import { FakeHttp, type FakeCall, type FakeReply } from '../test-support/fake-http.js';
import { Api } from '../transport/api.js';
import { AccountFlows, tamperedMessage } from './account.js';

const PASSPHRASE = 'copper lanterns over the harbour';

interface OldAccount {
  user: User;
  identity: Identity;
  kdfParams: string;
  authKey: string;
  wrapKey: Uint8Array;
}

/** The server's copy of an account: what it stores changes as the client writes to it. */
class AccountServer {
  readonly http = new FakeHttp();
  keyBundle: string;
  user: User;
  /** What the keys route answers instead of storing, while set. */
  publishReply: FakeReply | null = null;

  constructor(readonly account: OldAccount) {
    this.user = account.user;
    this.keyBundle = toBase64(sealKeyBundle(account.identity, account.wrapKey));
    this.http.on('POST', '/api/auth/kdf', () => ({ body: { kdfParams: account.kdfParams } }));
    this.http.on('POST', '/api/auth/login', (call) => this.login(call));
    this.http.on('GET', '/api/account/bundle', () => ({
      body: { kdfParams: account.kdfParams, keyBundle: this.keyBundle },
    }));
    this.http.on('POST', '/api/account/bundle', (call) => this.replaceBundle(call));
    this.http.on('POST', '/api/account/keys', (call) => this.publish(call));
  }

  flows(): AccountFlows {
    return new AccountFlows(new Api(this.http), 'http://example.onion');
  }

  /** The extensions of the stored bundle, opened as the client would. */
  storedExtensions() {
    return openKeyBundle(fromBase64(this.keyBundle), this.account.wrapKey, this.user.username).extensions;
  }

  storedRecord() {
    return decodePublicKeys(fromBase64(this.user.publicKeys), this.user.username, this.user.id);
  }

  writes(): string[] {
    return this.http.calls
      .filter((call) => call.method === 'POST' && call.path.startsWith('/api/account/'))
      .map((call) => call.path);
  }

  private login(call: FakeCall): FakeReply {
    const body = call.body as { username: string; authKey: string };
    if (body.username !== this.user.username || body.authKey !== this.account.authKey) {
      return { status: 401, body: { code: 'wrong_credentials', message: 'Wrong username or passphrase.' } };
    }
    return { body: { user: this.user, keyBundle: this.keyBundle } };
  }

  private replaceBundle(call: FakeCall): FakeReply {
    const body = call.body as { keyBundle: string; replaces: string };
    if (body.replaces !== toBase64(bundleDigest(fromBase64(this.keyBundle)))) {
      return { status: 409, body: { code: 'bundle_changed', message: 'Your keys were updated meanwhile.' } };
    }
    this.keyBundle = body.keyBundle;
    return { status: 204 };
  }

  private publish(call: FakeCall): FakeReply {
    if (this.publishReply) return this.publishReply;
    const { publicKeys } = call.body as PublishKeysBody;
    const next = decodePublicKeys(fromBase64(publicKeys), this.user.username, this.user.id);
    const current = this.storedRecord();
    if (next.version !== 2 || !equalBytes(next.signPublicKey, current.signPublicKey)) {
      return { status: 400, body: { code: 'key_mismatch', message: 'Not the same identity.' } };
    }
    this.user = { ...this.user, publicKeys };
    return { body: { user: this.user } };
  }
}

let old: OldAccount;

beforeAll(async () => {
  const identity = { ...createIdentity('olga'), kem: null };
  const params = newKdfParams(KDF_MIN_ITERATIONS);
  const { authKey, wrapKey } = await deriveAccountKeys(PASSPHRASE, 'olga', params);
  old = {
    user: {
      id: newUuid(),
      username: 'olga',
      publicKeys: toBase64(encodePublicKeysV1(identity)),
      createdAt: '2024-01-01T00:00:00.000Z',
    },
    identity,
    kdfParams: toBase64(encodeKdfParams(params)),
    authKey: toBase64(authKey),
    wrapKey,
  };
});

describe('upgrading an account made before ML-KEM keys', () => {
  it('adds a KEM seed to the bundle at log-in, then publishes a v2 record with its key', async () => {
    const server = new AccountServer(old);
    const unlocked = await server.flows().logIn('olga', PASSPHRASE);

    expect(server.writes()).toEqual(['/api/account/bundle', '/api/account/keys']);
    const seed = kemSeedOf(server.storedExtensions());
    expect(seed).not.toBeNull();
    expect(unlocked.identity).toEqual(addKemKeys(old.identity, seed!));
    const record = server.storedRecord();
    expect(record.version).toBe(2);
    expect(record.kemPublicKey).toEqual(unlocked.identity.kem!.publicKey);
    expect(record.signPublicKey).toEqual(old.identity.signPublicKey);
    expect(unlocked.user).toEqual(server.user);
    expect(unlocked.vault.extension(KEM_SEED_EXTENSION)).toEqual(encodeKemSeed(seed!));
  });

  it('changes nothing at the next log-in', async () => {
    const server = new AccountServer(old);
    const first = await server.flows().logIn('olga', PASSPHRASE);
    const writes = server.writes().length;
    const second = await server.flows().logIn('olga', PASSPHRASE);
    expect(server.writes()).toHaveLength(writes);
    expect(second.identity).toEqual(first.identity);
  });

  it('repairs a log-in that stopped between the two steps', async () => {
    const server = new AccountServer(old);
    server.publishReply = 'drop';
    await expect(server.flows().logIn('olga', PASSPHRASE)).rejects.toThrow();
    const seed = kemSeedOf(server.storedExtensions());
    expect(seed).not.toBeNull();
    expect(server.storedRecord().version).toBe(1);

    server.publishReply = null;
    server.http.calls.length = 0;
    const unlocked = await server.flows().logIn('olga', PASSPHRASE);
    // The seed already stored is the one published: the bundle is not written again.
    expect(server.writes()).toEqual(['/api/account/keys']);
    expect(server.storedRecord().kemPublicKey).toEqual(addKemKeys(old.identity, seed!).kem!.publicKey);
    expect(unlocked.identity.kem!.seed).toEqual(seed);
  });

  it('keeps the seed another session added meanwhile, so both publish the same key', async () => {
    const server = new AccountServer(old);
    const theirs = randomBytes(64);
    const sealedByThem = toBase64(
      sealKeyBundle(old.identity, old.wrapKey, [{ type: KEM_SEED_EXTENSION, value: encodeKemSeed(theirs) }]),
    );
    // The other session saves its seed just after this one read the bundle.
    server.http.on('POST', '/api/auth/login', (call) => {
      const answer = { body: { user: server.user, keyBundle: server.keyBundle } };
      if ((call.body as { authKey: string }).authKey === old.authKey) server.keyBundle = sealedByThem;
      return answer;
    });
    const unlocked = await server.flows().logIn('olga', PASSPHRASE);
    expect(unlocked.identity.kem!.seed).toEqual(theirs);
    expect(kemSeedOf(server.storedExtensions())).toEqual(theirs);
    expect(server.storedRecord().kemPublicKey).toEqual(unlocked.identity.kem!.publicKey);
  });

  it('leaves a seed it cannot read (a newer client’s) as it is, and the account classical', async () => {
    const server = new AccountServer(old);
    const newer = { type: KEM_SEED_EXTENSION, value: Uint8Array.of(2, ...randomBytes(64)) };
    server.keyBundle = toBase64(sealKeyBundle(old.identity, old.wrapKey, [newer]));
    const unlocked = await server.flows().logIn('olga', PASSPHRASE);
    expect(unlocked.identity.kem).toBeNull();
    expect(server.writes()).toEqual([]);
    expect(server.storedRecord().version).toBe(1);
  });

  it('upgrades at unlock too', async () => {
    const server = new AccountServer(old);
    const unlocked = await server.flows().unlock(old.user, PASSPHRASE);
    expect(server.writes()).toEqual(['/api/account/bundle', '/api/account/keys']);
    expect(server.storedRecord().kemPublicKey).toEqual(unlocked.identity.kem!.publicKey);
  });

  it('refuses a server that answers the publication with other keys', async () => {
    const server = new AccountServer(old);
    server.publishReply = { body: { user: old.user } };
    await expect(server.flows().logIn('olga', PASSPHRASE)).rejects.toMatchObject({ message: tamperedMessage() });
  });
});
