import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  decodeU32,
  decodeU64,
  encodeU32,
  encodeU64,
  equalBytes,
  fromHex,
  randomBytes,
  toHex,
} from './bytes.js';
import { ProtocolError } from './errors.js';

describe('hex', () => {
  it('round-trips and writes lower case', () => {
    const bytes = Uint8Array.of(0, 1, 0x7f, 0x80, 0xab, 0xff);
    expect(toHex(bytes)).toBe('00017f80abff');
    expect(fromHex('00017F80ABff')).toEqual(bytes);
    expect(fromHex('')).toEqual(new Uint8Array(0));
  });

  it.each(['0', 'abc', 'zz', '0x00', ' 00', '00 '])('rejects %j', (text) => {
    expect(() => fromHex(text)).toThrow(ProtocolError);
  });
});

describe('equalBytes', () => {
  it('compares contents and lengths', () => {
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBe(false);
    expect(equalBytes(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });
});

describe('u32', () => {
  it('is big-endian and bounded', () => {
    expect(toHex(encodeU32(600_000))).toBe('000927c0');
    expect(decodeU32(fromHex('ff000927c0'), 1)).toBe(600_000);
    expect(() => encodeU32(2 ** 32)).toThrow(ProtocolError);
    expect(() => encodeU32(-1)).toThrow(ProtocolError);
    expect(() => encodeU32(1.5)).toThrow(ProtocolError);
  });
});

describe('randomBytes / concatBytes', () => {
  it('returns the requested length and distinct values', () => {
    expect(randomBytes(32)).toHaveLength(32);
    expect(equalBytes(randomBytes(32), randomBytes(32))).toBe(false);
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('fills more than one 64 KiB call of the platform generator, to the last byte', () => {
    const bytes = randomBytes(65536 * 2 + 5);
    expect(bytes).toHaveLength(131077);
    // Each part filled: 4,096 zero bytes in a row would be a 2^-32768 chance.
    for (const start of [0, 65536, 131072 - 4091]) {
      expect(bytes.subarray(start, start + 4096).some((byte) => byte !== 0)).toBe(true);
    }
    expect(randomBytes(0)).toHaveLength(0);
  });
});

describe('u64', () => {
  it('is big-endian and limited to safe integers', () => {
    expect(toHex(encodeU64(0))).toBe('0000000000000000');
    expect(toHex(encodeU64(1_767_225_600_000))).toBe('0000019b76daa800');
    expect(toHex(encodeU64(Number.MAX_SAFE_INTEGER))).toBe('001fffffffffffff');
    expect(decodeU64(fromHex('ff0000019b76daa800'), 1)).toBe(1_767_225_600_000);
    expect(decodeU64(fromHex('001fffffffffffff'), 0)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => decodeU64(fromHex('0020000000000000'), 0)).toThrow(ProtocolError);
    expect(() => encodeU64(2 ** 53)).toThrow(ProtocolError);
    expect(() => encodeU64(-1)).toThrow(ProtocolError);
    expect(() => encodeU64(0.5)).toThrow(ProtocolError);
  });
});
