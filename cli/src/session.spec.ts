// The logged-in account's keys: after a passphrase change the re-sealed vault takes
// over (the old one is wiped at once), and log-out wipes every copy it was handed.
import type { BundleVault, Identity, User } from '@onionchat/client';
import { describe, expect, it, vi } from 'vitest';
import { accountOf, type Connection } from './session.js';

function fakeVault(): BundleVault {
  return { wipe: vi.fn() } as unknown as BundleVault;
}

function fakeConnection(logOut = vi.fn(async () => {})) {
  const jar = { clear: vi.fn() };
  return { connection: { client: { account: { logOut } }, jar } as unknown as Connection, jar, logOut };
}

/** Only the secret parts matter here: they are what log-out must zero. */
function fakeIdentity(): Identity {
  const secret = () => new Uint8Array(32).fill(7);
  return {
    username: 'vera',
    boxSecretKey: secret(),
    signSecretKey: secret(),
    signSeed: secret(),
    kem: null,
  } as unknown as Identity;
}

const user = { id: 'u-1', username: 'vera', createdAt: '2024-01-01T00:00:00.000Z' } as User;
const zeroed = (bytes: Uint8Array) => bytes.every((byte) => byte === 0);

describe('accountOf', () => {
  it('takes the re-sealed vault after a passphrase change and wipes both copies of the keys at log-out', async () => {
    const { connection, jar, logOut } = fakeConnection();
    const identity = fakeIdentity();
    const before = fakeVault();
    const account = accountOf(connection, { user, identity, vault: before });

    const resealed = { vault: fakeVault(), identity: { ...identity, signSeed: identity.signSeed.slice() } };
    account.useResealed(resealed);
    expect(account.vault).toBe(resealed.vault);
    expect(before.wipe).toHaveBeenCalledTimes(1);
    expect(resealed.vault.wipe).not.toHaveBeenCalled();
    expect(zeroed(resealed.identity.signSeed)).toBe(false);

    await account.logOut();
    expect(logOut).toHaveBeenCalledTimes(1);
    expect(jar.clear).toHaveBeenCalled();
    expect(resealed.vault.wipe).toHaveBeenCalledTimes(1);
    expect(zeroed(identity.signSeed)).toBe(true);
    expect(zeroed(resealed.identity.signSeed)).toBe(true);
  });

  it('wipes the keys even when the server cannot be told', async () => {
    const { connection } = fakeConnection(vi.fn(async () => Promise.reject(new Error('offline'))));
    const identity = fakeIdentity();
    const vault = fakeVault();
    const account = accountOf(connection, { user, identity, vault });
    await expect(account.logOut()).rejects.toThrow('offline');
    expect(vault.wipe).toHaveBeenCalled();
    expect(zeroed(identity.signSeed)).toBe(true);
  });
});
