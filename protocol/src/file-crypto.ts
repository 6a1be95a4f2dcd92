import nacl from 'tweetnacl';
import { concatBytes, encodeU64, randomBytes } from './bytes.js';
import { ProtocolError, requireLength, type ProtocolErrorCode } from './errors.js';
import { checkVersion } from './fields.js';
import {
  FILE_CHUNK_BYTES,
  FILE_HEADER_BYTES,
  FILE_KEY_BYTES,
  FILE_MAX_CHUNKS,
  FILE_NONCE_PREFIX_BYTES,
  FILE_TAG_BYTES,
  FILE_VERSION,
  encryptedFileSize,
  plainFileSize,
  splitEncryptedFile,
} from './file-layout.js';

const LAST_CHUNK = 0x01;
const NOT_LAST_CHUNK = 0x00;
const WHAT = 'Encrypted file header';

/** How long a chunk must be on each side: the ciphertext carries a 16-byte tag more than the plaintext. */
interface ChunkRule {
  what: string;
  overhead: number;
  /** A sender past the limit is asked to send too much; a reader past it was handed an impossible file. */
  tooMany: ProtocolErrorCode;
}
const PLAINTEXT_RULE: ChunkRule = { what: 'plaintext', overhead: 0, tooMany: 'too-large' };
const CIPHERTEXT_RULE: ChunkRule = { what: 'ciphertext', overhead: FILE_TAG_BYTES, tooMany: 'bad-length' };

/** Seals a file chunk by chunk, in order. */
export interface FileEncryptor {
  /** version(1)=1 || noncePrefix(15): the first 16 bytes of the encrypted file. */
  readonly header: Uint8Array;
  /**
   * Returns chunk_i = secretbox(plain, noncePrefix || u64 i || lastFlag, key).
   * Every chunk but the last must be exactly FILE_CHUNK_BYTES; the last one
   * 0 to FILE_CHUNK_BYTES bytes, and empty only if it is the only chunk.
   */
  encryptChunk(plain: Uint8Array, last: boolean): Uint8Array;
  /** True once the last chunk has been sealed; nothing more may follow. */
  readonly done: boolean;
}

/** Opens a file chunk by chunk, in order. */
export interface FileDecryptor {
  /**
   * Opens the next chunk. The caller says whether it is the last one (it
   * knows from the total ciphertext size: see fileChunkCount and
   * plainFileSize); a chunk opened with the wrong flag fails. A chunk that
   * fails can be retried (for example downloaded again): the position only
   * advances on success.
   */
  decryptChunk(cipher: Uint8Array, last: boolean): Uint8Array;
  /** Throws 'bad-length' unless the last chunk has been opened: otherwise the file is truncated. */
  finish(): void;
  /** True once the last chunk has been opened. */
  readonly done: boolean;
}

export function newFileKey(): Uint8Array {
  return randomBytes(FILE_KEY_BYTES);
}

/**
 * Starts encrypting one file. `noncePrefix` is only for test vectors; in
 * normal use leave it out so a fresh random prefix is drawn. The key is
 * copied, and the copy wiped after the last chunk.
 *
 * Errors (all ProtocolError): a key or prefix of the wrong size, a chunk of
 * the wrong size, an empty last chunk after full ones, or any chunk after
 * the last: 'bad-length'; more than FILE_MAX_BYTES in all: 'too-large'.
 */
export function createFileEncryptor(
  key: Uint8Array,
  noncePrefix: Uint8Array = randomBytes(FILE_NONCE_PREFIX_BYTES),
): FileEncryptor {
  requireLength(key, FILE_KEY_BYTES, 'File key');
  requireLength(noncePrefix, FILE_NONCE_PREFIX_BYTES, 'File nonce prefix');
  const header = concatBytes(Uint8Array.of(FILE_VERSION), noncePrefix);
  const stream = new ChunkStream(key, noncePrefix);
  return {
    header,
    get done() {
      return stream.done;
    },
    encryptChunk(plain: Uint8Array, last: boolean): Uint8Array {
      if (!(plain instanceof Uint8Array)) {
        throw new ProtocolError('bad-length', 'A file chunk must be a Uint8Array.');
      }
      stream.checkNext(plain.length, last, PLAINTEXT_RULE);
      return stream.advance(last, (nonce, k) => nacl.secretbox(plain, nonce, k));
    },
  };
}

/**
 * Starts decrypting one file from its 16-byte header. Checks the version
 * first ('bad-version'), then the header's length ('bad-length'). The key
 * is copied, and the copy wiped after the last chunk.
 *
 * decryptChunk errors: a chunk of the wrong size for its position (a
 * non-last chunk must be FILE_CHUNK_CIPHER_BYTES, a last one 16 to
 * FILE_CHUNK_CIPHER_BYTES, and exactly 16 only as the first chunk) or a
 * chunk after the last: 'bad-length'; a chunk that does not authenticate
 * for this key, prefix, position and last flag: 'decrypt-failed'.
 */
