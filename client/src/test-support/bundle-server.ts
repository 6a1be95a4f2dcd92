// The server's side of the key bundle, as the real one keeps it: an update must name
// the stored bundle (else 409 bundle_changed) and be signed by the account's key. It
// can also play another session of the account saving first, or a server handing out
// an older copy.

import type { BundleUpdateBody } from '@onionchat/contract';
import {
  BUNDLE_STATE_EXTENSION,
  CONTACT_PINS_EXTENSION,
  KDF_MIN_ITERATIONS,
  bundleDigest,
  createIdentity,
  decodeContactPins,
  encodeBundleState,
  encodeContactPins,
  fromBase64,
  newUuid,
  nextBundleState,
  openKeyBundle,
  randomBytes,
  readBundleState,
  sealKeyBundle,
  toBase64,
  verifyBundleUpdate,
  type BundleExtension,
  type BundleState,
  type ContactPin,
  type Identity,
} from '@onionchat/protocol';
import { Api } from '../transport/api.js';
import { BundleVault } from '../trust/vault.js';
import { FakeHttp } from './fake-http.js';

export function pinsExtension(pins: ContactPin[]): BundleExtension {
  return { type: CONTACT_PINS_EXTENSION, value: encodeContactPins(pins) };
}

export function sortPins(pins: Iterable<ContactPin>): ContactPin[] {
  return [...pins].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

export class BundleServer {
  readonly http = new FakeHttp();
  readonly userId = newUuid();
  readonly identity: Identity = createIdentity('alice');
  readonly wrapKey = randomBytes(32);
  /** The iteration count the account's wrap key is (said to be) derived with. */
  readonly kdfIterations = KDF_MIN_ITERATIONS;
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

  /** What the stored bundle holds. */
  storedExtensions(): BundleExtension[] {
    return openKeyBundle(this.sealed, this.wrapKey, 'alice', this.identity).extensions;
  }

  storedState(): BundleState {
    return readBundleState(this.storedExtensions());
  }

  storedPins(): ContactPin[] {
    const stored = this.storedExtensions().find((extension) => extension.type === CONTACT_PINS_EXTENSION);
    return stored ? sortPins(decodeContactPins(stored.value)) : [];
  }

  /** Another session of the account stores these extensions (in place of the pins and any of the same types), as the next revision. */
  storeElsewhere(pins: ContactPin[], extensions: BundleExtension[] = []): void {
    const replaced = new Set([CONTACT_PINS_EXTENSION, BUNDLE_STATE_EXTENSION, ...extensions.map((e) => e.type)]);
    const kept = this.storedExtensions().filter((extension) => !replaced.has(extension.type));
    const state = nextBundleState(this.storedState(), this.kdfIterations);
    this.sealed = sealKeyBundle(this.identity, this.wrapKey, [
      ...kept,
      ...extensions,
      pinsExtension(pins),
      { type: BUNDLE_STATE_EXTENSION, value: encodeBundleState(state) },
    ]);
  }

  /** A session of this account opening the stored bundle, in the page that talks through `api` (a new page by default). */
  vault(api = new Api(this.http)): BundleVault {
    return new BundleVault(
      api,
      this.userId,
      this.identity,
      this.wrapKey.slice(),
      this.sealed,
      this.storedExtensions(),
      this.kdfIterations,
    );
  }

  posts(): number {
    return this.http.callsTo('POST', '/api/account/bundle').length;
  }
}
