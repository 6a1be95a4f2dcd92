import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ProtocolError,
  decodeKdfParams,
  decodePublicKeys,
  deriveAccountKeys,
  encodeKdfParams,
  encodePublicKeys,
  fingerprint,
  fromBase64,
  fromHex,
  identityFromSeeds,
  newKdfParams,
  normalizeUsername,
  openKeyBundle,
  sealKeyBundle,
  toBase64,
  toHex,
  usernameProblem,
  type ProtocolErrorCode,
  type PublicKeys,
} from './index.js';

interface HexKeys {
  signPublicKey: string;
  boxPublicKey: string;
}
interface Vectors {
  identity: {
    username: string;
    boxSecretKey: string;
    signSeed: string;
    boxPublicKey: string;
    signPublicKey: string;
    signSecretKey: string;
  }[];
  kdf: {
    params: {
      valid: { name: string; encoded: string; algorithm: number; iterations: number; salt: string }[];
      invalid: { name: string; encoded: string; error: ProtocolErrorCode }[];
    };
    derivation: {
      name: string;
      passphrase: string;
      passphraseUtf8: string;
      username: string;
      params: string;
      authKey: string;
      wrapKey: string;
    }[];
  };
  publicKeys: {
    valid: {
      username: string;
      boxSecretKey: string;
      signSeed: string;
      record: string;
      base64: string;
      fingerprint: string;
    }[];
    invalid: { name: string; username: string; record: string; error: ProtocolErrorCode }[];
  };
  keyBundle: {
    valid: {
      name: string;
      username: string;
      boxSecretKey: string;
      signSeed: string;
      wrapKey: string;
      nonce: string;
      extensions: { type: number; value: string }[];
      sealed: string;
    }[];
    invalid: {
      name: string;
      username: string;
      wrapKey: string;
      sealed: string;
      expected?: HexKeys;
      error: ProtocolErrorCode;
    }[];
  };
  base64: {
    valid: { bytes: string; text: string }[];
    invalid: { name: string; text: string; error: ProtocolErrorCode }[];
  };
  usernames: { input: string; canonical: string; valid: boolean }[];
}

const vectors = JSON.parse(readFileSync(new URL('../testdata/vectors.json', import.meta.url), 'utf8')) as Vectors;

const KDF_TIMEOUT_MS = 60_000;

function expectProtocolError(run: () => unknown, code: ProtocolErrorCode): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ProtocolError);
  expect((caught as ProtocolError).code).toBe(code);
  expect((caught as ProtocolError).message.length).toBeGreaterThan(10);
}

function keysFromHex(keys: HexKeys): PublicKeys {
  return { signPublicKey: fromHex(keys.signPublicKey), boxPublicKey: fromHex(keys.boxPublicKey) };
}

describe('identity vectors', () => {
  it.each(vectors.identity)('$username', (v) => {
    const identity = identityFromSeeds(v.username, fromHex(v.boxSecretKey), fromHex(v.signSeed));
    expect(identity.username).toBe(v.username);
    expect(toHex(identity.boxPublicKey)).toBe(v.boxPublicKey);
    expect(toHex(identity.signPublicKey)).toBe(v.signPublicKey);
    expect(toHex(identity.signSecretKey)).toBe(v.signSecretKey);
  });
});

describe('KDF parameter vectors', () => {
  it.each(vectors.kdf.params.valid)('accepts $name', (v) => {
    const decoded = decodeKdfParams(fromHex(v.encoded));
    expect(decoded.algorithm).toBe(v.algorithm);
    expect(decoded.iterations).toBe(v.iterations);
    expect(toHex(decoded.salt)).toBe(v.salt);
    expect(toHex(encodeKdfParams(newKdfParams(v.iterations, fromHex(v.salt))))).toBe(v.encoded);
  });

  it.each(vectors.kdf.params.invalid)('rejects $name with $error', (v) => {
    expectProtocolError(() => decodeKdfParams(fromHex(v.encoded)), v.error);
  });
});

describe('KDF derivation vectors', () => {
  it.each(vectors.kdf.derivation)(
    '$name',
    async (v) => {
      expect(toHex(new TextEncoder().encode(v.passphrase))).toBe(v.passphraseUtf8);
      const keys = await deriveAccountKeys(v.passphrase, v.username, decodeKdfParams(fromHex(v.params)));
      expect(toHex(keys.authKey)).toBe(v.authKey);
      expect(toHex(keys.wrapKey)).toBe(v.wrapKey);
    },
    KDF_TIMEOUT_MS,
  );
});

describe('public keys vectors', () => {
  it.each(vectors.publicKeys.valid)('$username', (v) => {
    const identity = identityFromSeeds(v.username, fromHex(v.boxSecretKey), fromHex(v.signSeed));
    const record = encodePublicKeys(identity);
    expect(toHex(record)).toBe(v.record);
    expect(toBase64(record)).toBe(v.base64);
    const keys = decodePublicKeys(fromBase64(v.base64), v.username);
    expect(keys.signPublicKey).toEqual(identity.signPublicKey);
    expect(keys.boxPublicKey).toEqual(identity.boxPublicKey);
    expect(fingerprint(keys)).toBe(v.fingerprint);
  });

  it.each(vectors.publicKeys.invalid)('rejects $name with $error', (v) => {
    expectProtocolError(() => decodePublicKeys(fromHex(v.record), v.username), v.error);
  });
});

describe('key bundle vectors', () => {
  it.each(vectors.keyBundle.valid)('$name', (v) => {
    const identity = identityFromSeeds(v.username, fromHex(v.boxSecretKey), fromHex(v.signSeed));
    const extensions = v.extensions.map((e) => ({ type: e.type, value: fromHex(e.value) }));
    const sealed = sealKeyBundle(identity, fromHex(v.wrapKey), extensions, fromHex(v.nonce));
    expect(toHex(sealed)).toBe(v.sealed);

    const opened = openKeyBundle(fromHex(v.sealed), fromHex(v.wrapKey), v.username, identity);
    expect(opened.identity).toEqual(identity);
    expect(opened.extensions).toEqual(extensions);
  });

  it.each(vectors.keyBundle.invalid)('rejects $name with $error', (v) => {
    const expected = v.expected === undefined ? undefined : keysFromHex(v.expected);
    expectProtocolError(() => openKeyBundle(fromHex(v.sealed), fromHex(v.wrapKey), v.username, expected), v.error);
  });
});

describe('base64 vectors', () => {
  it.each(vectors.base64.valid)('$text', (v) => {
    expect(toBase64(fromHex(v.bytes))).toBe(v.text);
    expect(toHex(fromBase64(v.text))).toBe(v.bytes);
  });

  it.each(vectors.base64.invalid)('rejects $name', (v) => {
    expectProtocolError(() => fromBase64(v.text), v.error);
  });
});

describe('username vectors', () => {
  it.each(vectors.usernames)('"$input"', (v) => {
    expect(normalizeUsername(v.input)).toBe(v.canonical);
    expect(usernameProblem(v.canonical) === null).toBe(v.valid);
  });
});
