import { ByteReader } from './byte-reader.js';
import { concatBytes, encodeU32, randomBytes, utf8Encode, webCryptoBytes } from './bytes.js';
import { ProtocolError, requireLength } from './errors.js';
import { passphraseBytes } from './passphrase.js';
import { encodeUsernameField } from './username.js';
import { sha256, subtle } from './web-crypto.js';

export const KDF_VERSION = 1;
export const KDF_PBKDF2_SHA256 = 1;
export const KDF_SALT_BYTES = 16;
/** OWASP's password-storage minimum for PBKDF2-HMAC-SHA256. */
export const KDF_MIN_ITERATIONS = 600_000;
/** A malicious server must not be able to hang the client with a huge count. */
export const KDF_MAX_ITERATIONS = 10_000_000;
/** Chosen from bench/kdf.mjs; see docs/BENCHMARKS.md. */
export const KDF_DEFAULT_ITERATIONS = 1_000_000;
/** version(1) algorithm(1) iterations(4) saltLength(1) salt(16) */
export const KDF_PARAMS_BYTES = 1 + 1 + 4 + 1 + KDF_SALT_BYTES;
export const ACCOUNT_KEY_BYTES = 32;

const SALT_CONTEXT = utf8Encode('OnionChat v1 kdf salt\0');
const AUTH_KEY_INFO = utf8Encode('OnionChat v1 auth key');
const WRAP_KEY_INFO = utf8Encode('OnionChat v1 wrap key');
const BITS_PER_BYTE = 8;

export interface KdfParams {
  algorithm: typeof KDF_PBKDF2_SHA256;
  iterations: number;
  salt: Uint8Array;
}

/**
 * authKey is sent to the server to log in; wrapKey never leaves the client
 * and seals the key bundle. HKDF with distinct labels makes them independent,
 * so knowing the auth key tells the server nothing about the wrap key.
 */
export interface AccountKeys {
  authKey: Uint8Array;
  wrapKey: Uint8Array;
}

export function newKdfParams(
  iterations: number = KDF_DEFAULT_ITERATIONS,
  salt: Uint8Array = randomBytes(KDF_SALT_BYTES),
): KdfParams {
  const params: KdfParams = { algorithm: KDF_PBKDF2_SHA256, iterations, salt: salt.slice() };
  checkKdfParams(params);
  return params;
}

export function encodeKdfParams(p: KdfParams): Uint8Array {
  checkKdfParams(p);
  return concatBytes(
    Uint8Array.of(KDF_VERSION, p.algorithm),
    encodeU32(p.iterations),
    Uint8Array.of(KDF_SALT_BYTES),
    p.salt,
  );
}

export function decodeKdfParams(bytes: Uint8Array): KdfParams {
  requireLength(bytes, KDF_PARAMS_BYTES, 'KDF parameters');
  const reader = new ByteReader(bytes, 'KDF parameters');
  const version = reader.u8('version');
  if (version !== KDF_VERSION) {
    throw new ProtocolError('bad-version', `Unknown KDF parameters version ${version}.`);
  }
  const algorithm = reader.u8('algorithm');
  const iterations = reader.u32('iterations');
  const saltLength = reader.u8('salt length');
  if (saltLength !== KDF_SALT_BYTES) {
    throw new ProtocolError('bad-length', `KDF salt must be ${KDF_SALT_BYTES} bytes, got ${saltLength}.`);
  }
  const params = { algorithm, iterations, salt: reader.take(KDF_SALT_BYTES, 'salt') };
  checkKdfParams(params);
  return params as KdfParams;
}

/**
 * The parameters come from the server, so they are checked on every use:
 * a malicious server could otherwise hand out a low iteration count to make
 * an offline guess of the auth key cheap, or a huge one to hang the client.
 */
function checkKdfParams(p: { algorithm: number; iterations: number; salt: Uint8Array }): void {
  if (p.algorithm !== KDF_PBKDF2_SHA256) {
    throw new ProtocolError('bad-algorithm', `Unknown KDF algorithm ${p.algorithm}.`);
  }
  if (!Number.isSafeInteger(p.iterations) || p.iterations < KDF_MIN_ITERATIONS) {
    throw new ProtocolError(
      'weak-kdf',
      `KDF iteration count ${p.iterations} is below the minimum of ${KDF_MIN_ITERATIONS}; refusing weak parameters.`,
    );
  }
  if (p.iterations > KDF_MAX_ITERATIONS) {
    throw new ProtocolError(
      'bad-algorithm',
      `KDF iteration count ${p.iterations} is above the maximum of ${KDF_MAX_ITERATIONS}; refusing parameters that would stall this device.`,
    );
  }
  requireLength(p.salt, KDF_SALT_BYTES, 'KDF salt');
}

/**
 * master  = PBKDF2-HMAC-SHA256(UTF-8(NFKC(passphrase)), pbkdf2Salt, iterations, 32)
 * authKey = HKDF-SHA256(master, salt = empty, info = "OnionChat v1 auth key", 32)
 * wrapKey = HKDF-SHA256(master, salt = empty, info = "OnionChat v1 wrap key", 32)
 *
 * All three run in WebCrypto: native code, so the cost does not depend on
 * the JavaScript JIT (Tor Browser's "Safer" level turns it off).
 */
export async function deriveAccountKeys(passphrase: string, username: string, params: KdfParams): Promise<AccountKeys> {
  checkKdfParams(params);
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new ProtocolError('bad-length', 'The passphrase must not be empty.');
  }
  const salt = await pbkdf2Salt(username, params.salt);
  const master = await pbkdf2Sha256(passphraseBytes(passphrase), salt, params.iterations);
  try {
    const [authKey, wrapKey] = await Promise.all([
      hkdfSha256(master, AUTH_KEY_INFO),
      hkdfSha256(master, WRAP_KEY_INFO),
    ]);
    return { authKey, wrapKey };
  } finally {
    master.fill(0);
  }
}

/**
 * SHA-256("OnionChat v1 kdf salt\0" || u8 len(username) || username || salt).
 * Binding the username means one stolen salt cannot seed a precomputation
 * that works for several accounts, and a server cannot swap in another
 * user's parameters to make two accounts derive the same keys.
 */
async function pbkdf2Salt(username: string, salt: Uint8Array): Promise<Uint8Array> {
  const input = concatBytes(SALT_CONTEXT, encodeUsernameField(username), salt);
  return sha256(input);
}

/** Consumes (and wipes) `password`. */
async function pbkdf2Sha256(password: Uint8Array, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await importRawKey(password, 'PBKDF2');
  password.fill(0);
  const bits = await subtle().deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: webCryptoBytes(salt), iterations },
    key,
    ACCOUNT_KEY_BYTES * BITS_PER_BYTE,
  );
  return new Uint8Array(bits);
}

async function hkdfSha256(master: Uint8Array, info: Uint8Array): Promise<Uint8Array> {
  const key = await importRawKey(master, 'HKDF');
  const bits = await subtle().deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: webCryptoBytes(info) },
    key,
    ACCOUNT_KEY_BYTES * BITS_PER_BYTE,
  );
  return new Uint8Array(bits);
}

/** WebCrypto copies the bytes during importKey, so our copy can be wiped straight after. */
async function importRawKey(secret: Uint8Array, algorithm: 'PBKDF2' | 'HKDF'): Promise<CryptoKey> {
  const raw = webCryptoBytes(secret);
  try {
    return await subtle().importKey('raw', raw, algorithm, false, ['deriveBits']);
  } finally {
    raw.fill(0);
  }
}
