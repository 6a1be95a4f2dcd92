import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, randomBytes } from './bytes.js';
import { encryptFile, newFileKey } from './file-crypto.js';
import { FILE_DIGEST_BYTES, createFileHasher, fileDigestOf } from './file-digest.js';
import { FILE_CHUNK_BYTES, FILE_HEADER_BYTES, splitEncryptedFile } from './file-layout.js';

const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());

async function codeOf(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

/** The definition, computed independently with Node's hash. */
function expectedDigest(encrypted: Uint8Array): Uint8Array {
  const { header, chunks } = splitEncryptedFile(encrypted);
  return sha256(concatBytes(header, ...chunks.map(sha256)));
}

describe('file digest', () => {
  it.each([1, 2] as const)(
    'is SHA-256(header || SHA-256(chunk_0) || ...) for version %i, incrementally and whole',
    async (version) => {
      for (const size of [
        0,
        1,
        FILE_CHUNK_BYTES,
        FILE_CHUNK_BYTES + 1,
        Math.floor(Math.random() * 5 * FILE_CHUNK_BYTES),
      ]) {
        const encrypted = await encryptFile(newFileKey(), randomBytes(size), { version });
        expect(encrypted[0]).toBe(version);
        const whole = await fileDigestOf(encrypted);
        expect(whole).toHaveLength(FILE_DIGEST_BYTES);
        expect(whole).toEqual(expectedDigest(encrypted));

        const { header, chunks } = splitEncryptedFile(encrypted);
        const hasher = createFileHasher(header);
        for (const chunk of chunks) await hasher.update(chunk);
        expect(await hasher.digest()).toEqual(whole);
      }
    },
  );

  it('keeps the order of overlapping updates and lets the caller reuse its buffer', async () => {
    const encrypted = await encryptFile(newFileKey(), randomBytes(4 * FILE_CHUNK_BYTES + 7));
    const { header, chunks } = splitEncryptedFile(encrypted);
    const hasher = createFileHasher(header);
    const buffer = new Uint8Array(chunks[0]!.length);
    const pending = chunks.map((chunk) => {
      const view = buffer.subarray(0, chunk.length);
      view.set(chunk);
      const update = hasher.update(view);
      buffer.fill(0xee);
      return update;
    });
    await Promise.all(pending);
    expect(await hasher.digest()).toEqual(expectedDigest(encrypted));
  });

  it('depends on every byte, the header (and so the version) included', async () => {
    const encrypted = await encryptFile(newFileKey(), randomBytes(FILE_CHUNK_BYTES + 100));
    const digest = await fileDigestOf(encrypted);
    const relabelled = encrypted.slice();
    relabelled[0] = 1;
    expect(await fileDigestOf(relabelled)).not.toEqual(digest);
    for (const index of [1, FILE_HEADER_BYTES, FILE_HEADER_BYTES + FILE_CHUNK_BYTES + 16, encrypted.length - 1]) {
      const changed = encrypted.slice();
      changed[index]! ^= 1;
      expect(await fileDigestOf(changed)).not.toEqual(digest);
    }
  });

  it('refuses misuse', async () => {
    const encrypted = await encryptFile(newFileKey(), randomBytes(FILE_CHUNK_BYTES + 100));
    const { header, chunks } = splitEncryptedFile(encrypted);
    const [full, last] = chunks as [Uint8Array, Uint8Array];
    expect(await codeOf(async () => createFileHasher(header.subarray(0, 15)))).toBe('bad-length');
    expect(await codeOf(async () => createFileHasher(Uint8Array.of(3, ...header.subarray(1))))).toBe('bad-version');
    expect(await codeOf(async () => createFileHasher(Uint8Array.of(0, ...header.subarray(1))))).toBe('bad-version');
    expect(await codeOf(async () => createFileHasher(Uint8Array.of(1, ...header.subarray(1))))).toBeUndefined();
    expect(await codeOf(() => createFileHasher(header).digest())).toBe('bad-length');
    expect(await codeOf(() => createFileHasher(header).update(new Uint8Array(15)))).toBe('bad-length');
    expect(await codeOf(() => createFileHasher(header).update(new Uint8Array(full.length + 1)))).toBe('bad-length');

    const afterLast = createFileHasher(header);
    await afterLast.update(last);
    expect(await codeOf(() => afterLast.update(full))).toBe('bad-length');

    const emptyAfterFull = createFileHasher(header);
    await emptyAfterFull.update(full);
    expect(await codeOf(() => emptyAfterFull.update(new Uint8Array(16)))).toBe('bad-length');

    const finished = createFileHasher(header);
    await finished.update(full);
    await finished.digest();
    expect(await codeOf(() => finished.update(last))).toBe('bad-length');
    expect(await codeOf(() => finished.digest())).toBe('bad-length');

    expect(await codeOf(() => fileDigestOf(encrypted.subarray(0, 16 + 65552 + 3)))).toBe('bad-length');
    expect(await codeOf(() => fileDigestOf(new Uint8Array(0)))).toBe('bad-length');
  });
});
