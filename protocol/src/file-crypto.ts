import nacl from 'tweetnacl';
import { concatBytes, encodeU32, encodeU64, randomBytes, webCryptoBytes } from './bytes.js';
import { ProtocolError, requireLength, type ProtocolErrorCode } from './errors.js';
import {
  FILE_CHUNK_BYTES,
  FILE_HEADER_BYTES,
  FILE_KEY_BYTES,
  FILE_MAX_CHUNKS,
  FILE_NONCE_PREFIX_BYTES,
  FILE_TAG_BYTES,
  FILE_VERSION,
  FILE_VERSION_AES_GCM,
  FILE_VERSION_SECRETBOX,
  encryptedFileSize,
  isFileVersion,
  plainFileSize,
  readFileHeader,
  splitEncryptedFile,
  type FileVersion,
} from './file-layout.js';

const LAST_CHUNK = 0x01;
const NOT_LAST_CHUNK = 0x00;
const AES_GCM = 'AES-GCM';
/** Version 2's nonce: the first 7 bytes of the header's prefix, a u32 counter, the last flag = 12 bytes (GCM's 96 bits). */
const GCM_NONCE_PREFIX_BYTES = 7;
const GCM_TAG_BITS = FILE_TAG_BYTES * 8;

/** How long a chunk must be on each side: the ciphertext carries a 16-byte tag more than the plaintext. */
interface ChunkRule {
  what: string;
  overhead: number;
  /** A sender past the limit is asked to send too much; a reader past it was handed an impossible file. */
  tooMany: ProtocolErrorCode;
}
const PLAINTEXT_RULE: ChunkRule = { what: 'plaintext', overhead: 0, tooMany: 'too-large' };
const CIPHERTEXT_RULE: ChunkRule = { what: 'ciphertext', overhead: FILE_TAG_BYTES, tooMany: 'bad-length' };

/** How to start a file. Left out: version 2 and a fresh random prefix, which is what a sender wants. */
export interface FileEncryptOptions {
  /**
   * 2 (the default, FILE_VERSION): AES-256-GCM in WebCrypto. 1: secretbox,
   * which readers still open; only for test vectors, tests and benchmarks.
   */
  version?: FileVersion;
  /**
   * The header's 15 random bytes, for test vectors and for continuing a file
   * whose header is known (readFileHeader gives both options back); in
   * normal use leave it out so a fresh prefix is drawn.
   */
  noncePrefix?: Uint8Array;
}

/**
 * Seals a file chunk by chunk, in order: await each chunk before asking for
 * the next (a call while one is running is refused).
 */
export interface FileEncryptor {
  /** version(1) || noncePrefix(15): the first 16 bytes of the encrypted file. */
  readonly header: Uint8Array;
  readonly version: FileVersion;
  /**
   * Returns chunk_i, sealed under the nonce noncePrefix || i || lastFlag
   * (docs/PROTOCOL.md, section 12, for the bytes of each version). Every
   * chunk but the last must be exactly FILE_CHUNK_BYTES; the last one 0 to
   * FILE_CHUNK_BYTES bytes, and empty only if it is the only chunk. The
   * plaintext is read before the call returns: the caller may reuse its
   * buffer at once, without waiting for the promise.
   */
  encryptChunk(plain: Uint8Array, last: boolean): Promise<Uint8Array>;
  /** True once the last chunk has been sealed; nothing more may follow. */
  readonly done: boolean;
}

/**
 * Opens a file chunk by chunk, in order: await each chunk before handing
 * over the next (a call while one is running is refused).
 */
export interface FileDecryptor {
  /** The version in the header: 1 or 2. */
  readonly version: FileVersion;
  /**
   * Opens the next chunk. The caller says whether it is the last one (it
   * knows from the total ciphertext size: see fileChunkCount and
   * plainFileSize); a chunk opened with the wrong flag fails. A chunk that
   * fails can be retried (for example downloaded again): the position only
   * advances on success. The chunk is read before the call returns.
   */
  decryptChunk(cipher: Uint8Array, last: boolean): Promise<Uint8Array>;
  /** Throws 'bad-length' unless the last chunk has been opened: otherwise the file is truncated. */
  finish(): void;
  /** True once the last chunk has been opened. */
  readonly done: boolean;
}

