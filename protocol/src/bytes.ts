import { ProtocolError } from './errors.js';

const HEX_DIGITS = '0123456789abcdef';
const HEX_PATTERN = /^(?:[0-9a-fA-F]{2})*$/;
const U32_BYTES = 4;
const U32_MAX = 0xffff_ffff;
const U64_BYTES = 8;
const TWO_POW_32 = 0x1_0000_0000;

/** getRandomValues fills at most 65,536 bytes per call. */
const RANDOM_CHUNK_BYTES = 65536;

/** Cryptographically secure random bytes from the platform's CSPRNG (WebCrypto). */
export function randomBytes(n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  for (let offset = 0; offset < n; offset += RANDOM_CHUNK_BYTES) {
    globalThis.crypto.getRandomValues(bytes.subarray(offset, Math.min(n, offset + RANDOM_CHUNK_BYTES)));
  }
  return bytes;
}

/**
 * Compares two byte strings without an early exit, so the time taken does
 * not reveal where the first difference is. Lengths are not secret.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const byte of bytes) acc |= byte;
  return acc === 0;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX_DIGITS[byte >> 4]! + HEX_DIGITS[byte & 0x0f]!;
  return out;
}

/** Accepts either case; rejects odd lengths and any other character. */
export function fromHex(text: string): Uint8Array {
  if (typeof text !== 'string' || !HEX_PATTERN.test(text)) {
    throw new ProtocolError('bad-encoding', 'Not a valid hex string.');
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function utf8Encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Big-endian unsigned 32-bit integer. */
export function encodeU32(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw new ProtocolError('bad-length', `${value} does not fit in an unsigned 32-bit integer.`);
  }
  const out = new Uint8Array(U32_BYTES);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

export function decodeU32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, false);
}

/**
 * Big-endian unsigned 64-bit integer, limited to what a JavaScript number
 * holds exactly (0 to 2^53 - 1).
 */
export function encodeU64(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ProtocolError('bad-encoding', `${value} is not an integer from 0 to 2^53 - 1.`);
  }
  const out = new Uint8Array(U64_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(value / TWO_POW_32), false);
  view.setUint32(U32_BYTES, value % TWO_POW_32, false);
  return out;
}

/** Throws 'bad-encoding' for a value above 2^53 - 1, which a number cannot hold exactly. */
export function decodeU64(bytes: Uint8Array, offset: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const value = view.getUint32(offset, false) * TWO_POW_32 + view.getUint32(offset + U32_BYTES, false);
  if (!Number.isSafeInteger(value)) {
    throw new ProtocolError('bad-encoding', 'A 64-bit value is above 2^53 - 1, which this client cannot represent.');
  }
  return value;
}

/**
 * WebCrypto's types want a view over a plain ArrayBuffer (not a
 * SharedArrayBuffer); copying also guarantees we never hand it a view onto
 * a larger buffer than intended.
 */
export function webCryptoBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
