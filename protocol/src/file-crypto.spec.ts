import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { concatBytes, encodeU64, randomBytes } from './bytes.js';
import { createFileDecryptor, createFileEncryptor, decryptFile, encryptFile, newFileKey } from './file-crypto.js';
import {
  FILE_CHUNK_BYTES,
  FILE_CHUNK_CIPHER_BYTES,
  FILE_HEADER_BYTES,
  encryptedFileSize,
  fileChunkCount,
  splitEncryptedFile,
} from './file-layout.js';

const FULL = FILE_CHUNK_BYTES;

/** Cuts a plaintext the way a streaming sender must: full chunks, then a last one (never an extra empty one). */
function plainChunks(plain: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < fileChunkCount(plain.length); i++) chunks.push(plain.subarray(i * FULL, (i + 1) * FULL));
  return chunks;
}

function chunksOf(encrypted: Uint8Array): Uint8Array[] {
  return splitEncryptedFile(encrypted).chunks;
}

function decryptChunks(key: Uint8Array, header: Uint8Array, chunks: Uint8Array[]): Uint8Array {
  const decryptor = createFileDecryptor(key, header);
  const out = chunks.map((chunk, i) => decryptor.decryptChunk(chunk, i === chunks.length - 1));
  decryptor.finish();
  return concatBytes(...out);
}

const randomSize = () => Math.floor(Math.random() * 4 * FULL);

describe('file encryption', () => {
  it('round-trips random sizes and the chunk boundaries', () => {
    const sizes = [0, 1, 15, 16, 17, FULL - 1, FULL, FULL + 1, 2 * FULL - 1, 2 * FULL, 2 * FULL + 1, 3 * FULL];
    for (let i = 0; i < 20; i++) sizes.push(randomSize());
    for (const size of sizes) {
      const key = newFileKey();
      const plain = randomBytes(size);
      const encrypted = encryptFile(key, plain);
      expect(encrypted).toHaveLength(encryptedFileSize(size));
      expect(encrypted[0]).toBe(1);
      expect(chunksOf(encrypted)).toHaveLength(fileChunkCount(size));
      expect(decryptFile(key, encrypted)).toEqual(plain);
    }
  });

  it('streams exactly the bytes of the whole-buffer functions', () => {
    for (const size of [0, 1, FULL, FULL + 1, 3 * FULL, randomSize(), randomSize()]) {
      const key = newFileKey();
      const prefix = randomBytes(15);
      const plain = randomBytes(size);
      const encryptor = createFileEncryptor(key, prefix);
      const parts = plainChunks(plain);
      const streamed = concatBytes(
        encryptor.header,
        ...parts.map((part, i) => encryptor.encryptChunk(part, i === parts.length - 1)),
      );
      expect(encryptor.done).toBe(true);
      const whole = encryptFile(key, plain, prefix);
      expect(streamed).toEqual(whole);
      expect(decryptChunks(key, whole.subarray(0, FILE_HEADER_BYTES), chunksOf(whole))).toEqual(plain);
    }
  });

  it('lays out exactly the bytes described in docs/PROTOCOL.md', () => {
    const key = newFileKey();
    const prefix = randomBytes(15);
    const plain = randomBytes(2 * FULL + 5);
    const encrypted = encryptFile(key, plain, prefix);
    expect(encrypted.subarray(0, 16)).toEqual(concatBytes(Uint8Array.of(1), prefix));
    const nonce = (i: number, last: boolean) => concatBytes(prefix, encodeU64(i), Uint8Array.of(last ? 1 : 0));
    const expected = concatBytes(
      Uint8Array.of(1),
      prefix,
      nacl.secretbox(plain.subarray(0, FULL), nonce(0, false), key),
      nacl.secretbox(plain.subarray(FULL, 2 * FULL), nonce(1, false), key),
      nacl.secretbox(plain.subarray(2 * FULL), nonce(2, true), key),
    );
    expect(encrypted).toEqual(expected);
  });

  it('draws a fresh nonce prefix for every file and copies the key', () => {
    const key = newFileKey();
    const a = createFileEncryptor(key);
    const b = createFileEncryptor(key);
    expect(a.header).not.toEqual(b.header);
    const first = encryptFile(key, Uint8Array.of(1, 2, 3));
    const encryptor = createFileEncryptor(key, first.subarray(1, 16));
    const original = key.slice();
    key.fill(0);
    const again = concatBytes(encryptor.header, encryptor.encryptChunk(Uint8Array.of(1, 2, 3), true));
    expect(again).toEqual(first);
    expect(decryptFile(original, again)).toEqual(Uint8Array.of(1, 2, 3));
  });
});

describe('the file encryptor refuses', () => {
  const key = newFileKey();

  it.each([
    ['a short chunk that is not the last', [[FULL - 1, false]]],
    ['a long chunk that is not the last', [[FULL + 1, false]]],
    ['an empty chunk that is not the last', [[0, false]]],
    ['a last chunk over the chunk size', [[FULL + 1, true]]],
    [
      'an empty last chunk after a full one',
      [
        [FULL, false],
        [0, true],
      ],
    ],
    [
      'a chunk after the last',
      [
        [10, true],
        [10, true],
      ],
    ],
  ] as [string, [number, boolean][]][])('%s', (_name, steps) => {
    const encryptor = createFileEncryptor(key);
    const results = steps.map(([size, last]) => code(() => encryptor.encryptChunk(new Uint8Array(size), last)));
    expect(results.at(-1)).toBe('bad-length');
    expect(results.slice(0, -1).every((result) => result === undefined)).toBe(true);
  });

  it('keys and prefixes of the wrong size', () => {
    expect(code(() => createFileEncryptor(new Uint8Array(31)))).toBe('bad-length');
    expect(code(() => createFileEncryptor(key, new Uint8Array(16)))).toBe('bad-length');
    expect(code(() => encryptFile(new Uint8Array(0), Uint8Array.of(1)))).toBe('bad-length');
    expect(code(() => createFileEncryptor(key).encryptChunk('abc' as unknown as Uint8Array, true))).toBe('bad-length');
  });
});

