// Contact pins and the vault they are saved in: first sight pins, the pinned key
// passes, another key or name is a change; saves are signed bundle updates, and a 409
// (another session saved first) is merged, this session's own decisions winning.

import {
  CONTACT_PINS_EXTENSION,
  createIdentity,
  newUuid,
  openKeyBundle,
  sealKeyBundle,
  type BundleExtension,
  type ContactPin,
} from '@onionchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { BundleServer, pinsExtension, sortPins } from '../test-support/bundle-server.js';
import { ContactPins } from './pins.js';
import { rolledBackMessage, type BundleVault } from './vault.js';

const bobKey = createIdentity('bob').signPublicKey;
const bobId = newUuid();

function pin(username: string, verified = false, userId = newUuid()): ContactPin {
  return { userId, username, signPublicKey: createIdentity(username).signPublicKey, verified };
}

let running: ContactPins[] = [];

function pinsOf(vault: BundleVault | null): ContactPins {
  const pins = new ContactPins(vault);
  running.push(pins);
  return pins;
}

afterEach(() => {
  for (const pins of running) pins.stop();
  running = [];
});

describe('ContactPins', () => {
  it('pins on first sight, then says same or changed (another key, or the same key under another name)', () => {
    const pins = pinsOf(null);
    expect(pins.check(bobId, 'bob', bobKey)).toBe('new');
    expect(pins.get(bobId)).toEqual({ userId: bobId, username: 'bob', signPublicKey: bobKey, verified: false });
    expect(pins.check(bobId, 'bob', bobKey.slice())).toBe('same');
    expect(pins.check(bobId, 'bob', createIdentity('bob').signPublicKey)).toBe('changed');
    expect(pins.check(bobId, 'robert', bobKey)).toBe('changed');
    // The pin is not moved by a change.
    expect(pins.get(bobId)!.signPublicKey).toEqual(bobKey);
  });

  it('indexes pins by username too: a known name under a new id, or a known id with a new name, is a change', () => {
    const pins = pinsOf(null);
    pins.check(bobId, 'bob', bobKey);
    const newId = newUuid();
    expect(pins.check(newId, 'bob', bobKey)).toBe('changed');
    expect(pins.check(newId, ' Bob', createIdentity('bob').signPublicKey)).toBe('changed');
    expect(pins.check(bobId, 'robert', bobKey)).toBe('changed');
    // Nothing pinned for the new id; the pin it would replace is bob's.
    expect(pins.get(newId)).toBeNull();
    expect(pins.pinFor(newId, 'bob')).toEqual(pins.get(bobId));
    expect(pins.pinFor(bobId, 'robert')).toEqual(pins.get(bobId));
    expect(pins.pinFor(newId, 'robert')).toBeNull();
    expect(pins.check(newId, 'robert', bobKey)).toBe('new');
  });

  it('accepting a known name under a new id re-pins it there and drops the old id’s pin', () => {
    const pins = pinsOf(null);
    pins.check(bobId, 'bob', bobKey);
    const carol = pin('carol');
    pins.check(carol.userId, 'carol', carol.signPublicKey);
    const newId = newUuid();
    const newKey = createIdentity('bob').signPublicKey;
    pins.trust(newId, 'Bob', newKey, false);
    expect(pins.get(bobId)).toBeNull();
    expect(pins.get(newId)).toMatchObject({ signPublicKey: newKey, verified: false });
    expect(pins.check(newId, 'bob', newKey)).toBe('same');
    // The old id under that name is now the change; other contacts are untouched.
    expect(pins.check(bobId, 'bob', bobKey)).toBe('changed');
    expect(pins.get(carol.userId)).not.toBeNull();
  });

  it('keeps its own copy of a pinned key', () => {
    const pins = pinsOf(null);
    const key = bobKey.slice();
    pins.check(bobId, 'bob', key);
    key.fill(0);
    expect(pins.check(bobId, 'bob', bobKey)).toBe('same');
  });

  it('never pins a malformed key', () => {
    const pins = pinsOf(null);
    expect(() => pins.check(bobId, 'bob', bobKey.subarray(1))).toThrow();
    expect(pins.get(bobId)).toBeNull();
  });

  it('records the person’s decision and tells the listeners', () => {
    const pins = pinsOf(null);
    let heard = 0;
    const unsubscribe = pins.subscribe(() => heard++);
    pins.check(bobId, 'bob', bobKey);
    const newKey = createIdentity('bob').signPublicKey;
    pins.trust(bobId, 'bob', newKey, true);
    expect(pins.get(bobId)).toMatchObject({ signPublicKey: newKey, verified: true });
    expect(pins.check(bobId, 'bob', newKey)).toBe('same');
    expect(heard).toBe(2);
    unsubscribe();
    pins.trust(bobId, 'bob', newKey, false);
    expect(heard).toBe(2);
  });

  it('starts from the pins stored in the bundle', () => {
    const carol = pin('carol', true);
    const server = new BundleServer([pinsExtension([carol])]);
    const pins = pinsOf(server.vault());
    expect(pins.get(carol.userId)).toEqual(carol);
    expect(pins.check(carol.userId, 'carol', carol.signPublicKey)).toBe('same');
  });
});

