import { createCipheriv } from 'node:crypto';
import nacl from 'tweetnacl';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { concatBytes, encodeU32, encodeU64, randomBytes } from './bytes.js';
import {
  createFileDecryptor,
  createFileEncryptor,
  decryptFile,
  encryptFile,
  newFileKey,
  type FileEncryptOptions,
} from './file-crypto.js';
import {
  FILE_CHUNK_BYTES,
  FILE_CHUNK_CIPHER_BYTES,
  FILE_HEADER_BYTES,
  FILE_VERSION,
  encryptedFileSize,
  fileChunkCount,
  splitEncryptedFile,
  type FileVersion,
} from './file-layout.js';

const FULL = FILE_CHUNK_BYTES;
const VERSIONS: FileVersion[] = [1, 2];

/** The ProtocolError code (or undefined) of a call that may throw or reject. */
async function codeOf(run: () => unknown): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

/** Cuts a plaintext the way a streaming sender must: full chunks, then a last one (never an extra empty one). */
function plainChunks(plain: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < fileChunkCount(plain.length); i++) chunks.push(plain.subarray(i * FULL, (i + 1) * FULL));
  return chunks;
}

function chunksOf(encrypted: Uint8Array): Uint8Array[] {
  return splitEncryptedFile(encrypted).chunks;
}

async function decryptChunks(key: Uint8Array, header: Uint8Array, chunks: Uint8Array[]): Promise<Uint8Array> {
  const decryptor = createFileDecryptor(key, header);
  const out: Uint8Array[] = [];
  for (const [i, chunk] of chunks.entries()) out.push(await decryptor.decryptChunk(chunk, i === chunks.length - 1));
  decryptor.finish();
  return concatBytes(...out);
}

/** AES-256-GCM by Node's OpenSSL binding (not WebCrypto): ciphertext || tag. */
function gcm(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plain: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  return concatBytes(cipher.update(plain), cipher.final(), cipher.getAuthTag());
}

const randomSize = () => Math.floor(Math.random() * 4 * FULL);

