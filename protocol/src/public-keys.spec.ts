import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex } from './bytes.js';
import { createIdentity, identityFromSeeds, type Identity } from './identity.js';
import {
  PUBLIC_KEYS_V1_BYTES,
  PUBLIC_KEYS_V2_BYTES,
  decodePublicKeys,
  encodePublicKeys,
  encodePublicKeysV1,
  isValidKemPublicKey,
} from './public-keys.js';
import { newUuid, uuidToBytes } from './uuid.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** A v2 record around any body, validly signed by `identity`: to reach the checks behind the signature. */
function signedV2(identity: Identity, body: Uint8Array): Uint8Array {
  const name = utf8(identity.username);
  const message = concatBytes(utf8('OnionChat v2 public keys\0'), Uint8Array.of(name.length), name, body);
  return concatBytes(body, nacl.sign.detached(message, identity.signSecretKey));
}

function v2Body(identity: Identity, userId: string, kemPublicKey = identity.kem!.publicKey): Uint8Array {
  return concatBytes(
    Uint8Array.of(2),
    uuidToBytes(userId),
    identity.signPublicKey,
    identity.boxPublicKey,
    kemPublicKey,
  );
}

/** Sets the first 12-bit coefficient of the first polynomial to `value` (little-endian packing of FIPS 203). */
function withFirstCoefficient(key: Uint8Array, value: number): Uint8Array {
  const out = key.slice();
  out[0] = value & 0xff;
  out[1] = ((out[1] as number) & 0xf0) | (value >> 8);
  return out;
}

