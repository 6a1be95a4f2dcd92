// The vault's own rules: any extension can be saved through it, every save is the
// next revision with a KDF floor that never drops, and a bundle older than one the
// page has seen is refused, at open and at a reload (PROTOCOL.md §17).

import {
  BUNDLE_STATE_EXTENSION,
  KDF_DEFAULT_ITERATIONS,
  KDF_MIN_ITERATIONS,
  encodeBundleState,
  newUuid,
  type ContactPin,
} from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import { BundleServer, pinsExtension } from '../test-support/bundle-server.js';
import { Api } from '../transport/api.js';
import { BundleRollbackError, BundleVault, rolledBackMessage, bundleHistory } from './vault.js';

const KEM_SEED = 3;
const CHAIN_MARKS = 4;

function pin(username: string, verified = false): ContactPin {
  return { userId: newUuid(), username, signPublicKey: new Uint8Array(32).fill(7), verified };
}

describe('BundleVault extensions', () => {
  it('saves an extension beside the others, and reads it back', async () => {
    const other = { type: 200, value: Uint8Array.of(1, 2, 3) };
    const bob = pin('bob');
    const server = new BundleServer([pinsExtension([bob]), other]);
    const vault = server.vault();
    expect(vault.extension(KEM_SEED)).toBeNull();

    const seen: (Uint8Array | null)[] = [];
    await vault.saveExtension(KEM_SEED, (stored) => {
      seen.push(stored);
      return Uint8Array.of(1, 9, 9);
    });

    expect(seen).toEqual([null]);
    expect(vault.extension(KEM_SEED)).toEqual(Uint8Array.of(1, 9, 9));
    const stored = server.storedExtensions();
    expect(stored).toContainEqual(other);
    expect(stored).toContainEqual({ type: KEM_SEED, value: Uint8Array.of(1, 9, 9) });
    expect(server.storedPins()).toEqual([bob]);
    expect(vault.pins()).toEqual([bob]);
  });

  it('replaces the stored value of the type in place', async () => {
    const server = new BundleServer([{ type: CHAIN_MARKS, value: Uint8Array.of(1) }, pinsExtension([])]);
    const vault = server.vault();
    await vault.saveExtension(CHAIN_MARKS, (stored) => Uint8Array.of(...stored!, 2));
    expect(server.storedExtensions().filter((e) => e.type !== BUNDLE_STATE_EXTENSION)).toEqual([
      { type: CHAIN_MARKS, value: Uint8Array.of(1, 2) },
      pinsExtension([]),
    ]);
  });

  it('builds again from the freshly stored value after another session saved (409)', async () => {
    const server = new BundleServer([{ type: CHAIN_MARKS, value: Uint8Array.of(1) }]);
    const vault = server.vault();
    const carol = pin('carol', true);
    server.racers.push(() => server.storeElsewhere([carol], [{ type: CHAIN_MARKS, value: Uint8Array.of(5) }]));

    const seen: (number[] | null)[] = [];
    await vault.saveExtension(CHAIN_MARKS, (stored) => {
      seen.push(stored && [...stored]);
      return Uint8Array.of(...(stored ?? []), 6);
    });

    expect(seen).toEqual([[1], [5]]);
    expect(vault.extension(CHAIN_MARKS)).toEqual(Uint8Array.of(5, 6));
    // What the other session saved is kept.
    expect(server.storedPins()).toEqual([carol]);
    expect(server.storedState().revision).toBe(2);
  });

  it('keeps the bundle state to itself', async () => {
    const server = new BundleServer();
    const vault = server.vault();
    await expect(vault.saveExtension(BUNDLE_STATE_EXTENSION, () => new Uint8Array(13))).rejects.toThrow(
      /written by the vault/,
    );
    expect(server.posts()).toBe(0);
  });
});

