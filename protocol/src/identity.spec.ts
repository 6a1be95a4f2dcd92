import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { equalBytes, fromHex } from './bytes.js';
import { fingerprint } from './fingerprint.js';
import { addKemKeys, createIdentity, identityFromSeeds } from './identity.js';

describe('identities', () => {
  it('creates random, usable key pairs', () => {
    const a = createIdentity('Alice');
    const b = createIdentity('bob');
    expect(a.username).toBe('alice');
    expect(a.boxSecretKey).toHaveLength(32);
    expect(a.signSecretKey).toHaveLength(64);
    expect(equalBytes(a.boxSecretKey, b.boxSecretKey)).toBe(false);

    const message = new TextEncoder().encode('hi');
    const nonce = nacl.randomBytes(24);
    const boxed = nacl.box(message, nonce, b.boxPublicKey, a.boxSecretKey);
    expect(nacl.box.open(boxed, nonce, a.boxPublicKey, b.boxSecretKey)).toEqual(message);
    expect(nacl.sign.detached.verify(message, nacl.sign.detached(message, a.signSecretKey), a.signPublicKey)).toBe(
      true,
    );
  });

  it('is deterministic from seeds and does not alias the inputs', () => {
    const box = fromHex('11'.repeat(32));
    const seed = fromHex('22'.repeat(32));
    const a = identityFromSeeds('carol', box, seed);
    expect(identityFromSeeds('carol', box, seed)).toEqual(a);
    box.fill(0);
    seed.fill(0);
    expect(a.boxSecretKey).toEqual(fromHex('11'.repeat(32)));
    expect(a.signSeed).toEqual(fromHex('22'.repeat(32)));
  });

  it('creates an ML-KEM-768 key pair whose secret key opens what is sealed to the public key', () => {
    const { kem } = createIdentity('alice');
    expect(kem!.seed).toHaveLength(64);
    expect(kem!.publicKey).toHaveLength(1184);
    expect(kem!.secretKey).toHaveLength(2400);
    const { cipherText, sharedSecret } = ml_kem768.encapsulate(kem!.publicKey);
    expect(ml_kem768.decapsulate(cipherText, kem!.secretKey)).toEqual(sharedSecret);
    expect(createIdentity('alice').kem!.seed).not.toEqual(kem!.seed);
  });

  it('has no ML-KEM keys without a seed, and adding them keeps the classical keys', () => {
    const box = fromHex('11'.repeat(32));
    const seed = fromHex('22'.repeat(32));
    const kemSeed = fromHex('33'.repeat(64));
    const old = identityFromSeeds('carol', box, seed);
    expect(old.kem).toBeNull();
    const upgraded = addKemKeys(old, kemSeed);
    expect(old.kem).toBeNull();
    expect(upgraded).toEqual(identityFromSeeds('carol', box, seed, kemSeed));
    expect(upgraded.kem!.publicKey).toEqual(ml_kem768.keygen(fromHex('33'.repeat(64))).publicKey);
    kemSeed.fill(0);
    expect(upgraded.kem!.seed).toEqual(fromHex('33'.repeat(64)));
    expect(addKemKeys(old).kem!.seed).toHaveLength(64);
  });

  it('rejects wrong-sized secrets and invalid usernames', () => {
    expect(() => identityFromSeeds('carol', new Uint8Array(31), new Uint8Array(32))).toThrow(
      expect.objectContaining({ code: 'bad-length' }),
    );
    expect(() => identityFromSeeds('carol', new Uint8Array(32), new Uint8Array(64))).toThrow(
      expect.objectContaining({ code: 'bad-length' }),
    );
    expect(() => identityFromSeeds('carol', new Uint8Array(32), new Uint8Array(32), new Uint8Array(32))).toThrow(
      expect.objectContaining({ code: 'bad-length' }),
    );
    expect(() => createIdentity('no')).toThrow(expect.objectContaining({ code: 'bad-encoding' }));
  });
});

describe('fingerprint', () => {
  it('is 10 groups of 4 upper-case hex digits and depends on both keys', () => {
    const a = createIdentity('alice');
    const b = createIdentity('alice');
    const printed = fingerprint(a);
    expect(printed).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){9}$/);
    expect(fingerprint({ signPublicKey: a.signPublicKey, boxPublicKey: b.boxPublicKey })).not.toBe(printed);
    expect(fingerprint({ signPublicKey: b.signPublicKey, boxPublicKey: a.boxPublicKey })).not.toBe(printed);
  });

  it('rejects wrong-sized keys', () => {
    expect(() => fingerprint({ signPublicKey: new Uint8Array(31), boxPublicKey: new Uint8Array(32) })).toThrow(
      expect.objectContaining({ code: 'bad-length' }),
    );
  });
});
