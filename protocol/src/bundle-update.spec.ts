import { describe, expect, it } from 'vitest';
import { randomBytes } from './bytes.js';
import { bundleDigest, signBundleUpdate, verifyBundleUpdate } from './bundle-update.js';
import { createIdentity } from './identity.js';
import { newUuid } from './uuid.js';

describe('key bundle updates', () => {
  const alice = createIdentity('alice');
  const userId = newUuid();
  const previous = randomBytes(200);
  const next = randomBytes(300);

  it('verifies a replacement signed by the account key for exactly this previous and next bundle', () => {
    const signature = signBundleUpdate(alice, userId, previous, next);
    expect(signature).toHaveLength(64);
    expect(verifyBundleUpdate(alice.signPublicKey, userId, previous, next, signature)).toBe(true);
  });

  it('refuses another key, another user, a stale previous bundle, another next bundle, a bad signature', () => {
    const signature = signBundleUpdate(alice, userId, previous, next);
    const other = createIdentity('alice');
    expect(verifyBundleUpdate(other.signPublicKey, userId, previous, next, signature)).toBe(false);
    expect(verifyBundleUpdate(alice.signPublicKey, newUuid(), previous, next, signature)).toBe(false);
    expect(verifyBundleUpdate(alice.signPublicKey, userId, randomBytes(200), next, signature)).toBe(false);
    expect(verifyBundleUpdate(alice.signPublicKey, userId, previous, randomBytes(300), signature)).toBe(false);
    expect(verifyBundleUpdate(alice.signPublicKey, userId, previous, next, signature.subarray(1))).toBe(false);
  });

  it('names a bundle by the first 32 bytes of its SHA-512', () => {
    expect(bundleDigest(previous)).toHaveLength(32);
    expect(bundleDigest(previous)).toEqual(bundleDigest(previous.slice()));
    expect(bundleDigest(previous)).not.toEqual(bundleDigest(next));
  });
});
