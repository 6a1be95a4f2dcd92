import { describe, expect, it } from 'vitest';
import { randomBytes } from './bytes.js';
import { createIdentity } from './identity.js';
import { KEY_BUNDLE_MIN_BYTES, openKeyBundle, sealKeyBundle, withExtension } from './key-bundle.js';

describe('key bundle', () => {
  it('round-trips random identities', () => {
    for (let i = 0; i < 20; i++) {
      const identity = createIdentity(`user_${i}`);
      const wrapKey = randomBytes(32);
      const sealed = sealKeyBundle(identity, wrapKey);
      expect(sealed[0]).toBe(1);
      expect(sealed.length).toBe(1 + 24 + 16 + 1 + 1 + identity.username.length + 64);
      const opened = openKeyBundle(sealed, wrapKey, identity.username.toUpperCase(), identity);
      // The ML-KEM seed travels as an extension (type 3), which the caller adds back.
      expect(opened).toEqual({ identity: { ...identity, kem: null }, extensions: [] });
    }
  });

  it('uses a fresh nonce each time', () => {
    const identity = createIdentity('alice');
    const wrapKey = randomBytes(32);
    expect(sealKeyBundle(identity, wrapKey)).not.toEqual(sealKeyBundle(identity, wrapKey));
  });

  it('preserves unknown extensions through open and re-seal', () => {
    const identity = createIdentity('alice');
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const extensions = [
      { type: 200, value: randomBytes(1000) },
      { type: 0, value: new Uint8Array(0) },
      { type: 200, value: Uint8Array.of(7) },
    ];
    const first = openKeyBundle(sealKeyBundle(identity, oldKey, extensions), oldKey, 'alice');
    // A passphrase change re-seals whatever was opened, including entries this version does not understand.
    const second = openKeyBundle(sealKeyBundle(first.identity, newKey, first.extensions), newKey, 'alice');
    expect(second.extensions).toEqual(extensions);
  });

  it('rejects malformed arguments', () => {
    const identity = createIdentity('alice');
    const wrapKey = randomBytes(32);
    const sealed = sealKeyBundle(identity, wrapKey);
    expect(KEY_BUNDLE_MIN_BYTES).toBe(110);
    expect(() => sealKeyBundle(identity, randomBytes(31))).toThrow(expect.objectContaining({ code: 'bad-length' }));
    expect(() => sealKeyBundle(identity, wrapKey, [], randomBytes(12))).toThrow(
      expect.objectContaining({ code: 'bad-length' }),
    );
    expect(() => sealKeyBundle(identity, wrapKey, [{ type: 256, value: new Uint8Array(0) }])).toThrow(
      expect.objectContaining({ code: 'bad-encoding' }),
    );
    expect(() => openKeyBundle(sealed, randomBytes(16), 'alice')).toThrow(
      expect.objectContaining({ code: 'bad-length' }),
    );
    expect(() => openKeyBundle(sealed, randomBytes(32), 'alice')).toThrow(
      expect.objectContaining({ code: 'decrypt-failed' }),
    );
  });
});

describe('withExtension', () => {
  const a = { type: 1, value: Uint8Array.of(1) };
  const b = { type: 2, value: Uint8Array.of(2) };
  const c = { type: 200, value: Uint8Array.of(3) };

  it('appends a type the list does not hold', () => {
    expect(withExtension([a, c], 2, Uint8Array.of(9))).toEqual([a, c, { type: 2, value: Uint8Array.of(9) }]);
  });

  it('replaces the entry of the type in place, dropping repeats, and leaves the input alone', () => {
    const list = [a, b, c, { type: 2, value: Uint8Array.of(7) }];
    expect(withExtension(list, 2, Uint8Array.of(9))).toEqual([a, { type: 2, value: Uint8Array.of(9) }, c]);
    expect(list).toHaveLength(4);
  });
});