describe('file encryption', () => {
  it('writes version 2 unless told otherwise', async () => {
    expect(FILE_VERSION).toBe(2);
    const encryptor = createFileEncryptor(newFileKey());
    expect(encryptor.version).toBe(2);
    expect(encryptor.header[0]).toBe(2);
    expect((await encryptFile(newFileKey(), Uint8Array.of(1)))[0]).toBe(2);
    expect(createFileEncryptor(newFileKey(), { version: 1 }).header[0]).toBe(1);
  });

  it.each(VERSIONS)('version %i round-trips random sizes and the chunk boundaries', async (version) => {
    const sizes = [0, 1, 15, 16, 17, FULL - 1, FULL, FULL + 1, 2 * FULL - 1, 2 * FULL, 2 * FULL + 1, 3 * FULL];
    for (let i = 0; i < (version === 1 ? 4 : 20); i++) sizes.push(randomSize());
    for (const size of sizes) {
      const key = newFileKey();
      const plain = randomBytes(size);
      const encrypted = await encryptFile(key, plain, { version });
      expect(encrypted).toHaveLength(encryptedFileSize(size));
      expect(encrypted[0]).toBe(version);
      expect(chunksOf(encrypted)).toHaveLength(fileChunkCount(size));
      expect(await decryptFile(key, encrypted)).toEqual(plain);
    }
  });

  it.each(VERSIONS)('version %i streams exactly the bytes of the whole-buffer functions', async (version) => {
    for (const size of [0, 1, FULL, FULL + 1, 3 * FULL, randomSize()]) {
      const key = newFileKey();
      const options: FileEncryptOptions = { version, noncePrefix: randomBytes(15) };
      const plain = randomBytes(size);
      const encryptor = createFileEncryptor(key, options);
      expect(encryptor.version).toBe(version);
      const parts = plainChunks(plain);
      const sealed: Uint8Array[] = [];
      for (const [i, part] of parts.entries()) sealed.push(await encryptor.encryptChunk(part, i === parts.length - 1));
      expect(encryptor.done).toBe(true);
      const whole = await encryptFile(key, plain, options);
      expect(concatBytes(encryptor.header, ...sealed)).toEqual(whole);
      expect(await decryptChunks(key, whole.subarray(0, FILE_HEADER_BYTES), chunksOf(whole))).toEqual(plain);
    }
  });

  it('lays out version 1 exactly as docs/PROTOCOL.md describes', async () => {
    const key = newFileKey();
    const prefix = randomBytes(15);
    const plain = randomBytes(2 * FULL + 5);
    const encrypted = await encryptFile(key, plain, { version: 1, noncePrefix: prefix });
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

  it('lays out version 2 exactly as docs/PROTOCOL.md describes (checked against OpenSSL, not WebCrypto)', async () => {
    const key = newFileKey();
    const prefix = randomBytes(15);
    const plain = randomBytes(2 * FULL + 5);
    const encrypted = await encryptFile(key, plain, { noncePrefix: prefix });
    const header = concatBytes(Uint8Array.of(2), prefix);
    // nonce_i = the first 7 bytes of the prefix || u32 big-endian i || last flag; the whole header is the AAD.
    const nonce = (i: number, last: boolean) =>
      concatBytes(prefix.subarray(0, 7), encodeU32(i), Uint8Array.of(last ? 1 : 0));
    expect(nonce(1, true)).toHaveLength(12);
    const expected = concatBytes(
      header,
      gcm(key, nonce(0, false), header, plain.subarray(0, FULL)),
      gcm(key, nonce(1, false), header, plain.subarray(FULL, 2 * FULL)),
      gcm(key, nonce(2, true), header, plain.subarray(2 * FULL)),
    );
    expect(encrypted).toEqual(expected);
    // An empty file is one tag: GCM of nothing, sealed as the last chunk.
    const empty = await encryptFile(key, new Uint8Array(0), { noncePrefix: prefix });
    expect(empty).toEqual(concatBytes(header, gcm(key, nonce(0, true), header, new Uint8Array(0))));
  });

  it.each(VERSIONS)('version %i draws a fresh nonce prefix for every file and copies the key', async (version) => {
    const key = newFileKey();
    const a = createFileEncryptor(key, { version });
    const b = createFileEncryptor(key, { version });
    expect(a.header).not.toEqual(b.header);
    const first = await encryptFile(key, Uint8Array.of(1, 2, 3), { version });
    const encryptor = createFileEncryptor(key, { version, noncePrefix: first.subarray(1, 16) });
    const original = key.slice();
    key.fill(0);
    const again = concatBytes(encryptor.header, await encryptor.encryptChunk(Uint8Array.of(1, 2, 3), true));
    expect(again).toEqual(first);
    expect(await decryptFile(original, again)).toEqual(Uint8Array.of(1, 2, 3));
  });

  it.each(VERSIONS)('version %i reads its input before encryptChunk or decryptChunk returns', async (version) => {
    const key = newFileKey();
    const noncePrefix = randomBytes(15);
    const plain = randomBytes(FULL + 10);
    const expected = await encryptFile(key, plain, { version, noncePrefix });
    const encryptor = createFileEncryptor(key, { version, noncePrefix });
    const buffer = new Uint8Array(FULL);
    const sealed: Uint8Array[] = [];
    for (const [i, part] of plainChunks(plain).entries()) {
      const view = buffer.subarray(0, part.length);
      view.set(part);
      const pending = encryptor.encryptChunk(view, i === 1);
      buffer.fill(0xee); // reused before the promise settles
      sealed.push(await pending);
    }
    expect(concatBytes(encryptor.header, ...sealed)).toEqual(expected);

    const decryptor = createFileDecryptor(key, expected.subarray(0, FILE_HEADER_BYTES));
    const cipherBuffer = new Uint8Array(FILE_CHUNK_CIPHER_BYTES);
    const opened: Uint8Array[] = [];
    for (const [i, chunk] of chunksOf(expected).entries()) {
      const view = cipherBuffer.subarray(0, chunk.length);
      view.set(chunk);
      const pending = decryptor.decryptChunk(view, i === 1);
      cipherBuffer.fill(0xee);
      opened.push(await pending);
    }
    expect(concatBytes(...opened)).toEqual(plain);
  });
});

describe.each(VERSIONS)('the version %i file encryptor refuses', (version) => {
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
  ] as [string, [number, boolean][]][])('%s', async (_name, steps) => {
    const encryptor = createFileEncryptor(key, { version });
    const results: (string | undefined)[] = [];
    for (const [size, last] of steps)
      results.push(await codeOf(() => encryptor.encryptChunk(new Uint8Array(size), last)));
    expect(results.at(-1)).toBe('bad-length');
    expect(results.slice(0, -1).every((result) => result === undefined)).toBe(true);
  });

  it('keys and prefixes of the wrong size', async () => {
    expect(await codeOf(() => createFileEncryptor(new Uint8Array(31), { version }))).toBe('bad-length');
    expect(await codeOf(() => createFileEncryptor(key, { version, noncePrefix: new Uint8Array(16) }))).toBe(
      'bad-length',
    );
    expect(await codeOf(() => encryptFile(new Uint8Array(0), Uint8Array.of(1), { version }))).toBe('bad-length');
    const encryptor = createFileEncryptor(key, { version });
    expect(await codeOf(() => encryptor.encryptChunk('abc' as unknown as Uint8Array, true))).toBe('bad-length');
  });

  it('a second chunk before the first is done, and then carries on', async () => {
    const encryptor = createFileEncryptor(key, { version });
    const first = encryptor.encryptChunk(new Uint8Array(FULL), false);
    const second = encryptor.encryptChunk(new Uint8Array(3), true);
    await expect(second).rejects.toThrow(/still being processed/);
    await first;
    await encryptor.encryptChunk(new Uint8Array(3), true);
    expect(encryptor.done).toBe(true);
  });
});

