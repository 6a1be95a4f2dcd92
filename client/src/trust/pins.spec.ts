// Contact pins and the vault they are saved in: first sight pins, the pinned key
// passes, another key or name is a change; saves are signed bundle updates, and a 409
// (another session saved first) is merged, this session's own decisions winning.

import type { BundleUpdateBody } from '@onionchat/contract';
import {
  CONTACT_PINS_EXTENSION,
  bundleDigest,
  createIdentity,
  decodeContactPins,
  encodeContactPins,
  fromBase64,
  newUuid,
  openKeyBundle,
  randomBytes,
  sealKeyBundle,
  toBase64,
  verifyBundleUpdate,
  type BundleExtension,
  type ContactPin,
  type Identity,
} from '@onionchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeHttp } from '../test-support/fake-http.js';
import { Api } from '../transport/api.js';
import { ContactPins } from './pins.js';
import { BundleVault } from './vault.js';

const bobKey = createIdentity('bob').signPublicKey;
const bobId = newUuid();

function pin(username: string, verified = false, userId = newUuid()): ContactPin {
  return { userId, username, signPublicKey: createIdentity(username).signPublicKey, verified };
}

function pinsExtension(pins: ContactPin[]): BundleExtension {
  return { type: CONTACT_PINS_EXTENSION, value: encodeContactPins(pins) };
}

/**
 * The server's side of the key bundle, as the real one keeps it: an update must name
 * the stored bundle (else 409 bundle_changed) and be signed by the account's key.
 */
class BundleServer {
  readonly http = new FakeHttp();
  readonly userId = newUuid();
  readonly identity: Identity = createIdentity('alice');
  readonly wrapKey = randomBytes(32);
  sealed: Uint8Array;
  /** Sessions that "save first" on the next update attempts. */
  readonly racers: (() => void)[] = [];

  constructor(extensions: BundleExtension[] = []) {
    this.sealed = sealKeyBundle(this.identity, this.wrapKey, extensions);
    this.http.on('GET', '/api/account/bundle', () => ({
      body: { kdfParams: 'unused', keyBundle: toBase64(this.sealed) },
    }));
    this.http.on('POST', '/api/account/bundle', (call) => {
      this.racers.shift()?.();
      const body = call.body as BundleUpdateBody;
      const next = fromBase64(body.keyBundle);
      if (body.replaces !== toBase64(bundleDigest(this.sealed))) {
        return { status: 409, body: { code: 'bundle_changed', message: 'The bundle changed.' } };
      }
      const signed = verifyBundleUpdate(
        this.identity.signPublicKey,
        this.userId,
        this.sealed,
        next,
        fromBase64(body.signature),
      );
      if (!signed) return { status: 403, body: { code: 'bad_signature', message: 'Not signed.' } };
      this.sealed = next;
      return { status: 204 };
    });
  }

  /** Another session of the account stores these pins. */
  storeElsewhere(pins: ContactPin[]): void {
    this.sealed = sealKeyBundle(this.identity, this.wrapKey, [pinsExtension(pins)]);
  }

  storedPins(): ContactPin[] {
    const { extensions } = openKeyBundle(this.sealed, this.wrapKey, 'alice', this.identity);
    const stored = extensions.find((extension) => extension.type === CONTACT_PINS_EXTENSION);
    return stored ? sortPins(decodeContactPins(stored.value)) : [];
  }

  vault(extensions = openKeyBundle(this.sealed, this.wrapKey, 'alice').extensions): BundleVault {
    return new BundleVault(
      new Api(this.http),
      this.userId,
      this.identity,
      this.wrapKey.slice(),
      this.sealed,
      extensions,
    );
  }

  posts(): number {
    return this.http.callsTo('POST', '/api/account/bundle').length;
  }
}

function sortPins(pins: Iterable<ContactPin>): ContactPin[] {
  return [...pins].sort((a, b) => a.userId.localeCompare(b.userId));
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

  it('does not save after stop()', async () => {
    const server = new BundleServer();
    const pins = pinsOf(server.vault());
    pins.check(bobId, 'bob', bobKey);
    pins.stop();
    await pins.flush();
    expect(server.posts()).toBe(0);
  });
});