describe('the file decryptor', () => {
  const key = newFileKey();
  const plain = randomBytes(3 * FULL + 1000);
  const encrypted = encryptFile(key, plain);
  const header = encrypted.subarray(0, FILE_HEADER_BYTES);
  const chunks = chunksOf(encrypted);
  const open = (parts: Uint8Array[], withKey = key, withHeader = header) =>
    code(() => decryptChunks(withKey, withHeader, parts));

  it('rejects tampering, truncation, extension and splicing', () => {
    const [c0, c1, c2, c3] = chunks as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const other = encryptFile(key, plain);
    const otherKey = newFileKey();
    const otherKeyChunks = chunksOf(encryptFile(otherKey, plain, header.subarray(1)));
    const flipped = c1.slice();
    flipped[100]! ^= 1;

    expect(open([c0, c1, c2])).toBe('decrypt-failed'); // last chunk dropped: c2 was sealed as not last
    expect(open([c0, c2, c1, c3])).toBe('decrypt-failed'); // reordered
    expect(open([c0, c0, c2, c3])).toBe('decrypt-failed'); // duplicated
    expect(open([c0, chunksOf(other)[1]!, c2, c3])).toBe('decrypt-failed'); // same key, other prefix
    expect(open([c0, otherKeyChunks[1]!, c2, c3])).toBe('decrypt-failed'); // same prefix, other key
    expect(open([c0, flipped, c2, c3])).toBe('decrypt-failed');
    expect(open([c0, c1, c2, c3.subarray(0, c3.length - 1)])).toBe('decrypt-failed');
    expect(open(chunks, newFileKey())).toBe('decrypt-failed');
    expect(open([c0, c1, c2, c3, c3])).toBe('bad-length'); // extended after the last chunk
    expect(open([c0, c1, c2, c3])).toBeUndefined();
  });

  it('knows a stream that ends without its last chunk is truncated', () => {
    const decryptor = createFileDecryptor(key, header);
    decryptor.decryptChunk(chunks[0]!, false);
    expect(decryptor.done).toBe(false);
    expect(code(() => decryptor.finish())).toBe('bad-length');
  });

  it('rejects chunks of the wrong size for their position', () => {
    const decryptor = createFileDecryptor(key, header);
    expect(code(() => decryptor.decryptChunk(chunks[3]!, false))).toBe('bad-length');
    expect(code(() => decryptor.decryptChunk(new Uint8Array(FILE_CHUNK_CIPHER_BYTES + 1), true))).toBe('bad-length');
    expect(code(() => decryptor.decryptChunk(new Uint8Array(15), true))).toBe('bad-length');
    decryptor.decryptChunk(chunks[0]!, false);
    expect(code(() => decryptor.decryptChunk(new Uint8Array(16), true))).toBe('bad-length');
  });

  it('lets a failed chunk be retried, since the position only advances on success', () => {
    const decryptor = createFileDecryptor(key, header);
    const damaged = chunks[0]!.slice();
    damaged[0]! ^= 0x80;
    expect(code(() => decryptor.decryptChunk(damaged, false))).toBe('decrypt-failed');
    const out = chunks.map((chunk, i) => decryptor.decryptChunk(chunk, i === chunks.length - 1));
    expect(decryptor.done).toBe(true);
    decryptor.finish();
    expect(concatBytes(...out)).toEqual(plain);
  });

  it('rejects bad headers and keys', () => {
    expect(code(() => createFileDecryptor(key, Uint8Array.of(2, ...header.subarray(1))))).toBe('bad-version');
    expect(code(() => createFileDecryptor(key, Uint8Array.of(0, ...header.subarray(1))))).toBe('bad-version');
    expect(code(() => createFileDecryptor(key, header.subarray(0, 15)))).toBe('bad-length');
    expect(code(() => createFileDecryptor(key, new Uint8Array(0)))).toBe('bad-length');
    expect(code(() => createFileDecryptor(key.subarray(1), header))).toBe('bad-length');
    const flipped = header.slice();
    flipped[5]! ^= 1;
    expect(open(chunks, key, flipped)).toBe('decrypt-failed');
  });

  it('checks the whole buffer before decrypting', () => {
    expect(code(() => decryptFile(key, new Uint8Array(0)))).toBe('bad-length');
    expect(code(() => decryptFile(key, encrypted.subarray(0, 16)))).toBe('bad-length');
    expect(code(() => decryptFile(key, Uint8Array.of(2, ...encrypted.subarray(1, 20))))).toBe('bad-version');
    expect(code(() => decryptFile(key, encrypted.subarray(0, 16 + 3 * FILE_CHUNK_CIPHER_BYTES + 5)))).toBe(
      'bad-length',
    );
    expect(code(() => decryptFile(key, encrypted.subarray(0, 16 + 3 * FILE_CHUNK_CIPHER_BYTES)))).toBe(
      'decrypt-failed',
    );
    expect(code(() => decryptFile(key, concatBytes(encrypted, Uint8Array.of(0))))).toBe('decrypt-failed');
  });
});