export function newFileKey(): Uint8Array {
  return randomBytes(FILE_KEY_BYTES);
}

/**
 * Starts encrypting one file, in version 2 (AES-256-GCM) unless told
 * otherwise. The key is copied; in version 2 the copy is imported into
 * WebCrypto as a non-extractable key and wiped, in version 1 it is wiped
 * after the last chunk.
 *
 * Throws at once (ProtocolError) for a key or prefix of the wrong size
 * ('bad-length') or an unknown version ('bad-version'), and (a plain Error)
 * for version 2 where WebCrypto is missing: there is no silent fall back to
 * version 1. encryptChunk rejects a chunk of the wrong size, an empty last
 * chunk after full ones, or any chunk after the last ('bad-length'), and more
 * than FILE_MAX_BYTES in all ('too-large').
 */
export function createFileEncryptor(key: Uint8Array, options: FileEncryptOptions = {}): FileEncryptor {
  if (options instanceof Uint8Array) {
    // The second argument used to be the nonce prefix; taking it for options would silently draw a random one.
    throw new TypeError('createFileEncryptor takes options ({ version, noncePrefix }), not a nonce prefix.');
  }
  const { version = FILE_VERSION, noncePrefix = randomBytes(FILE_NONCE_PREFIX_BYTES) } = options;
  requireLength(key, FILE_KEY_BYTES, 'File key');
  if (!isFileVersion(version)) {
    throw new ProtocolError('bad-version', `Unknown encrypted file version ${String(version)}.`);
  }
  requireLength(noncePrefix, FILE_NONCE_PREFIX_BYTES, 'File nonce prefix');
  const header = concatBytes(Uint8Array.of(version), noncePrefix);
  const stream = new ChunkStream(chunkCipher(version, key, header, 'encrypt'));
  return {
    header,
    version,
    get done() {
      return stream.done;
    },
    async encryptChunk(plain: Uint8Array, last: boolean): Promise<Uint8Array> {
      if (!(plain instanceof Uint8Array)) {
        throw new ProtocolError('bad-length', 'A file chunk must be a Uint8Array.');
      }
      stream.checkNext(plain.length, last, PLAINTEXT_RULE);
      return stream.advance(last, (cipher, nonce) => cipher.seal(plain, nonce));
    },
  };
}

/**
 * Starts decrypting one file from its 16-byte header, in the version the
 * header names. Checks the version first ('bad-version' unless 1 or 2), then
 * the header's length ('bad-length'). The key is copied (and handled as in
 * createFileEncryptor).
 *
 * decryptChunk rejects a chunk of the wrong size for its position (a
 * non-last chunk must be FILE_CHUNK_CIPHER_BYTES, a last one 16 to
 * FILE_CHUNK_CIPHER_BYTES, and exactly 16 only as the first chunk) or a
 * chunk after the last ('bad-length'), and a chunk that does not
 * authenticate for this key, header, position and last flag
 * ('decrypt-failed').
 */
