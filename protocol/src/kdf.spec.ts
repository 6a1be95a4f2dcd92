import { hkdf } from '@noble/hashes/hkdf.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { concatBytes, equalBytes, fromHex, toHex } from './bytes.js';
import { ProtocolError } from './errors.js';
import {
  KDF_DEFAULT_ITERATIONS,
  KDF_MAX_ITERATIONS,
  KDF_MIN_ITERATIONS,
  KDF_PARAMS_BYTES,
  KDF_PBKDF2_SHA256,
  KDF_SALT_BYTES,
  decodeKdfParams,
  deriveAccountKeys,
  encodeKdfParams,
  newKdfParams,
  type KdfParams,
} from './kdf.js';

const SLOW_MS = 60_000;
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('KDF parameters', () => {
  it('defaults to a random salt and at least the minimum iterations', () => {
    const a = newKdfParams();
    const b = newKdfParams();
    expect(a.algorithm).toBe(KDF_PBKDF2_SHA256);
    expect(a.iterations).toBe(KDF_DEFAULT_ITERATIONS);
    expect(KDF_DEFAULT_ITERATIONS).toBeGreaterThanOrEqual(KDF_MIN_ITERATIONS);
    expect(a.salt).toHaveLength(KDF_SALT_BYTES);
    expect(equalBytes(a.salt, b.salt)).toBe(false);
  });

  it('encodes to 23 bytes with the layout of docs/PROTOCOL.md', () => {
    const salt = fromHex('000102030405060708090a0b0c0d0e0f');
    const encoded = encodeKdfParams(newKdfParams(600_000, salt));
    expect(encoded).toHaveLength(KDF_PARAMS_BYTES);
    expect(toHex(encoded)).toBe('0101000927c010000102030405060708090a0b0c0d0e0f');
    expect(decodeKdfParams(encoded)).toEqual({ algorithm: 1, iterations: 600_000, salt });
  });

  it('copies the salt so later changes to the caller buffer do not leak in', () => {
    const salt = new Uint8Array(KDF_SALT_BYTES);
    const params = newKdfParams(undefined, salt);
    salt[0] = 1;
    expect(params.salt[0]).toBe(0);
  });

  it.each([
    [KDF_MIN_ITERATIONS - 1, 'weak-kdf'],
    [0, 'weak-kdf'],
    [Number.NaN, 'weak-kdf'],
    [700_000.5, 'weak-kdf'],
    [KDF_MAX_ITERATIONS + 1, 'bad-algorithm'],
  ])('refuses %d iterations with %s', (iterations, code) => {
    expect(() => newKdfParams(iterations)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses a salt of the wrong size', () => {
    expect(() => newKdfParams(undefined, new Uint8Array(15))).toThrow(expect.objectContaining({ code: 'bad-length' }));
  });

  it('refuses hand-built weak parameters in encode and derive too', async () => {
    const weak = { algorithm: 1, iterations: 1000, salt: new Uint8Array(16) } as KdfParams;
    expect(() => encodeKdfParams(weak)).toThrow(ProtocolError);
    await expect(deriveAccountKeys('some long passphrase', 'alice', weak)).rejects.toMatchObject({ code: 'weak-kdf' });
    const unknown = { algorithm: 2, iterations: 600_000, salt: new Uint8Array(16) } as unknown as KdfParams;
    await expect(deriveAccountKeys('some long passphrase', 'alice', unknown)).rejects.toMatchObject({
      code: 'bad-algorithm',
    });
  });
});

describe('deriveAccountKeys', () => {
  const params = newKdfParams(KDF_MIN_ITERATIONS, fromHex('00112233445566778899aabbccddeeff'));

  it(
    'matches an independent PBKDF2/HKDF implementation (@noble/hashes)',
    async () => {
      const passphrase = 'Ｔｏｒ ｒｏｕｔｅｓ e\u0301 fine';
      const keys = await deriveAccountKeys(passphrase, 'Alice', params);

      const salt = sha256(concatBytes(utf8('OnionChat v1 kdf salt\0'), Uint8Array.of(5), utf8('alice'), params.salt));
      const master = pbkdf2(sha256, utf8(passphrase.normalize('NFKC')), salt, { c: params.iterations, dkLen: 32 });
      const empty = new Uint8Array(0);
      expect(toHex(keys.authKey)).toBe(toHex(hkdf(sha256, master, empty, utf8('OnionChat v1 auth key'), 32)));
      expect(toHex(keys.wrapKey)).toBe(toHex(hkdf(sha256, master, empty, utf8('OnionChat v1 wrap key'), 32)));
    },
    SLOW_MS,
  );

  it(
    'gives independent auth and wrap keys that depend on passphrase, username and salt',
    async () => {
      const base = await deriveAccountKeys('violet tractor spoon', 'alice', params);
      expect(base.authKey).toHaveLength(32);
      expect(base.wrapKey).toHaveLength(32);
      expect(equalBytes(base.authKey, base.wrapKey)).toBe(false);

      const variants = await Promise.all([
        deriveAccountKeys('violet tractor spoon!', 'alice', params),
        deriveAccountKeys('violet tractor spoon', 'alicf', params),
        deriveAccountKeys('violet tractor spoon', 'alice', newKdfParams(KDF_MIN_ITERATIONS)),
        deriveAccountKeys('violet tractor spoon', 'alice', newKdfParams(KDF_MIN_ITERATIONS + 1, params.salt)),
      ]);
      for (const other of variants) {
        expect(equalBytes(other.authKey, base.authKey)).toBe(false);
        expect(equalBytes(other.wrapKey, base.wrapKey)).toBe(false);
      }
      const same = await deriveAccountKeys('violet tractor spoon', ' ALICE ', params);
      expect(same).toEqual(base);
    },
    SLOW_MS,
  );

  it('rejects an empty passphrase and an invalid username', async () => {
    await expect(deriveAccountKeys('', 'alice', params)).rejects.toMatchObject({ code: 'bad-length' });
    await expect(deriveAccountKeys('violet tractor spoon', 'a b', params)).rejects.toMatchObject({
      code: 'bad-encoding',
    });
  });
});
