import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import {
  FILE_CHUNK_BYTES,
  FILE_CHUNK_CIPHER_BYTES,
  FILE_HEADER_BYTES,
  FILE_MAX_BYTES,
  FILE_MAX_CHUNKS,
  FILE_VERSION,
  encryptedFileSize,
  fileChunkCount,
  fileVersionOf,
  plainFileSize,
  readFileHeader,
  splitEncryptedFile,
} from './file-layout.js';

describe('file sizes', () => {
  it('has the documented constants', () => {
    expect(FILE_HEADER_BYTES).toBe(16);
    expect(FILE_CHUNK_BYTES).toBe(65536);
    expect(FILE_CHUNK_CIPHER_BYTES).toBe(65552);
    expect(FILE_MAX_BYTES).toBe(2 ** 40);
    expect(FILE_MAX_CHUNKS).toBe(2 ** 24);
    expect(FILE_VERSION).toBe(2);
  });

  it.each([
    [0, 1, 32],
    [1, 1, 33],
    [65535, 1, 65567],
    [65536, 1, 65568],
    [65537, 2, 65585],
    [131072, 2, 131120],
    [131073, 3, 131137],
    [200000, 4, 200080],
    [2 ** 40, 2 ** 24, 16 + 2 ** 40 + 16 * 2 ** 24],
  ])('%i bytes: %i chunks, %i bytes encrypted', (plain, chunks, encrypted) => {
    expect(fileChunkCount(plain)).toBe(chunks);
    expect(encryptedFileSize(plain)).toBe(encrypted);
    expect(plainFileSize(encrypted)).toBe(plain);
  });

  it('inverts encryptedFileSize for random sizes', () => {
    for (let i = 0; i < 1000; i++) {
      const plain = Math.floor(Math.random() * 10 * FILE_CHUNK_BYTES);
      expect(plainFileSize(encryptedFileSize(plain))).toBe(plain);
    }
  });

  it.each([
    ['empty', 0],
    ['a header only', 16],
    ['a last chunk shorter than its tag', 31],
    ['one byte after a full last chunk', 16 + FILE_CHUNK_CIPHER_BYTES + 1],
    ['fifteen bytes after a full chunk', 16 + FILE_CHUNK_CIPHER_BYTES + 15],
    ['an empty last chunk after a full one', 16 + FILE_CHUNK_CIPHER_BYTES + 16],
    ['an empty last chunk after three full ones', 16 + 3 * FILE_CHUNK_CIPHER_BYTES + 16],
    ['negative', -32],
    ['not an integer', 32.5],
    ['NaN', Number.NaN],
    ['above the maximum', encryptedFileSize(FILE_MAX_BYTES) + 1],
  ])('refuses an impossible encrypted size: %s', (_name, size) => {
    expect(code(() => plainFileSize(size))).toBe('bad-length');
  });

  it('refuses impossible plaintext sizes', () => {
    expect(code(() => fileChunkCount(-1))).toBe('bad-length');
    expect(code(() => fileChunkCount(1.5))).toBe('bad-length');
    expect(code(() => encryptedFileSize(Number.NaN))).toBe('bad-length');
    expect(code(() => encryptedFileSize(FILE_MAX_BYTES + 1))).toBe('too-large');
  });

  it.each([1, 2])('splits a whole version %i file at the fixed sizes, the last chunk being the rest', (version) => {
    const encrypted = new Uint8Array(encryptedFileSize(200000)).fill(version);
    const { header, chunks } = splitEncryptedFile(encrypted);
    expect(header).toHaveLength(16);
    expect(chunks.map((chunk) => chunk.length)).toEqual([65552, 65552, 65552, 200000 - 3 * 65536 + 16]);
    for (const unknown of [0, 3, 255]) {
      const other = encrypted.slice();
      other[0] = unknown;
      expect(code(() => splitEncryptedFile(other))).toBe('bad-version');
      expect(code(() => splitEncryptedFile(other.subarray(0, 5)))).toBe('bad-version');
    }
    expect(code(() => splitEncryptedFile(encrypted.subarray(0, 16 + FILE_CHUNK_CIPHER_BYTES + 1)))).toBe('bad-length');
    expect(code(() => splitEncryptedFile(new Uint8Array(0)))).toBe('bad-length');
  });

  it('reads headers of both versions, the version before the length', () => {
    const prefix = Uint8Array.from({ length: 15 }, (_, i) => i + 1);
    for (const version of [1, 2] as const) {
      const header = Uint8Array.of(version, ...prefix);
      const read = readFileHeader(header);
      expect(read).toEqual({ version, noncePrefix: prefix });
      header[1] = 99; // a copy
      expect(read.noncePrefix[0]).toBe(1);
      expect(fileVersionOf(Uint8Array.of(version))).toBe(version);
      expect(code(() => readFileHeader(Uint8Array.of(version, ...prefix, 0)))).toBe('bad-length');
      expect(code(() => readFileHeader(Uint8Array.of(version)))).toBe('bad-length');
    }
    expect(code(() => readFileHeader(Uint8Array.of(3)))).toBe('bad-version');
    expect(code(() => readFileHeader(Uint8Array.of(0, ...prefix)))).toBe('bad-version');
    expect(code(() => readFileHeader(new Uint8Array(0)))).toBe('bad-length');
    expect(code(() => fileVersionOf('x' as unknown as Uint8Array))).toBe('bad-length');
  });
});
