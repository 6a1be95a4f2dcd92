import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { concatBytes, encodeU32, randomBytes } from './bytes.js';
import {
  MESSAGE_MAX_CONTENT_BYTES,
  MESSAGE_MAX_PADDED_BYTES,
  MESSAGE_MIN_PADDED_BYTES,
  pad,
  paddedSize,
  unpad,
} from './padding.js';

describe('padding buckets', () => {
  it.each([
    [0, 256],
    [1, 256],
    [252, 256],
    [253, 512],
    [508, 512],
    [509, 1024],
    [1020, 1024],
    [1021, 2048],
    [32764, 32768],
    [32765, 65536],
    [65532, 65536],
  ])('%i bytes of content go in a %i-byte bucket', (length, bucket) => {
    expect(paddedSize(length)).toBe(bucket);
    const padded = pad(randomBytes(length));
    expect(padded).toHaveLength(bucket);
  });

  it('refuses content past the largest bucket', () => {
    expect(MESSAGE_MIN_PADDED_BYTES).toBe(256);
    expect(MESSAGE_MAX_PADDED_BYTES).toBe(65536);
    expect(MESSAGE_MAX_CONTENT_BYTES).toBe(65532);
    expect(code(() => paddedSize(65533))).toBe('too-large');
    expect(code(() => pad(new Uint8Array(70_000)))).toBe('too-large');
  });

  it('writes the length prefix, the content and zeros', () => {
    const padded = pad(Uint8Array.of(7, 8, 9));
    expect(Array.from(padded.subarray(0, 7))).toEqual([0, 0, 0, 3, 7, 8, 9]);
    expect(padded.subarray(7).every((byte) => byte === 0)).toBe(true);
  });

  it('round-trips random content of random lengths', () => {
    for (let i = 0; i < 200; i++) {
      const length = Math.floor(Math.random() * 3000);
      const content = randomBytes(length);
      expect(unpad(pad(content))).toEqual(content);
    }
    expect(unpad(pad(new Uint8Array(0)))).toEqual(new Uint8Array(0));
    expect(unpad(pad(randomBytes(MESSAGE_MAX_CONTENT_BYTES)))).toHaveLength(MESSAGE_MAX_CONTENT_BYTES);
  });
});

describe('unpad rejects', () => {
  const good = pad(Uint8Array.of(1, 2, 3));
  const withPrefix = (length: number, size = 256) => {
    const out = new Uint8Array(size);
    out.set(encodeU32(length));
    return out;
  };

  it.each([
    ['a non-zero pad byte', () => Object.assign(good.slice(), { [200]: 1 })],
    ['a non-zero last byte', () => Object.assign(good.slice(), { [255]: 0x80 })],
    ['a length prefix one past the end', () => withPrefix(253)],
    ['a length prefix of 2^32 - 1', () => withPrefix(0xffff_ffff)],
    ['a size that is not a power of two', () => concatBytes(good, new Uint8Array(44))],
    ['a bucket larger than needed', () => withPrefix(3, 512)],
    ['a bucket smaller than the minimum', () => withPrefix(3, 128)],
    ['an empty input', () => new Uint8Array(0)],
    ['a bucket above the maximum', () => withPrefix(3, 2 * MESSAGE_MAX_PADDED_BYTES)],
  ])('%s', (_name, make) => {
    expect(code(() => unpad(make()))).toBe('bad-padding');
  });
});
