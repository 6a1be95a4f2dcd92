import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex } from './bytes.js';
import { createIdentity } from './identity.js';
import { PUBLIC_KEYS_BYTES, decodePublicKeys, encodePublicKeys } from './public-keys.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('signed public keys', () => {
  it('round-trips random identities, with the username normalized', () => {
    for (let i = 0; i < 20; i++) {
      const identity = createIdentity(`user_${i}`);
      const record = encodePublicKeys(identity);
      expect(record).toHaveLength(PUBLIC_KEYS_BYTES);
      expect(record[0]).toBe(1);
      expect(decodePublicKeys(record, ` USER_${i}`)).toEqual({
        signPublicKey: identity.signPublicKey,
        boxPublicKey: identity.boxPublicKey,
      });
    }
  });

  it('signs exactly the bytes described in docs/PROTOCOL.md', () => {
    const identity = createIdentity('dave');
    const record = encodePublicKeys(identity);
    const message = concatBytes(
      utf8('OnionChat v1 public keys\0'),
      Uint8Array.of(4),
      utf8('dave'),
      record.subarray(0, 65),
    );
    expect(nacl.sign.detached.verify(message, record.subarray(65), identity.signPublicKey)).toBe(true);
    expect(record.subarray(1, 33)).toEqual(identity.signPublicKey);
    expect(record.subarray(33, 65)).toEqual(identity.boxPublicKey);
  });

  it('refuses to sign with a secret key that does not match the public key', () => {
    const a = createIdentity('alice');
    const b = createIdentity('alice');
    expect(() => encodePublicKeys({ ...a, signSecretKey: b.signSecretKey })).toThrow(
      expect.objectContaining({ code: 'key-mismatch' }),
    );
  });

  it('every listed small-order box key really is small-order', () => {
    // Multiplying a small-order point by a clamped scalar (a multiple of 8) gives the identity, encoded as zero.
    const keys = [
      '0000000000000000000000000000000000000000000000000000000000000000',
      '0100000000000000000000000000000000000000000000000000000000000000',
      'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
      '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ];
    const scalar = nacl.randomBytes(32);
    for (const key of keys) expect(nacl.scalarMult(scalar, fromHex(key))).toEqual(new Uint8Array(32));
  });
});