describe('file encryption options', () => {
  it('refuses unknown versions and the old positional nonce prefix', async () => {
    const key = newFileKey();
    expect(await codeOf(() => createFileEncryptor(key, { version: 3 as FileVersion }))).toBe('bad-version');
    expect(await codeOf(() => createFileEncryptor(key, { version: 0 as FileVersion }))).toBe('bad-version');
    expect(() => createFileEncryptor(key, randomBytes(15) as unknown as FileEncryptOptions)).toThrow(TypeError);
  });
});

describe('without WebCrypto', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('refuses version 2 with a clear error instead of falling back to version 1', async () => {
    const key = newFileKey();
    const header = createFileEncryptor(key).header;
    const v1 = await encryptFile(key, Uint8Array.of(7), { version: 1 });
    // As in a page that is not a secure context: random numbers, but no crypto.subtle.
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: real.getRandomValues.bind(real) });
    expect(() => createFileEncryptor(key)).toThrow(/AES-256-GCM in WebCrypto.*secure contexts/);
    expect(() => createFileDecryptor(key, header)).toThrow(/crypto\.subtle/);
    // Version 1 is tweetnacl and needs nothing of WebCrypto.
    expect(await decryptFile(key, v1)).toEqual(Uint8Array.of(7));
  });
});

describe.each(VERSIONS)('the version %i file decryptor', (version) => {
  const key = newFileKey();
  const plain = randomBytes(3 * FULL + 1000);
  let encrypted: Uint8Array;
  let header: Uint8Array;
  let chunks: Uint8Array[];
  const ready = (async () => {
    encrypted = await encryptFile(key, plain, { version });
    header = encrypted.subarray(0, FILE_HEADER_BYTES);
    chunks = chunksOf(encrypted);
  })();
  const open = async (parts: Uint8Array[], withKey = key, withHeader = header) =>
    codeOf(() => decryptChunks(withKey, withHeader, parts));

  it('rejects tampering, truncation, extension and splicing', async () => {
    await ready;
    const [c0, c1, c2, c3] = chunks as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const other = await encryptFile(key, plain, { version });
    const otherKey = newFileKey();
    const otherKeyChunks = chunksOf(await encryptFile(otherKey, plain, { version, noncePrefix: header.subarray(1) }));
    const flipped = c1.slice();
    flipped[100]! ^= 1;
    const flippedTag = c2.slice();
    flippedTag[version === 1 ? 0 : flippedTag.length - 1]! ^= 0x40;

    expect(await open([c0, c1, c2])).toBe('decrypt-failed'); // last chunk dropped: c2 was sealed as not last
    expect(await open([c0, c2, c1, c3])).toBe('decrypt-failed'); // reordered
    expect(await open([c0, c0, c2, c3])).toBe('decrypt-failed'); // duplicated
    expect(await open([c0, chunksOf(other)[1]!, c2, c3])).toBe('decrypt-failed'); // same key, other prefix
    expect(await open([c0, otherKeyChunks[1]!, c2, c3])).toBe('decrypt-failed'); // same prefix, other key
    expect(await open([c0, flipped, c2, c3])).toBe('decrypt-failed');
    expect(await open([c0, c1, flippedTag, c3])).toBe('decrypt-failed');
    expect(await open([c0, c1, c2, c3.subarray(0, c3.length - 1)])).toBe('decrypt-failed');
    expect(await open(chunks, newFileKey())).toBe('decrypt-failed');
    expect(await open([c0, c1, c2, c3, c3])).toBe('bad-length'); // extended after the last chunk
    expect(await open([c0, c1, c2, c3])).toBeUndefined();
  });

  it('knows a stream that ends without its last chunk is truncated', async () => {
    await ready;
    const decryptor = createFileDecryptor(key, header);
    expect(decryptor.version).toBe(version);
    await decryptor.decryptChunk(chunks[0]!, false);
    expect(decryptor.done).toBe(false);
    expect(await codeOf(() => decryptor.finish())).toBe('bad-length');
  });

  it('rejects chunks of the wrong size for their position', async () => {
    await ready;
    const decryptor = createFileDecryptor(key, header);
    expect(await codeOf(() => decryptor.decryptChunk(chunks[3]!, false))).toBe('bad-length');
    expect(await codeOf(() => decryptor.decryptChunk(new Uint8Array(FILE_CHUNK_CIPHER_BYTES + 1), true))).toBe(
      'bad-length',
    );
    expect(await codeOf(() => decryptor.decryptChunk(new Uint8Array(15), true))).toBe('bad-length');
    expect(await codeOf(() => decryptor.decryptChunk(new Uint8Array(0), true))).toBe('bad-length');
    await decryptor.decryptChunk(chunks[0]!, false);
    expect(await codeOf(() => decryptor.decryptChunk(new Uint8Array(16), true))).toBe('bad-length');
  });

  it('lets a failed chunk be retried, since the position only advances on success', async () => {
    await ready;
    const decryptor = createFileDecryptor(key, header);
    const damaged = chunks[0]!.slice();
    damaged[0]! ^= 0x80;
    expect(await codeOf(() => decryptor.decryptChunk(damaged, false))).toBe('decrypt-failed');
    const out: Uint8Array[] = [];
    for (const [i, chunk] of chunks.entries()) out.push(await decryptor.decryptChunk(chunk, i === chunks.length - 1));
    expect(decryptor.done).toBe(true);
    decryptor.finish();
    expect(concatBytes(...out)).toEqual(plain);
  });

  it('refuses a second chunk while one is being opened', async () => {
    await ready;
    const decryptor = createFileDecryptor(key, header);
    const first = decryptor.decryptChunk(chunks[0]!, false);
    const second = decryptor.decryptChunk(chunks[1]!, false);
    await expect(second).rejects.toThrow(/still being processed/);
    await first;
    await decryptor.decryptChunk(chunks[1]!, false);
    await decryptor.decryptChunk(chunks[2]!, false);
    await decryptor.decryptChunk(chunks[3]!, true);
    decryptor.finish();
  });

  it('rejects bad headers and keys', async () => {
    await ready;
    expect(await codeOf(() => createFileDecryptor(key, Uint8Array.of(3, ...header.subarray(1))))).toBe('bad-version');
    expect(await codeOf(() => createFileDecryptor(key, Uint8Array.of(0, ...header.subarray(1))))).toBe('bad-version');
    expect(await codeOf(() => createFileDecryptor(key, Uint8Array.of(3)))).toBe('bad-version');
    expect(await codeOf(() => createFileDecryptor(key, header.subarray(0, 15)))).toBe('bad-length');
    expect(await codeOf(() => createFileDecryptor(key, concatBytes(header, Uint8Array.of(0))))).toBe('bad-length');
    expect(await codeOf(() => createFileDecryptor(key, new Uint8Array(0)))).toBe('bad-length');
    expect(await codeOf(() => createFileDecryptor(key.subarray(1), header))).toBe('bad-length');
    // Every byte of the prefix counts: version 1 has all 15 in the nonce, version 2 has 7 in
    // the nonce and authenticates the whole header with every chunk.
    for (const index of [1, 5, 7, 8, 12, 15]) {
      const flipped = header.slice();
      flipped[index]! ^= 1;
      expect(await open(chunks, key, flipped)).toBe('decrypt-failed');
    }
  });

  it('fails across versions: the version byte changed, or chunks under the other version’s header', async () => {
    await ready;
    const otherVersion: FileVersion = version === 1 ? 2 : 1;
    const relabelled = Uint8Array.of(otherVersion, ...header.subarray(1));
    expect(await open(chunks, key, relabelled)).toBe('decrypt-failed');
    const sameInputsOtherVersion = await encryptFile(key, plain, {
      version: otherVersion,
      noncePrefix: header.subarray(1),
    });
    expect(await open(chunks, key, sameInputsOtherVersion.subarray(0, FILE_HEADER_BYTES))).toBe('decrypt-failed');
    expect(await open(chunksOf(sameInputsOtherVersion), key, header)).toBe('decrypt-failed');
    expect(await codeOf(() => decryptFile(key, concatBytes(relabelled, encrypted.subarray(16))))).toBe(
      'decrypt-failed',
    );
  });

  it('checks the whole buffer before decrypting', async () => {
    await ready;
    expect(await codeOf(() => decryptFile(key, new Uint8Array(0)))).toBe('bad-length');
    expect(await codeOf(() => decryptFile(key, encrypted.subarray(0, 16)))).toBe('bad-length');
    expect(await codeOf(() => decryptFile(key, Uint8Array.of(3, ...encrypted.subarray(1, 20))))).toBe('bad-version');
    expect(await codeOf(() => decryptFile(key, encrypted.subarray(0, 16 + 3 * FILE_CHUNK_CIPHER_BYTES + 5)))).toBe(
      'bad-length',
    );
    expect(await codeOf(() => decryptFile(key, encrypted.subarray(0, 16 + 3 * FILE_CHUNK_CIPHER_BYTES)))).toBe(
      'decrypt-failed',
    );
    expect(await codeOf(() => decryptFile(key, concatBytes(encrypted, Uint8Array.of(0))))).toBe('decrypt-failed');
    expect(await decryptFile(key, encrypted)).toEqual(plain);
  });
});
