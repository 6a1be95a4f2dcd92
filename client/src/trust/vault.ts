// The sealed key bundle, kept open in memory so contact pins can be written back
// to it. The wrap key stays here (never in any storage) for as long as the keys
// do, and is wiped with them.

import {
  CONTACT_PINS_EXTENSION,
  ProtocolError,
  bundleDigest,
  decodeContactPins,
  encodeContactPins,
  fromBase64,
  openKeyBundle,
  sealKeyBundle,
  signBundleUpdate,
  toBase64,
  type BundleExtension,
  type ContactPin,
  type Identity,
} from '@onionchat/protocol';
import { ApiError } from '../transport/api-error.js';
import type { Api } from '../transport/api.js';

/** A stored bundle changed under us this many times in a row: give up for now. */
const SAVE_ATTEMPTS = 3;

export class BundleVault {
  private sealed: Uint8Array;
  private extensions: BundleExtension[];
  private wiped = false;
  private pinsUnreadable: string | null;

  constructor(
    private readonly api: Api,
    private readonly userId: string,
    private readonly identity: Identity,
    private readonly wrapKey: Uint8Array,
    sealed: Uint8Array,
    extensions: BundleExtension[],
  ) {
    this.sealed = sealed;
    this.extensions = extensions;
    this.pinsUnreadable = pinsProblem(extensions);
  }

  /**
   * Set when the stored pins could not be read (those of a newer client, say): saving
   * ours would destroy them, so they are left alone for good.
   */
  get unreadable(): string | null {
    return this.pinsUnreadable;
  }

  /** The pins stored in the bundle when it was opened (or last saved); none when they could not be read. */
  pins(): ContactPin[] {
    return this.unreadable ? [] : readPins(this.extensions);
  }

  /**
   * Re-seals the bundle with `pins` and stores it. When another session changed the
   * bundle meanwhile, the stored one is fetched, `merge` combines its pins with ours,
   * and the save is tried again.
   */
  async savePins(pins: ContactPin[], merge: (stored: ContactPin[]) => ContactPin[]): Promise<void> {
    let wanted = pins;
    for (let attempt = 1; ; attempt++) {
      if (this.pinsUnreadable) throw new Error(this.pinsUnreadable);
      // Logged out meanwhile: the keys are zeroed, and sealing with them would destroy the bundle.
      if (this.wiped) throw new Error('the keys were locked');
      const extensions = [
        ...this.extensions.filter((extension) => extension.type !== CONTACT_PINS_EXTENSION),
        { type: CONTACT_PINS_EXTENSION, value: encodeContactPins(wanted) },
      ];
      const next = sealKeyBundle(this.identity, this.wrapKey, extensions);
      try {
        await this.api.replaceBundle({
          keyBundle: toBase64(next),
          replaces: toBase64(bundleDigest(this.sealed)),
          signature: toBase64(signBundleUpdate(this.identity, this.userId, this.sealed, next)),
        });
        this.sealed = next;
        this.extensions = extensions;
        return;
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'bundle_changed') || attempt >= SAVE_ATTEMPTS) throw error;
      }
      await this.reload();
      if (!this.pinsUnreadable) wanted = merge(readPins(this.extensions));
    }
  }

  wipe(): void {
    this.wiped = true;
    this.wrapKey.fill(0);
  }

  private async reload(): Promise<void> {
    const { keyBundle } = await this.api.bundle();
    if (this.wiped) throw new Error('the keys were locked');
    const sealed = fromBase64(keyBundle);
    const opened = openKeyBundle(sealed, this.wrapKey, this.identity.username, {
      signPublicKey: this.identity.signPublicKey,
      boxPublicKey: this.identity.boxPublicKey,
    });
    this.sealed = sealed;
    this.extensions = opened.extensions;
    this.pinsUnreadable = pinsProblem(opened.extensions);
  }
}

function readPins(extensions: BundleExtension[]): ContactPin[] {
  const stored = extensions.find((extension) => extension.type === CONTACT_PINS_EXTENSION);
  return stored ? decodeContactPins(stored.value) : [];
}

function pinsProblem(extensions: BundleExtension[]): string | null {
  try {
    readPins(extensions);
    return null;
  } catch (error) {
    const detail = error instanceof ProtocolError ? ` (${error.message})` : '';
    return `The saved safety numbers in your keys could not be read${detail}, so they were left untouched.`;
  }
}
