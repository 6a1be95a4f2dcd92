import { ProtocolError } from './errors.js';

/** RFC 4648 section 4 ("base64"), the standard alphabet with '=' padding. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = '=';
const GROUP_CHARS = 4;
const GROUP_BYTES = 3;
const NOT_IN_ALPHABET = -1;

const DECODE_TABLE: Int16Array = (() => {
  const table = new Int16Array(128).fill(NOT_IN_ALPHABET);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += GROUP_BYTES) {
    const b0 = bytes[i] as number;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    out += ALPHABET[b0 >> 2]!;
    out += ALPHABET[((b0 & 0x03) << 4) | ((b1 ?? 0) >> 4)]!;
    out += b1 === undefined ? PAD : ALPHABET[((b1 & 0x0f) << 2) | ((b2 ?? 0) >> 6)]!;
    out += b2 === undefined ? PAD : ALPHABET[b2 & 0x3f]!;
  }
  return out;
}

/**
 * Strict decoding: exactly one text encodes a given byte string. We reject
 * whitespace, the URL-safe alphabet, missing or extra padding, and non-zero
 * unused bits in the last character, so a record cannot be smuggled in two
 * spellings (which would defeat de-duplication and equality checks on the
 * encoded form).
 */
export function fromBase64(text: string): Uint8Array {
  if (typeof text !== 'string' || text.length % GROUP_CHARS !== 0) {
    throw badBase64('its length is not a multiple of 4');
  }
  const padding = text.endsWith(PAD + PAD) ? 2 : text.endsWith(PAD) ? 1 : 0;
  const dataChars = text.length - padding;
  const out = new Uint8Array((text.length / GROUP_CHARS) * GROUP_BYTES - padding);
  let bits = 0;
  let bitCount = 0;
  let written = 0;
  for (let i = 0; i < dataChars; i++) {
    bits = ((bits << 6) | sextet(text, i)) & 0xffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      out[written++] = (bits >> bitCount) & 0xff;
    }
  }
  if ((bits & ((1 << bitCount) - 1)) !== 0) {
    throw badBase64('the unused bits of the last character are not zero (non-canonical)');
  }
  return out;
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  const value = code < 128 ? (DECODE_TABLE[code] as number) : NOT_IN_ALPHABET;
  if (value === NOT_IN_ALPHABET) {
    const shown = text[index] === PAD ? "misplaced '='" : `character ${JSON.stringify(text[index])}`;
    throw badBase64(`${shown} at position ${index}`);
  }
  return value;
}

function badBase64(reason: string): ProtocolError {
  return new ProtocolError('bad-encoding', `Not valid base64: ${reason}.`);
}