export function createFileDecryptor(key: Uint8Array, header: Uint8Array): FileDecryptor {
  requireLength(key, FILE_KEY_BYTES, 'File key');
  const { version } = readFileHeader(header);
  const stream = new ChunkStream(chunkCipher(version, key, header, 'decrypt'));
  return {
    version,
    get done() {
      return stream.done;
    },
    async decryptChunk(cipher: Uint8Array, last: boolean): Promise<Uint8Array> {
      if (!(cipher instanceof Uint8Array)) {
        throw new ProtocolError('bad-length', 'An encrypted file chunk must be a Uint8Array.');
      }
      stream.checkNext(cipher.length, last, CIPHERTEXT_RULE);
      return stream.advance(last, async (chunkCipher, nonce) => {
        const plain = await chunkCipher.open(cipher, nonce);
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

/** header || chunk_0 || ... || chunk_last, for a file held in memory (version 2 unless told otherwise). */
export async function encryptFile(
  key: Uint8Array,
  plain: Uint8Array,
  options?: FileEncryptOptions,
): Promise<Uint8Array> {
  if (!(plain instanceof Uint8Array)) throw new ProtocolError('bad-length', 'A file must be a Uint8Array.');
  const encryptor = createFileEncryptor(key, options);
  const out = new Uint8Array(encryptedFileSize(plain.length));
  out.set(encryptor.header);
  let offset = FILE_HEADER_BYTES;
  let start = 0;
  do {
    const end = Math.min(start + FILE_CHUNK_BYTES, plain.length);
    const chunk = await encryptor.encryptChunk(plain.subarray(start, end), end === plain.length);
    out.set(chunk, offset);
    offset += chunk.length;
    start = end;
  } while (!encryptor.done);
  return out;
}

/**
 * Opens a whole encrypted file of either version: checks the version, that
 * the length is one a file can have ('bad-length'), then cuts it at the
 * fixed chunk sizes, the last chunk being whatever remains, and opens every
 * chunk. Returns nothing unless every chunk opens.
 */
export async function decryptFile(key: Uint8Array, encrypted: Uint8Array): Promise<Uint8Array> {
  requireLength(key, FILE_KEY_BYTES, 'File key');
  const { header, chunks } = splitEncryptedFile(encrypted);
  const decryptor = createFileDecryptor(key, header);
  const out = new Uint8Array(plainFileSize(encrypted.length));
  try {
    for (const [i, chunk] of chunks.entries()) {
      const plain = await decryptor.decryptChunk(chunk, i === chunks.length - 1);
      out.set(plain, i * FILE_CHUNK_BYTES);
      plain.fill(0);
    }
    decryptor.finish();
  } catch (error) {
    out.fill(0); // never leave the plaintext of a file that failed to open lying around
    throw error;
  }
  return out;
}

/** One version's chunk cipher under one file's key and header. */
interface ChunkCipher {
  /** The nonce of chunk `counter`, sealed as the last chunk or not. */
  nonce(counter: number, last: boolean): Uint8Array;
  seal(plain: Uint8Array, nonce: Uint8Array): Promise<Uint8Array>;
  /** null if the chunk does not authenticate. */
  open(cipher: Uint8Array, nonce: Uint8Array): Promise<Uint8Array | null>;
  /** Forgets the key (after the last chunk). */
  wipe(): void;
}

function chunkCipher(
  version: FileVersion,
  key: Uint8Array,
  header: Uint8Array,
  usage: 'encrypt' | 'decrypt',
): ChunkCipher {
  return version === FILE_VERSION_SECRETBOX ? new SecretboxChunks(key, header) : new AesGcmChunks(key, header, usage);
}

/**
 * Version 1: chunk_i = secretbox(plain_i, nonce_i, key), nonce_i (24 bytes) =
 * noncePrefix(15) || u64 i || lastFlag. tweetnacl runs synchronously.
 */
class SecretboxChunks implements ChunkCipher {
  private readonly key: Uint8Array;
  private readonly noncePrefix: Uint8Array;

  constructor(key: Uint8Array, header: Uint8Array) {
    this.key = key.slice();
    this.noncePrefix = header.slice(1, 1 + FILE_NONCE_PREFIX_BYTES);
  }

  nonce(counter: number, last: boolean): Uint8Array {
    return concatBytes(this.noncePrefix, encodeU64(counter), Uint8Array.of(last ? LAST_CHUNK : NOT_LAST_CHUNK));
  }

  seal(plain: Uint8Array, nonce: Uint8Array): Promise<Uint8Array> {
    return Promise.resolve(nacl.secretbox(plain, nonce, this.key));
  }

  open(cipher: Uint8Array, nonce: Uint8Array): Promise<Uint8Array | null> {
    return Promise.resolve(nacl.secretbox.open(cipher, nonce, this.key));
  }

  wipe(): void {
    this.key.fill(0);
  }
}

/**
 * Version 2: chunk_i = AES-256-GCM(key, nonce_i, plain_i, aad = header), the
 * ciphertext followed by the 16-byte tag (as WebCrypto returns it); nonce_i
 * (12 bytes) = noncePrefix[0..7) || u32 i || lastFlag. The header, all 15
 * random bytes of it and the version, is authenticated with every chunk.
 */
class AesGcmChunks implements ChunkCipher {
  private key: Promise<CryptoKey> | null;
  private readonly header: Uint8Array<ArrayBuffer>;
  private readonly noncePrefix: Uint8Array;

  constructor(rawKey: Uint8Array, header: Uint8Array, usage: 'encrypt' | 'decrypt') {
    const subtle = aesGcmSubtle();
    const copy = webCryptoBytes(rawKey);
    this.header = webCryptoBytes(header);
    this.noncePrefix = header.slice(1, 1 + GCM_NONCE_PREFIX_BYTES);
    this.key = subtle.importKey('raw', copy, AES_GCM, false, [usage]).then(
      (key) => {
        copy.fill(0);
        return key;
      },
      (error: unknown) => {
        copy.fill(0);
        throw new Error(`WebCrypto could not import the file key for AES-256-GCM: ${describe(error)}`);
      },
    );
    // Awaited by the first chunk; until then a failure must not count as unhandled.
    this.key.catch(() => undefined);
  }

  nonce(counter: number, last: boolean): Uint8Array {
    return concatBytes(this.noncePrefix, encodeU32(counter), Uint8Array.of(last ? LAST_CHUNK : NOT_LAST_CHUNK));
  }

  // Both copy their input before the first await, so the caller may reuse its buffer as soon as the call returns.

  async seal(plain: Uint8Array, nonce: Uint8Array): Promise<Uint8Array> {
    const data = webCryptoBytes(plain);
    const key = await this.cryptoKey();
    return new Uint8Array(await aesGcmSubtle().encrypt(this.params(nonce), key, data));
  }

  async open(cipher: Uint8Array, nonce: Uint8Array): Promise<Uint8Array | null> {
    const data = webCryptoBytes(cipher);
    const key = await this.cryptoKey();
    try {
      return new Uint8Array(await aesGcmSubtle().decrypt(this.params(nonce), key, data));
    } catch (error) {
      // WebCrypto's only answer to a tag that does not verify.
      if (error instanceof Error && error.name === 'OperationError') return null;
      throw error;
    }
  }

  wipe(): void {
    this.key = null; // a CryptoKey cannot be wiped, only let go
  }

  private params(nonce: Uint8Array): AesGcmParams {
    return { name: AES_GCM, iv: webCryptoBytes(nonce), additionalData: this.header, tagLength: GCM_TAG_BITS };
  }

  private cryptoKey(): Promise<CryptoKey> {
    if (this.key === null) throw new Error('The file key was already wiped after the last chunk.');
    return this.key;
  }
}

/** crypto.subtle, or a clear error: version 2 needs it, and does not fall back to version 1. */
function aesGcmSubtle(): SubtleCrypto {
  const api = globalThis.crypto?.subtle;
  if (api === undefined) {
    throw new Error(
      `Encrypted files (version ${FILE_VERSION_AES_GCM}) use AES-256-GCM in WebCrypto (crypto.subtle), which is ` +
        'not available here: browsers only offer it to secure contexts (https:// or .onion pages).',
    );
  }
  return api;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/**
 * The state both directions share: the chunk cipher, the position (chunk
 * counter), whether the last chunk has passed, and whether a chunk is being
 * sealed or opened right now.
 */
class ChunkStream {
  private counter = 0;
  private finished = false;
  private busy = false;

  constructor(private readonly cipher: ChunkCipher) {}

  get done(): boolean {
    return this.finished;
  }

  get position(): number {
    return this.counter;
  }

  /** Size and order rules for the next chunk, `length` bytes long. */
  checkNext(length: number, last: boolean, rule: ChunkRule): void {
    if (this.busy) {
      // A programming error, not a property of the file: a plain Error.
      throw new Error(`File chunk ${this.counter} is still being processed; await it before the next one.`);
    }
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
  async advance(
    last: boolean,
    run: (cipher: ChunkCipher, nonce: Uint8Array) => Promise<Uint8Array>,
  ): Promise<Uint8Array> {
    this.busy = true;
    try {
      const out = await run(this.cipher, this.cipher.nonce(this.counter, last));
      this.counter++;
      if (last) {
        this.finished = true;
        this.cipher.wipe();
      }
      return out;
    } finally {
      this.busy = false;
    }
  }
}