export function createFileDecryptor(key: Uint8Array, header: Uint8Array): FileDecryptor {
  requireLength(key, FILE_KEY_BYTES, 'File key');
  checkVersion(header, FILE_VERSION, WHAT);
  requireLength(header, FILE_HEADER_BYTES, WHAT);
  const stream = new ChunkStream(key, header.slice(1));
  return {
    get done() {
      return stream.done;
    },
    decryptChunk(cipher: Uint8Array, last: boolean): Uint8Array {
      if (!(cipher instanceof Uint8Array)) {
        throw new ProtocolError('bad-length', 'An encrypted file chunk must be a Uint8Array.');
      }
      stream.checkNext(cipher.length, last, CIPHERTEXT_RULE);
      return stream.advance(last, (nonce, k) => {
        const plain = nacl.secretbox.open(cipher, nonce, k);
        if (plain === null) {
          throw new ProtocolError(
            'decrypt-failed',
            `File chunk ${stream.position} does not open${last ? ' as the last chunk' : ''}: it was altered, ` +
              'moved, taken from another file, or the file was cut short or extended.',
          );
        }
        return plain;
      });
    },
    finish(): void {
      if (!stream.done) {
        throw new ProtocolError(
          'bad-length',
          `The encrypted file is truncated: it ended after ${stream.position} chunks without its last chunk.`,
        );
      }
    },
  };
}

/** header || chunk_0 || ... || chunk_last, for a file held in memory. */
export function encryptFile(key: Uint8Array, plain: Uint8Array, noncePrefix?: Uint8Array): Uint8Array {
  if (!(plain instanceof Uint8Array)) throw new ProtocolError('bad-length', 'A file must be a Uint8Array.');
  const encryptor = createFileEncryptor(key, noncePrefix);
  const out = new Uint8Array(encryptedFileSize(plain.length));
  out.set(encryptor.header);
  let offset = FILE_HEADER_BYTES;
  let start = 0;
  do {
    const end = Math.min(start + FILE_CHUNK_BYTES, plain.length);
    const chunk = encryptor.encryptChunk(plain.subarray(start, end), end === plain.length);
    out.set(chunk, offset);
    offset += chunk.length;
    start = end;
  } while (!encryptor.done);
  return out;
}

/**
 * Opens a whole encrypted file: checks the version, that the length is one
 * a file can have ('bad-length'), then cuts it at the fixed chunk sizes,
 * the last chunk being whatever remains, and opens every chunk. Returns
 * nothing unless every chunk opens.
 */
export function decryptFile(key: Uint8Array, encrypted: Uint8Array): Uint8Array {
  requireLength(key, FILE_KEY_BYTES, 'File key');
  const { header, chunks } = splitEncryptedFile(encrypted);
  const decryptor = createFileDecryptor(key, header);
  const out = new Uint8Array(plainFileSize(encrypted.length));
  try {
    chunks.forEach((chunk, i) => {
      const plain = decryptor.decryptChunk(chunk, i === chunks.length - 1);
      out.set(plain, i * FILE_CHUNK_BYTES);
      plain.fill(0);
    });
    decryptor.finish();
  } catch (error) {
    out.fill(0); // never leave the plaintext of a file that failed to open lying around
    throw error;
  }
  return out;
}

/**
 * The state both directions share: the key copy, the nonce prefix, the
 * position (chunk counter) and whether the last chunk has passed.
 */
class ChunkStream {
  private readonly key: Uint8Array;
  private readonly nonce = new Uint8Array(nacl.secretbox.nonceLength);
  private counter = 0;
  private finished = false;

  constructor(key: Uint8Array, noncePrefix: Uint8Array) {
    this.key = key.slice();
    this.nonce.set(noncePrefix);
  }

  get done(): boolean {
    return this.finished;
  }

  get position(): number {
    return this.counter;
  }

  /** Size and order rules for the next chunk, `length` bytes long. */
  checkNext(length: number, last: boolean, rule: ChunkRule): void {
    if (this.finished) {
      throw new ProtocolError('bad-length', 'The file already ended with its last chunk; nothing may follow it.');
    }
    if (this.counter >= FILE_MAX_CHUNKS) {
      throw new ProtocolError(rule.tooMany, `A file has at most ${FILE_MAX_CHUNKS} chunks.`);
    }
    const full = FILE_CHUNK_BYTES + rule.overhead;
    if (!last && length !== full) {
      throw new ProtocolError(
        'bad-length',
        `File chunk ${this.counter} is not the last, so its ${rule.what} must be ${full} bytes, got ${length}.`,
      );
    }
    if (last && (length < rule.overhead || length > full)) {
      throw new ProtocolError(
        'bad-length',
        `The last file chunk's ${rule.what} must be ${rule.overhead} to ${full} bytes, got ${length}.`,
      );
    }
    if (last && length === rule.overhead && this.counter > 0) {
      throw new ProtocolError(
        'bad-length',
        'Only an empty file has an empty last chunk: a file whose size is a multiple of the chunk size ends with a full last chunk.',
      );
    }
  }

  /** Runs one seal or open with this position's nonce; advances only if it succeeds. */
  advance(last: boolean, run: (nonce: Uint8Array, key: Uint8Array) => Uint8Array): Uint8Array {
    this.nonce.set(encodeU64(this.counter), FILE_NONCE_PREFIX_BYTES);
    this.nonce[FILE_NONCE_PREFIX_BYTES + 8] = last ? LAST_CHUNK : NOT_LAST_CHUNK;
    const out = run(this.nonce, this.key);
    this.counter++;
    if (last) {
      this.finished = true;
      this.key.fill(0);
    }
    return out;
  }
}