describe('signed public keys, v2', () => {
  it('round-trips random identities, with the username normalized', () => {
    for (let i = 0; i < 5; i++) {
      const identity = createIdentity(`user_${i}`);
      const userId = newUuid();
      const record = encodePublicKeys(identity, userId);
      expect(record).toHaveLength(PUBLIC_KEYS_V2_BYTES);
      expect(record[0]).toBe(2);
      expect(decodePublicKeys(record, ` USER_${i}`, userId)).toEqual({
        version: 2,
        signPublicKey: identity.signPublicKey,
        boxPublicKey: identity.boxPublicKey,
        kemPublicKey: identity.kem!.publicKey,
      });
    }
  });

  it('signs exactly the bytes described in docs/PROTOCOL.md', () => {
    const identity = createIdentity('dave');
    const userId = newUuid();
    const record = encodePublicKeys(identity, userId);
    expect(record.length).toBe(1329);
    const message = concatBytes(
      utf8('OnionChat v2 public keys\0'),
      Uint8Array.of(4),
      utf8('dave'),
      record.subarray(0, 1265),
    );
    expect(nacl.sign.detached.verify(message, record.subarray(1265), identity.signPublicKey)).toBe(true);
    expect(record.subarray(1, 17)).toEqual(uuidToBytes(userId));
    expect(record.subarray(17, 49)).toEqual(identity.signPublicKey);
    expect(record.subarray(49, 81)).toEqual(identity.boxPublicKey);
    expect(record.subarray(81, 1265)).toEqual(identity.kem!.publicKey);
  });

  it('binds the account id: the same name and keys served under another id are refused', () => {
    const identity = createIdentity('erin');
    const record = encodePublicKeys(identity, newUuid());
    expect(() => decodePublicKeys(record, 'erin', newUuid())).toThrow(
      expect.objectContaining({ code: 'context-mismatch' }),
    );
  });

  it('refuses a changed id, a changed ML-KEM key or the wrong username as a bad signature', () => {
    const identity = createIdentity('frank');
    const userId = newUuid();
    const record = encodePublicKeys(identity, userId);
    for (const index of [1, 16, 81, 1264]) {
      const tampered = record.slice();
      tampered[index] = (tampered[index] as number) ^ 1;
      expect(() => decodePublicKeys(tampered, 'frank', userId)).toThrow(
        expect.objectContaining({ code: 'bad-signature' }),
      );
    }
    expect(() => decodePublicKeys(record, 'frankie', userId)).toThrow(
      expect.objectContaining({ code: 'bad-signature' }),
    );
  });

  it('refuses wrong lengths, unknown versions and an invalid expected id', () => {
    const identity = createIdentity('gina');
    const userId = newUuid();
    const record = encodePublicKeys(identity, userId);
    const refuse = (bytes: Uint8Array, code: string, id = userId) =>
      expect(() => decodePublicKeys(bytes, 'gina', id)).toThrow(expect.objectContaining({ code }));
    refuse(new Uint8Array(0), 'bad-length');
    refuse(record.subarray(0, PUBLIC_KEYS_V2_BYTES - 1), 'bad-length');
    refuse(concatBytes(record, Uint8Array.of(0)), 'bad-length');
    refuse(record.subarray(0, PUBLIC_KEYS_V1_BYTES), 'bad-length');
    const version3 = record.slice();
    version3[0] = 3;
    refuse(version3, 'bad-version');
    refuse(record, 'bad-encoding', userId.toUpperCase());
  });

  it('refuses a validly signed small-order box key', () => {
    const identity = createIdentity('hank');
    const userId = newUuid();
    const body = concatBytes(
      Uint8Array.of(2),
      uuidToBytes(userId),
      identity.signPublicKey,
      new Uint8Array(32),
      identity.kem!.publicKey,
    );
    expect(() => decodePublicKeys(signedV2(identity, body), 'hank', userId)).toThrow(
      expect.objectContaining({ code: 'bad-key' }),
    );
  });

  it('refuses a validly signed ML-KEM key that fails the FIPS 203 modulus check, as noble does', () => {
    const identity = createIdentity('iris');
    const userId = newUuid();
    for (const coefficient of [3329, 4095]) {
      const bad = withFirstCoefficient(identity.kem!.publicKey, coefficient);
      expect(isValidKemPublicKey(bad)).toBe(false);
      // noble performs the same check inside encapsulate(); it does not expose it on its own.
      expect(() => ml_kem768.encapsulate(bad)).toThrow(/modulus/);
      expect(() => decodePublicKeys(signedV2(identity, v2Body(identity, userId, bad)), 'iris', userId)).toThrow(
        expect.objectContaining({ code: 'bad-key' }),
      );
    }
    const edge = withFirstCoefficient(identity.kem!.publicKey, 3328);
    expect(isValidKemPublicKey(edge)).toBe(true);
    expect(decodePublicKeys(signedV2(identity, v2Body(identity, userId, edge)), 'iris', userId).kemPublicKey).toEqual(
      edge,
    );
  });

  it('checks the second coefficient of each 3-byte group and leaves the 32-byte seed rho alone', () => {
    const key = createIdentity('jack').kem!.publicKey;
    const highBad = key.slice();
    highBad[1] = ((highBad[1] as number) & 0x0f) | 0xf0;
    highBad[2] = 0xff; // second coefficient 4095
    expect(isValidKemPublicKey(highBad)).toBe(false);
    const lastPolynomialBad = key.slice();
    lastPolynomialBad[1150] = 0xff;
    lastPolynomialBad[1151] = 0xff;
    expect(isValidKemPublicKey(lastPolynomialBad)).toBe(false);
    const rhoChanged = key.slice();
    rhoChanged.fill(0xff, 1152);
    expect(isValidKemPublicKey(rhoChanged)).toBe(true);
    expect(isValidKemPublicKey(key.subarray(0, 1183))).toBe(false);
  });

  it('needs ML-KEM keys to write v2', () => {
    const classical = identityFromSeeds('kim', new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
    expect(() => encodePublicKeys(classical, newUuid())).toThrow(expect.objectContaining({ code: 'bad-key' }));
  });
});

describe('signed public keys, v1 (accounts not upgraded yet)', () => {
  it('round-trips, without an ML-KEM key and whatever the account id', () => {
    const identity = createIdentity('user_1');
    const record = encodePublicKeysV1(identity);
    expect(record).toHaveLength(PUBLIC_KEYS_V1_BYTES);
    expect(record[0]).toBe(1);
    expect(decodePublicKeys(record, ' USER_1', newUuid())).toEqual({
      version: 1,
      signPublicKey: identity.signPublicKey,
      boxPublicKey: identity.boxPublicKey,
      kemPublicKey: null,
    });
  });

  it('signs exactly the bytes described in docs/PROTOCOL.md', () => {
    const identity = createIdentity('dave');
    const record = encodePublicKeysV1(identity);
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
    expect(() => encodePublicKeysV1({ ...a, signSecretKey: b.signSecretKey })).toThrow(
      expect.objectContaining({ code: 'key-mismatch' }),
    );
    expect(() => encodePublicKeys({ ...a, signSecretKey: b.signSecretKey }, newUuid())).toThrow(
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