describe('BundleVault revision and KDF floor', () => {
  it('writes the next revision on every save, with the iterations in use as the floor', async () => {
    const server = new BundleServer();
    const vault = server.vault();
    expect(server.storedState()).toEqual({ revision: 0, kdfFloor: 0 });
    await vault.savePins([pin('bob')], (stored) => stored);
    expect(server.storedState()).toEqual({ revision: 1, kdfFloor: KDF_MIN_ITERATIONS });
    await vault.saveExtension(KEM_SEED, () => Uint8Array.of(1));
    expect(server.storedState()).toEqual({ revision: 2, kdfFloor: KDF_MIN_ITERATIONS });
  });

  it('never lowers the floor a bundle carries', async () => {
    const state = { type: BUNDLE_STATE_EXTENSION, value: encodeBundleState({ revision: 7, kdfFloor: 3_000_000 }) };
    const server = new BundleServer([state]);
    const api = new Api(server.http);
    const vault = server.vault(api);
    await vault.saveExtension(KEM_SEED, () => Uint8Array.of(1));
    expect(server.storedState()).toEqual({ revision: 8, kdfFloor: 3_000_000 });
    // The page learnt it too, for a later log-in.
    expect(bundleHistory(api).of('alice')).toEqual({ revision: 8, kdfFloor: 3_000_000 });
  });

  it('refuses to open a bundle older than one this page has seen, and wipes the wrap key', async () => {
    const server = new BundleServer();
    const api = new Api(server.http);
    const older = server.sealed;
    await server.vault(api).saveExtension(KEM_SEED, () => Uint8Array.of(1));
    await server.vault(api).saveExtension(KEM_SEED, () => Uint8Array.of(2));

    // The page logs in again and the server hands out the first copy.
    server.sealed = older;
    const wrapKey = server.wrapKey.slice();
    const open = () => new BundleVault(api, server.userId, server.identity, wrapKey, older, [], KDF_MIN_ITERATIONS);
    expect(open).toThrow(BundleRollbackError);
    expect(open).toThrow(rolledBackMessage());
    expect(wrapKey.every((byte) => byte === 0)).toBe(true);

    // A new page has seen nothing, so it cannot tell.
    expect(() => server.vault()).not.toThrow();
  });

  it('refuses an older bundle at a reload, and saves nothing over it', async () => {
    const server = new BundleServer();
    const vault = server.vault();
    await vault.saveExtension(KEM_SEED, () => Uint8Array.of(1));
    const older = server.sealed;
    await vault.saveExtension(KEM_SEED, () => Uint8Array.of(2));
    server.sealed = older;

    await expect(vault.saveExtension(KEM_SEED, () => Uint8Array.of(3))).rejects.toThrow(BundleRollbackError);
    expect(server.sealed).toBe(older);
    expect(server.posts()).toBe(3);
    // Still refused on the next try, and still nothing saved.
    await expect(vault.saveExtension(KEM_SEED, () => Uint8Array.of(3))).rejects.toThrow(rolledBackMessage());
    expect(server.sealed).toBe(older);
  });

  it('accepts the same revision again, and newer ones', async () => {
    const server = new BundleServer();
    const api = new Api(server.http);
    await server.vault(api).saveExtension(KEM_SEED, () => Uint8Array.of(1));
    expect(() => server.vault(api)).not.toThrow();
    server.storeElsewhere([]);
    expect(() => server.vault(api)).not.toThrow();
    expect(bundleHistory(api).of('alice').revision).toBe(2);
  });

  it('leaves a bundle state it cannot read untouched', async () => {
    const newer = { type: BUNDLE_STATE_EXTENSION, value: Uint8Array.of(2, ...new Uint8Array(12)) };
    const server = new BundleServer([newer]);
    const vault = server.vault();
    expect(vault.unreadable).toMatch(/newer version of OnionChat/);
    await expect(vault.saveExtension(KEM_SEED, () => Uint8Array.of(1))).rejects.toThrow(/newer version/);
    expect(server.posts()).toBe(0);
  });

  it('remembers per page, per account, only upwards', () => {
    const history = bundleHistory(new Api(new BundleServer().http));
    history.accept('alice', { revision: 4, kdfFloor: 700_000 });
    history.useIterations('alice', KDF_MIN_ITERATIONS);
    history.accept('alice', { revision: 5, kdfFloor: 0 });
    expect(history.of('alice')).toEqual({ revision: 5, kdfFloor: 700_000 });
    expect(() => history.accept('alice', { revision: 4, kdfFloor: KDF_DEFAULT_ITERATIONS })).toThrow(
      BundleRollbackError,
    );
    expect(history.of('alice')).toEqual({ revision: 5, kdfFloor: 700_000 });
    expect(history.of('bob')).toEqual({ revision: 0, kdfFloor: 0 });
  });
});
