import { ProtocolError, requireLength } from './errors.js';

/**
 * The encrypted file formats a reader opens (the header's first byte):
 * 1, XSalsa20-Poly1305 (tweetnacl's secretbox, JavaScript); 2, AES-256-GCM
 * (WebCrypto, native code: fast even with the JIT off, as in Tor Browser's
 * "Safer" level). Both have the same sizes: only the chunk cipher differs.
 */
export type FileVersion = 1 | 2;
export const FILE_VERSION_SECRETBOX = 1;
export const FILE_VERSION_AES_GCM = 2;
/** The version new files are written in. */
export const FILE_VERSION: FileVersion = FILE_VERSION_AES_GCM;
/** A file key: fresh and random for every file (a secretbox key in version 1, an AES-256 key in version 2). */
export const FILE_KEY_BYTES = 32;
/** The random part of the header, drawn once per file. */
export const FILE_NONCE_PREFIX_BYTES = 15;
/** version(1) noncePrefix(15) = 16, in both versions. */
export const FILE_HEADER_BYTES = 1 + FILE_NONCE_PREFIX_BYTES;
/** Plaintext bytes per chunk; only the last chunk may be shorter. 64 KiB (docs/PROTOCOL.md, "Files"). */
export const FILE_CHUNK_BYTES = 65536;
/** The tag every chunk carries: Poly1305 in front (version 1), GCM behind (version 2). */
export const FILE_TAG_BYTES = 16;
/** A full chunk on the wire: the tag and the encrypted 64 KiB = 65552. */
export const FILE_CHUNK_CIPHER_BYTES = FILE_CHUNK_BYTES + FILE_TAG_BYTES;
/** The smallest encrypted file: the header and one empty last chunk = 32. */
const MIN_ENCRYPTED_BYTES = FILE_HEADER_BYTES + FILE_TAG_BYTES;
/** 1 TiB: far above what the server accepts, far below where any counter or number could overflow. */
export const FILE_MAX_BYTES = 2 ** 40;
/** 2^24 chunks. */
export const FILE_MAX_CHUNKS = FILE_MAX_BYTES / FILE_CHUNK_BYTES;

/** What a file header says. */
export interface FileHeader {
  version: FileVersion;
  /** The 15 random bytes after the version. */
  noncePrefix: Uint8Array;
}

const WHAT = 'Encrypted file';
const HEADER = 'Encrypted file header';

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
  fileVersionOf(encrypted, WHAT);
  const count = fileChunkCount(plainFileSize(encrypted.length));
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const start = FILE_HEADER_BYTES + i * FILE_CHUNK_CIPHER_BYTES;
    chunks.push(encrypted.subarray(start, Math.min(start + FILE_CHUNK_CIPHER_BYTES, encrypted.length)));
  }
  return { header: encrypted.subarray(0, FILE_HEADER_BYTES), chunks };
}

/**
 * Reads a 16-byte file header (a copy of its prefix, so the header may be
 * reused): the version first ('bad-version' unless 1 or 2), then the length
 * ('bad-length'). Its result is also the options that make
 * createFileEncryptor continue that file.
 */
export function readFileHeader(header: Uint8Array): FileHeader {
  const version = fileVersionOf(header, HEADER);
  requireLength(header, FILE_HEADER_BYTES, HEADER);
  return { version, noncePrefix: header.slice(1) };
}

/**
 * The version byte of a header or a whole file, checked before anything
 * else so a newer version is 'bad-version' whatever its length; 'bad-length'
 * for an empty array (or not an array).
 */
export function fileVersionOf(record: Uint8Array, what: string = HEADER): FileVersion {
  if (!(record instanceof Uint8Array) || record.length === 0) {
    throw new ProtocolError('bad-length', `${what} is empty or not a byte array.`);
  }
  const version = record[0]!;
  if (!isFileVersion(version)) {
    throw new ProtocolError('bad-version', `Unknown ${what.toLowerCase()} version ${version}.`);
  }
  return version;
}

export function isFileVersion(version: unknown): version is FileVersion {
  return version === FILE_VERSION_SECRETBOX || version === FILE_VERSION_AES_GCM;
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