describe('saving pins to the vault', () => {
  it('saves a signed update of the bundle that keeps the identity and other extensions', async () => {
    const other: BundleExtension = { type: 200, value: Uint8Array.of(1, 2, 3) };
    const server = new BundleServer([other]);
    const vault = server.vault();
    const pins = pinsOf(vault);
    let heard = 0;
    pins.subscribe(() => heard++);

    pins.check(bobId, 'bob', bobKey);
    await pins.flush();

    expect(server.posts()).toBe(1);
    expect(pins.saveProblem).toBeNull();
    expect(server.storedPins()).toEqual([{ userId: bobId, username: 'bob', signPublicKey: bobKey, verified: false }]);
    const opened = openKeyBundle(server.sealed, server.wrapKey, 'alice', server.identity);
    expect(opened.extensions).toContainEqual(other);
    expect(vault.pins()).toEqual(server.storedPins());
    expect(heard).toBe(2); // the pin, then the save

    // The next save names the bundle just stored.
    pins.trust(bobId, 'bob', bobKey, true);
    await pins.flush();
    expect(server.posts()).toBe(2);
    expect(server.storedPins()[0]!.verified).toBe(true);
  });

  it('merges with pins another session saved meanwhile (409 bundle_changed), keeping its own decisions', async () => {
    const server = new BundleServer();
    const pins = pinsOf(server.vault());
    pins.check(bobId, 'bob', bobKey);
    pins.trust(bobId, 'bob', bobKey, true);

    // Meanwhile another session pinned Carol, and pinned Bob unverified.
    const carol = pin('carol');
    server.racers.push(() =>
      server.storeElsewhere([carol, { userId: bobId, username: 'bob', signPublicKey: bobKey, verified: false }]),
    );
    await pins.flush();

    expect(server.http.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /api/account/bundle',
      'GET /api/account/bundle',
      'POST /api/account/bundle',
    ]);
    expect(pins.saveProblem).toBeNull();
    expect(server.storedPins()).toEqual(
      sortPins([carol, { userId: bobId, username: 'bob', signPublicKey: bobKey, verified: true }]),
    );
    // Carol's pin is known here now too.
    expect(pins.get(carol.userId)).toEqual(carol);
  });

  it('keeps a verified mark another session saved when merging after a 409, also for a contact pinned here', async () => {
    const server = new BundleServer();
    const pins = pinsOf(server.vault());
    pins.check(bobId, 'bob', bobKey);
    await pins.flush();
    // Another session compared safety numbers with Bob and saved; this one has Bob unverified.
    const bobVerified: ContactPin = { userId: bobId, username: 'bob', signPublicKey: bobKey, verified: true };
    server.storeElsewhere([bobVerified]);
    const carol = pin('carol');
    pins.check(carol.userId, 'carol', carol.signPublicKey);
    await pins.flush();

    expect(server.http.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /api/account/bundle',
      'POST /api/account/bundle',
      'GET /api/account/bundle',
      'POST /api/account/bundle',
    ]);
    expect(pins.saveProblem).toBeNull();
    expect(server.storedPins()).toEqual(sortPins([bobVerified, carol]));
    expect(pins.get(bobId)?.verified).toBe(true);
  });

  it('takes a key change another session accepted for a contact this session left alone', async () => {
    const bob: ContactPin = { userId: bobId, username: 'bob', signPublicKey: bobKey, verified: true };
    const server = new BundleServer([pinsExtension([bob])]);
    const pins = pinsOf(server.vault());
    const newBob: ContactPin = { ...bob, signPublicKey: createIdentity('bob').signPublicKey, verified: false };
    server.storeElsewhere([newBob]);
    const carol = pin('carol');
    pins.check(carol.userId, 'carol', carol.signPublicKey);
    await pins.flush();

    expect(server.storedPins()).toEqual(sortPins([newBob, carol]));
    expect(pins.get(bobId)).toEqual(newBob);
  });

  it('refuses an older bundle handed out after a 409, and saves nothing over it', async () => {
    const server = new BundleServer();
    const pins = pinsOf(server.vault());
    pins.check(bobId, 'bob', bobKey);
    await pins.flush();
    const older = server.sealed;
    pins.trust(bobId, 'bob', bobKey, true);
    await pins.flush();
    expect(server.storedState().revision).toBe(2);

    // The server serves the copy it was told to replace (Bob not verified yet) again.
    server.sealed = older;
    const carol = pin('carol');
    pins.check(carol.userId, 'carol', carol.signPublicKey);
    await pins.flush();

    expect(server.http.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /api/account/bundle',
      'POST /api/account/bundle',
      'POST /api/account/bundle',
      'GET /api/account/bundle',
    ]);
    expect(server.sealed).toBe(older);
    expect(pins.saveProblem).toContain(rolledBackMessage());
    expect(pins.get(bobId)?.verified).toBe(true);
  });

  it('keeps the old id’s pin gone after accepting a name under a new id, also when merging a save', async () => {
    const carol = pin('carol');
    const oldBob: ContactPin = { userId: bobId, username: 'bob', signPublicKey: bobKey, verified: true };
    const server = new BundleServer([pinsExtension([oldBob, carol])]);
    const pins = pinsOf(server.vault());
    const newId = newUuid();
    const newKey = createIdentity('bob').signPublicKey;
    expect(pins.check(newId, 'bob', newKey)).toBe('changed');
    expect(pins.pinFor(newId, 'bob')?.verified).toBe(true);
    pins.trust(newId, 'bob', newKey, false);

    // Meanwhile another session saved, still with the old id's pin (and a new one for dave).
    const dave = pin('dave');
    server.racers.push(() => server.storeElsewhere([oldBob, carol, dave]));
    await pins.flush();

    expect(server.posts()).toBe(2);
    expect(pins.saveProblem).toBeNull();
    const newBob: ContactPin = { userId: newId, username: 'bob', signPublicKey: newKey, verified: false };
    expect(server.storedPins()).toEqual(sortPins([newBob, carol, dave]));
    expect(pins.get(bobId)).toBeNull();
    expect(pins.check(bobId, 'bob', bobKey)).toBe('changed');

    // A later session of the account starts without it too.
    const later = pinsOf(server.vault());
    expect(later.get(bobId)).toBeNull();
    expect(later.check(newId, 'bob', newKey)).toBe('same');
  });

  it('gives up after repeated conflicts and says why', async () => {
    const server = new BundleServer();
    const pins = pinsOf(server.vault());
    pins.check(bobId, 'bob', bobKey);
    for (let i = 0; i < 3; i++) server.racers.push(() => server.storeElsewhere([pin(`racer${i}`)]));
    await pins.flush();
    expect(server.posts()).toBe(3);
    expect(pins.saveProblem).toMatch(/^Safety numbers could not be saved to your account yet \(/);
  });

  it('refuses a stored bundle that does not open on reload', async () => {
    const server = new BundleServer();
    const pins = pinsOf(server.vault());
    pins.check(bobId, 'bob', bobKey);
    server.racers.push(() => {
      server.sealed = sealKeyBundle(createIdentity('alice'), server.wrapKey);
    });
    await pins.flush();
    expect(pins.saveProblem).not.toBeNull();
    expect(server.posts()).toBe(1);
  });

  it('leaves unreadable stored pins untouched', async () => {
    const garbage: BundleExtension = { type: CONTACT_PINS_EXTENSION, value: Uint8Array.of(9, 9, 9) };
    const server = new BundleServer([garbage]);
    const vault = server.vault();
    expect(vault.unreadable).toMatch(/could not be read/);
    const pins = pinsOf(vault);
    expect(pins.saveProblem).toBe(vault.unreadable);
    pins.check(bobId, 'bob', bobKey);
    await pins.flush();
    expect(server.posts()).toBe(0);
    await expect(vault.savePins([], (stored) => stored)).rejects.toThrow(/could not be read/);
  });

  it('stops for good when another session stored pins this client cannot read', async () => {
    const server = new BundleServer();
    const vault = server.vault();
    const pins = pinsOf(vault);
    pins.check(bobId, 'bob', bobKey);
    const newer: BundleExtension = { type: CONTACT_PINS_EXTENSION, value: Uint8Array.of(2, 0, 0, 0, 0) };
    server.racers.push(() => {
      server.sealed = sealKeyBundle(server.identity, server.wrapKey, [newer]);
    });
    await pins.flush();

    expect(server.posts()).toBe(1);
    expect(vault.unreadable).toMatch(/could not be read/);
    expect(pins.saveProblem).toMatch(/could not be read/);
    const stored = openKeyBundle(server.sealed, server.wrapKey, 'alice').extensions;
    expect(stored).toEqual([newer]);
  });

  it('does not save once the keys are wiped', async () => {
    const server = new BundleServer();
    const vault = server.vault();
    vault.wipe();
    await expect(vault.savePins([pin('carol')], (stored) => stored)).rejects.toThrow('the keys were locked');
    expect(server.posts()).toBe(0);
  });

  it('saves into the vault it is handed after a passphrase change, not the wiped one', async () => {
    const server = new BundleServer();
    const before = server.vault();
    const pins = pinsOf(before);
    pins.check(bobId, 'bob', bobKey);
    await pins.flush();
    // The change re-seals the bundle (here: the same wrap key, opened afresh) and the old vault is wiped.
    before.wipe();
    pins.useVault(server.vault());
    pins.trust(bobId, 'bob', bobKey, true);
    await pins.flush();
    expect(pins.saveProblem).toBeNull();
    expect(server.posts()).toBe(2);
    expect(server.storedPins()).toEqual([{ userId: bobId, username: 'bob', signPublicKey: bobKey, verified: true }]);
  });

  it('does not save after stop()', async () => {
    const server = new BundleServer();
    const pins = pinsOf(server.vault());
    pins.check(bobId, 'bob', bobKey);
    pins.stop();
    await pins.flush();
    expect(server.posts()).toBe(0);
  });
});
