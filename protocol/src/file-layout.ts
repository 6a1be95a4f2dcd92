import nacl from 'tweetnacl';
import { ProtocolError } from './errors.js';
import { checkVersion } from './fields.js';

export const FILE_VERSION = 1;
/** A file key is a secretbox key, fresh and random for every file. */
export const FILE_KEY_BYTES = nacl.secretbox.keyLength; // 32
/** The random part of every chunk nonce, drawn once per file. */
export const FILE_NONCE_PREFIX_BYTES = 15;
/** version(1) noncePrefix(15) = 16 */
export const FILE_HEADER_BYTES = 1 + FILE_NONCE_PREFIX_BYTES;
/** Plaintext bytes per chunk; only the last chunk may be shorter. 64 KiB (docs/PROTOCOL.md, "Files"). */
export const FILE_CHUNK_BYTES = 65536;
/** The Poly1305 tag in front of every chunk. */
export const FILE_TAG_BYTES = nacl.secretbox.overheadLength; // 16
/** A full chunk on the wire: Poly1305 tag and the encrypted 64 KiB = 65552. */
export const FILE_CHUNK_CIPHER_BYTES = FILE_CHUNK_BYTES + FILE_TAG_BYTES;
/** The smallest encrypted file: the header and one empty last chunk = 32. */
const MIN_ENCRYPTED_BYTES = FILE_HEADER_BYTES + FILE_TAG_BYTES;
/** 1 TiB: far above what the server accepts, far below where any counter or number could overflow. */
export const FILE_MAX_BYTES = 2 ** 40;
/** 2^24 chunks. */
export const FILE_MAX_CHUNKS = FILE_MAX_BYTES / FILE_CHUNK_BYTES;

const WHAT = 'Encrypted file';

/**
 * How many chunks a file of `plainSize` bytes is cut into: at least one (an
 * empty file is one empty last chunk), and no empty chunk after full ones.
 * Throws 'bad-length' for a size that is not an integer ≥ 0, 'too-large'
 * above FILE_MAX_BYTES.
 */
export function fileChunkCount(plainSize: number): number {
  checkPlainSize(plainSize);
  return Math.max(1, Math.ceil(plainSize / FILE_CHUNK_BYTES));
}

/** header(16) + plainSize + 16 per chunk. */
export function encryptedFileSize(plainSize: number): number {
  return FILE_HEADER_BYTES + plainSize + FILE_TAG_BYTES * fileChunkCount(plainSize);
}

/**
 * The inverse of encryptedFileSize. Throws 'bad-length' for a size no file
 * encrypts to: below 32 bytes, a last chunk shorter than its 16-byte tag,
 * an empty last chunk after full ones, or more than FILE_MAX_BYTES of plaintext.
 */
export function plainFileSize(encryptedSize: number): number {
  if (!Number.isSafeInteger(encryptedSize) || encryptedSize < MIN_ENCRYPTED_BYTES) {
    throw impossibleSize(encryptedSize, `it is not an integer of at least ${MIN_ENCRYPTED_BYTES}`);
  }
  const chunksBytes = encryptedSize - FILE_HEADER_BYTES;
  const chunks = Math.ceil(chunksBytes / FILE_CHUNK_CIPHER_BYTES);
  const lastChunkBytes = chunksBytes - (chunks - 1) * FILE_CHUNK_CIPHER_BYTES;
  if (lastChunkBytes < FILE_TAG_BYTES) {
    throw impossibleSize(encryptedSize, `the last chunk would be ${lastChunkBytes} bytes, shorter than its tag`);
  }
  if (lastChunkBytes === FILE_TAG_BYTES && chunks > 1) {
    throw impossibleSize(encryptedSize, 'the last chunk would be empty after full chunks');
  }
  const plainSize = chunksBytes - chunks * FILE_TAG_BYTES;
  if (plainSize > FILE_MAX_BYTES) {
    throw impossibleSize(encryptedSize, `it holds more than ${FILE_MAX_BYTES} bytes`);
  }
  return plainSize;
}

/**
 * Cuts a whole encrypted file into its header and chunks (views, not
 * copies), after checking the version byte and that the length is one a
 * file can have.
 */
export function splitEncryptedFile(encrypted: Uint8Array): { header: Uint8Array; chunks: Uint8Array[] } {
  checkVersion(encrypted, FILE_VERSION, WHAT);
  const count = fileChunkCount(plainFileSize(encrypted.length));
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const start = FILE_HEADER_BYTES + i * FILE_CHUNK_CIPHER_BYTES;
    chunks.push(encrypted.subarray(start, Math.min(start + FILE_CHUNK_CIPHER_BYTES, encrypted.length)));
  }
  return { header: encrypted.subarray(0, FILE_HEADER_BYTES), chunks };
}

function checkPlainSize(plainSize: number): void {
  if (!Number.isSafeInteger(plainSize) || plainSize < 0) {
    throw new ProtocolError('bad-length', `A file size must be an integer ≥ 0, got ${plainSize}.`);
  }
  if (plainSize > FILE_MAX_BYTES) {
    throw new ProtocolError('too-large', `A file may have at most ${FILE_MAX_BYTES} bytes, got ${plainSize}.`);
  }
}

function impossibleSize(encryptedSize: number, reason: string): ProtocolError {
  return new ProtocolError('bad-length', `No file encrypts to ${encryptedSize} bytes: ${reason}.`);
}
