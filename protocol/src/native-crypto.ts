// Ed25519 and X25519 through the browser's own WebCrypto. With the JIT off (Tor
// Browser's "Safer" level) tweetnacl takes about 120 ms to check a signature; native
// code takes a fraction of a millisecond. The keys and bytes are the same as
// tweetnacl's: a signing key is imported from its 32-byte seed, a box key from its
// 32-byte secret, and every answer is cross-checked against tweetnacl in the tests.
import { fromBase64 } from './base64.js';
import { concatBytes, equalBytes, fromHex, toHex, webCryptoBytes } from './bytes.js';

/** What this engine's WebCrypto can do, probed once with known answers. */
export interface NativeSupport {
  ed25519: boolean;
  x25519: boolean;
}

const ED25519 = 'Ed25519';
const X25519 = 'X25519';
// PKCS #8 wrappers of a raw 32-byte private key (RFC 8410): only the OID differs.
const ED25519_PKCS8_PREFIX = fromHex('302e020100300506032b657004220420');
const X25519_PKCS8_PREFIX = fromHex('302e020100300506032b656e04220420');
const SHARED_SECRET_BITS = 256;
/** Verify keys are imported once per key; a page meets few, but a bound keeps a hostile list small. */
const VERIFY_KEY_CACHE_MAX = 256;

let probed: Promise<NativeSupport> | null = null;
const signKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();
const boxKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();
const verifyKeys = new Map<string, Promise<CryptoKey>>();

function subtleOrNull(): SubtleCrypto | null {
  return globalThis.crypto?.subtle ?? null;
}

/**
 * Which primitives run natively here, decided once per page (or worker) by checking
 * RFC 8032's and RFC 7748's test vectors: an engine that lacks them, or answers
 * wrongly, gets tweetnacl.
 */
export function nativeSupport(): Promise<NativeSupport> {
  probed ??= probe();
  return probed;
}

async function probe(): Promise<NativeSupport> {
  const [ed25519, x25519] = await Promise.all([probeEd25519(), probeX25519()]);
  return { ed25519, x25519 };
}

// RFC 8032 section 7.1, test 2: a one-byte message.
const ED_SEED = fromHex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb');
const ED_PUBLIC = fromHex('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c');
const ED_MESSAGE = fromHex('72');
const ED_SIGNATURE = fromHex(
  '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
);

async function probeEd25519(): Promise<boolean> {
  try {
    const signature = await nativeSign(ED_MESSAGE, concatBytes(ED_SEED, ED_PUBLIC));
    const good = await nativeVerify(ED_MESSAGE, ED_SIGNATURE, ED_PUBLIC);
    const tampered = ED_SIGNATURE.slice();
    tampered[0] = (tampered[0] as number) ^ 1;
    const bad = await nativeVerify(ED_MESSAGE, tampered, ED_PUBLIC);
    const derived = await nativeSignPublicKey(ED_SEED);
    return equalBytes(signature, ED_SIGNATURE) && good && !bad && equalBytes(derived, ED_PUBLIC);
  } catch {
    return false;
  }
}

// RFC 7748 section 6.1: Alice's secret, Bob's public key, their shared secret.
const X_SECRET = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
const X_PUBLIC = fromHex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
const X_PEER = fromHex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
const X_SHARED = fromHex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');

async function probeX25519(): Promise<boolean> {
  try {
    const shared = await nativeX25519(X_SECRET, X_PEER);
    const derived = await nativeBoxPublicKey(X_SECRET);
    return equalBytes(shared, X_SHARED) && equalBytes(derived, X_PUBLIC);
  } catch {
    return false;
  }
}

function api(): SubtleCrypto {
  const subtle = subtleOrNull();
  if (!subtle) throw new Error('WebCrypto is not available here.');
  return subtle;
}

/** `secretKey`: tweetnacl's 64-byte form (seed || public key); only the seed is imported. */
export async function nativeSign(message: Uint8Array, secretKey: Uint8Array): Promise<Uint8Array> {
  const key = await cachedPrivate(signKeys, secretKey, () =>
    importPrivate(ED25519_PKCS8_PREFIX, secretKey.subarray(0, 32), ED25519, ['sign'], false),
  );
  return new Uint8Array(await api().sign(ED25519, key, webCryptoBytes(message)));
}

export async function nativeVerify(
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): Promise<boolean> {
  const key = verifyKey(publicKey);
  return api().verify(ED25519, await key, webCryptoBytes(signature), webCryptoBytes(message));
}

/** The raw X25519 shared secret (before any hashing), as tweetnacl's scalarMult gives it. */
export async function nativeX25519(secretKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array> {
  const key = await cachedPrivate(boxKeys, secretKey, () =>
    importPrivate(X25519_PKCS8_PREFIX, secretKey, X25519, ['deriveBits'], false),
  );
  const peer = await api().importKey('raw', webCryptoBytes(publicKey), { name: X25519 }, true, []);
  const bits = await api().deriveBits({ name: X25519, public: peer }, key, SHARED_SECRET_BITS);
  return new Uint8Array(bits);
}

/** The Ed25519 public key of a 32-byte seed. */
export async function nativeSignPublicKey(seed: Uint8Array): Promise<Uint8Array> {
  return exportPublic(await importPrivate(ED25519_PKCS8_PREFIX, seed, ED25519, ['sign'], true));
}

/** The X25519 public key of a 32-byte secret key. */
export async function nativeBoxPublicKey(secretKey: Uint8Array): Promise<Uint8Array> {
  return exportPublic(await importPrivate(X25519_PKCS8_PREFIX, secretKey, X25519, ['deriveBits'], true));
}

/**
 * A private key imported once per secret (the identity's own array, so it goes when
 * the identity does); one the engine refused is not remembered.
 */
function cachedPrivate(
  cache: WeakMap<Uint8Array, Promise<CryptoKey>>,
  secret: Uint8Array,
  load: () => Promise<CryptoKey>,
): Promise<CryptoKey> {
  let key = cache.get(secret);
  if (!key) {
    key = load();
    key.catch(() => cache.delete(secret));
    cache.set(secret, key);
  }
  return key;
}

function verifyKey(publicKey: Uint8Array): Promise<CryptoKey> {
  const id = toHex(publicKey);
  let key = verifyKeys.get(id);
  if (!key) {
    if (verifyKeys.size >= VERIFY_KEY_CACHE_MAX) verifyKeys.clear();
    key = api().importKey('raw', webCryptoBytes(publicKey), { name: ED25519 }, false, ['verify']);
    // A key the engine refused is not remembered: the caller falls back, and may try again.
    key.catch(() => verifyKeys.delete(id));
    verifyKeys.set(id, key);
  }
  return key;
}

async function importPrivate(
  prefix: Uint8Array,
  raw: Uint8Array,
  name: string,
  usages: KeyUsage[],
  extractable: boolean,
): Promise<CryptoKey> {
  const pkcs8 = concatBytes(prefix, raw);
  try {
    return await api().importKey('pkcs8', webCryptoBytes(pkcs8), { name }, extractable, usages);
  } finally {
    pkcs8.fill(0);
  }
}

/** A private key's public half, read from its JWK export (the `x` member, base64url). */
async function exportPublic(privateKey: CryptoKey): Promise<Uint8Array> {
  const jwk = await api().exportKey('jwk', privateKey);
  if (typeof jwk.x !== 'string') throw new Error('The engine exported no public key.');
  return fromBase64Url(jwk.x);
}

/** JWK's unpadded base64url, read by the strict decoder (section "Binary values in JSON"). */
function fromBase64Url(text: string): Uint8Array {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  return fromBase64(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
}
