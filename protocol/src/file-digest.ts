import { ProtocolError } from './errors.js';
import {
  FILE_CHUNK_CIPHER_BYTES,
  FILE_HEADER_BYTES,
  FILE_MAX_CHUNKS,
  FILE_TAG_BYTES,
  readFileHeader,
  splitEncryptedFile,
} from './file-layout.js';
import { sha256 } from './web-crypto.js';

/** SHA-256. */
export const FILE_DIGEST_BYTES = 32;

/** Computes the ciphertext digest chunk by chunk, as the file is uploaded or downloaded. */
export interface FileHasher {
  /**
   * Adds the next encrypted chunk, exactly as it is on the wire. Chunks
   * must be whole: every one but the last FILE_CHUNK_CIPHER_BYTES long.
   * Calls may overlap (the order of the calls is the order of the chunks).
   */
  update(cipherChunk: Uint8Array): Promise<void>;
  /** SHA-256(header || SHA-256(chunk_0) || SHA-256(chunk_1) || ...), 32 bytes. */
  digest(): Promise<Uint8Array>;
}

/**
 * digest = SHA-256(header || SHA-256(chunk_0) || ... || SHA-256(chunk_last))
 *
 * A list hash, so it can be computed as chunks pass by, in WebCrypto (native,
 * fast even without the JIT). The fixed sizes make it unambiguous: the
 * header is 16 bytes and every entry 32. The same for both file versions
 * (the header's version byte is hashed like the rest): checks the header
 * as createFileDecryptor does ('bad-version', then 'bad-length'). Misuse is refused with 'bad-length':
 * a chunk shorter than its tag or longer than a full chunk, an empty chunk
 * after others, a chunk after a short (so last) one, a digest of no chunks,
 * anything after digest(). Whether the sizes add up to the file's is the
 * caller's check (encryptedFileSize).
 */
export function createFileHasher(header: Uint8Array): FileHasher {
  readFileHeader(header);
  const start = header.slice();
  const hashes: Promise<Uint8Array>[] = [];
  let sawLast = false;
  let finished = false;
  return {
    async update(cipherChunk: Uint8Array): Promise<void> {
      if (finished) throw new ProtocolError('bad-length', 'The file digest was already computed; no chunk may follow.');
      if (sawLast) throw new ProtocolError('bad-length', 'A shorter (so last) file chunk was already hashed.');
      if (!(cipherChunk instanceof Uint8Array)) {
        throw new ProtocolError('bad-length', 'An encrypted file chunk must be a Uint8Array.');
      }
      if (cipherChunk.length < FILE_TAG_BYTES || cipherChunk.length > FILE_CHUNK_CIPHER_BYTES) {
        throw new ProtocolError(
          'bad-length',
          `An encrypted file chunk is ${FILE_TAG_BYTES} to ${FILE_CHUNK_CIPHER_BYTES} bytes, got ${cipherChunk.length}.`,
        );
      }
      if (cipherChunk.length === FILE_TAG_BYTES && hashes.length > 0) {
        throw new ProtocolError('bad-length', 'Only an empty file has an empty last chunk.');
      }
      if (hashes.length >= FILE_MAX_CHUNKS) {
        throw new ProtocolError('bad-length', `A file has at most ${FILE_MAX_CHUNKS} chunks.`);
      }
      sawLast = cipherChunk.length < FILE_CHUNK_CIPHER_BYTES;
      // sha256 copies the chunk before it returns, so the caller may reuse its buffer at once.
      const hash = sha256(cipherChunk);
      hashes.push(hash);
      await hash;
    },
    async digest(): Promise<Uint8Array> {
      if (finished) throw new ProtocolError('bad-length', 'The file digest was already computed.');
      if (hashes.length === 0) throw new ProtocolError('bad-length', 'A file has at least one chunk; none was hashed.');
      finished = true;
      const list = new Uint8Array(FILE_HEADER_BYTES + FILE_DIGEST_BYTES * hashes.length);
      list.set(start);
      (await Promise.all(hashes)).forEach((hash, i) => list.set(hash, FILE_HEADER_BYTES + FILE_DIGEST_BYTES * i));
      return sha256(list);
    },
  };
}

/** The digest of a whole encrypted file of either version (checks the version and length first, like decryptFile). */
export async function fileDigestOf(encrypted: Uint8Array): Promise<Uint8Array> {
  const { header, chunks } = splitEncryptedFile(encrypted);
  const hasher = createFileHasher(header);
  await Promise.all(chunks.map((chunk) => hasher.update(chunk)));
  return hasher.digest();
}
