import { concatBytes, encodeU32, equalBytes, utf8Encode, webCryptoBytes } from './bytes.js';
import { ProtocolError, requireLength } from './errors.js';
import { SIGN_PUBLIC_KEY_BYTES } from './key-sizes.js';
import { encodeUsernameField } from './username.js';
import { uuidToBytes } from './uuid.js';
import { subtle } from './web-crypto.js';

export const SAFETY_NUMBER_VERSION = 2;
/**
 * Signal's figure: each iteration is one SHA-512, so an attacker searching
 * for a key whose half matches a target pays 5200 hashes per guess on top of
 * the 10^30 guesses that 30 digits demand (about 2^112 hashes in all).
 */
export const SAFETY_NUMBER_ITERATIONS = 5200;
/** Digits per person; the safety number shows both halves, 60 digits. */
export const SAFETY_NUMBER_HALF_DIGITS = 30;
const CHUNK_BYTES = 5;
const CHUNK_DIGITS = 5;
const CHUNK_MODULUS = 100_000;
/** 6 chunks of 5 bytes per person. */
const HALF_BYTES = (SAFETY_NUMBER_HALF_DIGITS / CHUNK_DIGITS) * CHUNK_BYTES;
/** version(1) || lower half(30) || higher half(30) = 61 */
export const SAFETY_NUMBER_QR_BYTES = 1 + 2 * HALF_BYTES;
const SHA_512 = 'SHA-512';
const CONTEXT = utf8Encode('OnionChat safety number\0');

/** One side of a conversation: the account id, the canonical username and its Ed25519 identity key. */
export interface SafetyParty {
  userId: string;
  username: string;
  signPublicKey: Uint8Array;
}

export interface SafetyNumber {
  /** 60 digits, the lower half (by bytes) first, so both people get the same string. */
  digits: string;
  /** The digits in 12 groups of 5, for reading aloud. */
  groups: string[];
  /** What the QR code carries: version(1)=2 || lower half(30) || higher half(30). */
  qr: Uint8Array;
}

/**
 * For each person:
 *   h0 = SHA-512("OnionChat safety number\0" || u32 BE version=2 || userId(16) || u8 len(username) || username
 *                || signPublicKey)
 *   h(i+1) = SHA-512(h(i) || signPublicKey), 5200 times
 * and the half is the first 30 bytes of the last hash. Each 5-byte chunk, as
 * a big-endian 40-bit number modulo 100000, gives 5 decimal digits (zero
 * padded). The two halves are sorted by their bytes, so both people compute
 * the same 60 digits. The user id makes a name taken over by a new account
 * (same username, even the same key) give another number. SHA-512 runs in
 * WebCrypto: native even without a JIT.
 */
export async function safetyNumber(a: SafetyParty, b: SafetyParty): Promise<SafetyNumber> {
  const [left, right] = await Promise.all([safetyHalf(a), safetyHalf(b)]);
  const [low, high] = compareBytes(left, right) <= 0 ? [left, right] : [right, left];
  const groups = [...chunkDigits(low), ...chunkDigits(high)];
  return { digits: groups.join(''), groups, qr: concatBytes(Uint8Array.of(SAFETY_NUMBER_VERSION), low, high) };
}

/**
 * True when a scanned QR payload is the one this client computed. Throws
 * 'bad-version' or 'bad-length' for a payload that is not a safety number
 * code at all (so the person can be told "that is not an OnionChat code"
 * rather than "the numbers differ").
 */
export function matchSafetyNumberQr(scanned: Uint8Array, mine: SafetyNumber): boolean {
  if (!(scanned instanceof Uint8Array) || scanned.length === 0) {
    throw new ProtocolError('bad-length', 'A safety number code cannot be empty.');
  }
  if (scanned[0] !== SAFETY_NUMBER_VERSION) {
    throw new ProtocolError('bad-version', `Unknown safety number code version ${scanned[0]}.`);
  }
  requireLength(scanned, SAFETY_NUMBER_QR_BYTES, 'Safety number code');
  return equalBytes(scanned, mine.qr);
}

async function safetyHalf(party: SafetyParty): Promise<Uint8Array> {
  requireLength(party.signPublicKey, SIGN_PUBLIC_KEY_BYTES, 'Signing public key');
  const key = webCryptoBytes(party.signPublicKey);
  let hash = await sha512(
    concatBytes(
      CONTEXT,
      encodeU32(SAFETY_NUMBER_VERSION),
      uuidToBytes(party.userId),
      encodeUsernameField(party.username),
      key,
    ),
  );
  for (let i = 0; i < SAFETY_NUMBER_ITERATIONS; i++) hash = await sha512(concatBytes(hash, key));
  return hash.slice(0, HALF_BYTES);
}

async function sha512(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest(SHA_512, webCryptoBytes(bytes)));
}

function chunkDigits(half: Uint8Array): string[] {
  const out: string[] = [];
  for (let offset = 0; offset < half.length; offset += CHUNK_BYTES) {
    let value = 0;
    // 40 bits fit a double exactly.
    for (let i = 0; i < CHUNK_BYTES; i++) value = value * 256 + (half[offset + i] as number);
    out.push(String(value % CHUNK_MODULUS).padStart(CHUNK_DIGITS, '0'));
  }
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  }
  return a.length - b.length;
}
