// The file crypto engine: encrypts a file (a Blob) chunk by chunk for upload and
// decrypts a download as its bytes arrive, computing the ciphertext digest on the way.
// No DOM and no network: in a page it runs in the app's file worker (whose entry calls
// serveFileEngine, ./file-engine-worker.ts); without a worker (Node, tests, a page
// where none can start) it runs in-process in small slices (./file-crypto.ts).
//
// Never holds a whole file: an upload reads one slice of the Blob per batch; a download
// turns its plaintext into Blob parts (which browsers may keep on disk) as it goes.

import {
  FILE_CHUNK_BYTES,
  FILE_CHUNK_CIPHER_BYTES,
  FILE_HEADER_BYTES,
  ProtocolError,
  createFileDecryptor,
  createFileEncryptor,
  createFileHasher,
  encryptedFileSize,
  equalBytes,
  fileChunkCount,
  readFileHeader,
  type FileDecryptor,
  type FileEncryptor,
  type FileHasher,
} from '@onionchat/protocol';
import { sayer } from '../present/phrasebook.js';
import { FILE_PHRASES } from './file-phrases.js';

const say = sayer(FILE_PHRASES);

export type EngineRequest =
  /**
   * Starts encrypting `file`, in the protocol's current version (2, AES-256-GCM).
   * `header`: continue an upload whose header is already known (its version and
   * nonce prefix are kept, so the chunks come out the same as before).
   */
  | { op: 'encrypt-open'; job: number; file: Blob; key: Uint8Array; header?: Uint8Array }
  /** The encrypted chunks [from, from + count), concatenated (without the header). */
  | { op: 'encrypt-read'; job: number; from: number; count: number }
  /** The ciphertext digest, once every chunk has been produced. */
  | { op: 'encrypt-digest'; job: number }
  | {
      op: 'decrypt-open';
      job: number;
      key: Uint8Array;
      /** Plaintext size, from the file message. */
      size: number;
      digest: Uint8Array;
      /** For the Blob that comes out. */
      type: string;
    }
  /** The next bytes of the encrypted file, in order. */
  | { op: 'decrypt-write'; job: number; bytes: Uint8Array }
  /** Every byte has been written: check the end and the digest, and hand over the plaintext. */
  | { op: 'decrypt-finish'; job: number }
  | { op: 'close'; job: number };

export type EngineResult =
  | { op: 'encrypt-open'; header: Uint8Array; chunks: number; encryptedSize: number }
  | { op: 'encrypt-read'; bytes: Uint8Array }
  | { op: 'encrypt-digest'; digest: Uint8Array }
  | { op: 'decrypt-open' }
  | { op: 'decrypt-write'; written: number }
  | { op: 'decrypt-finish'; blob: Blob }
  | { op: 'close' };

/**
 * Why the engine refused. `tampered`: the ciphertext failed a check (a chunk, the
 * length, the end, the digest). `unreadable`: the file being uploaded can no longer be
 * read (moved, changed, permission). `internal`: anything else.
 */
export type EngineErrorKind = 'tampered' | 'unreadable' | 'internal';

export class EngineError extends Error {
  constructor(
    readonly kind: EngineErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** Buffers that can be handed over (transferred) with a result. */
export function resultTransfers(result: EngineResult): Transferable[] {
  if (result.op === 'encrypt-read') return [result.bytes.buffer as ArrayBuffer];
  return [];
}

/** Collapse plaintext parts into the Blob every so often, so they need not stay in memory. */
const COLLAPSE_BYTES = 8 * 1024 * 1024;
/** Chunks read per slice when fast-forwarding an encryptor. */
const SKIP_SLICE_CHUNKS = 16;

interface EncryptJob {
  kind: 'encrypt';
  file: Blob;
  size: number;
  chunks: number;
  key: Uint8Array;
  header: Uint8Array;
  encryptor: FileEncryptor;
  /** The chunk the encryptor produces next. */
  next: number;
  hasher: FileHasher;
  /** Chunks handed to the hasher (always in order, each once). */
  hashed: number;
  hashing: Promise<void>[];
}

interface DecryptJob {
  kind: 'decrypt';
  key: Uint8Array;
  digest: Uint8Array;
  type: string;
  encryptedSize: number;
  chunks: number;
  /** Bytes written so far. */
  written: number;
  queue: Uint8Array[];
  queued: number;
  decryptor: FileDecryptor | null;
  hasher: FileHasher | null;
  hashing: Promise<void>[];
  /** The chunk opened next. */
  index: number;
  parts: Uint8Array[];
  partBytes: number;
  blob: Blob;
  failure: EngineError | null;
}

type Job = EncryptJob | DecryptJob;

export interface EngineOptions {
  /** Called between chunks: lets the page (or the event loop) breathe when the engine runs in-process. */
  breathe?: () => Promise<void>;
}

export class FileEngine {
  private readonly jobs = new Map<number, Job>();
  /** One request at a time per job, in the order they came (writes must not interleave). */
  private readonly tails = new Map<number, Promise<unknown>>();

  constructor(private readonly options: EngineOptions = {}) {}

  handle(request: EngineRequest): Promise<EngineResult> {
    const previous = this.tails.get(request.job) ?? Promise.resolve();
    const next = previous.then(
      () => this.guarded(request),
      () => this.guarded(request),
    );
    const tail = next.catch(() => undefined);
    this.tails.set(request.job, tail);
    void tail.then(() => {
      if (this.tails.get(request.job) === tail) this.tails.delete(request.job);
    });
    return next;
  }

  private async guarded(request: EngineRequest): Promise<EngineResult> {
    try {
      return await this.run(request);
    } catch (error) {
      // A ProtocolError while encrypting is a bug or a file too large, never tampering.
      throw asEngineError(error, request.op.startsWith('decrypt'));
    }
  }

  private async run(request: EngineRequest): Promise<EngineResult> {
    switch (request.op) {
      case 'encrypt-open':
        return this.encryptOpen(request.job, request.file, request.key, request.header);
      case 'encrypt-read':
        return {
          op: 'encrypt-read',
          bytes: await this.encryptRead(this.encryptJob(request.job), request.from, request.count),
        };
      case 'encrypt-digest':
        return { op: 'encrypt-digest', digest: await this.encryptDigest(this.encryptJob(request.job)) };
      case 'decrypt-open':
        this.decryptOpen(request.job, request.key, request.size, request.digest, request.type);
        return { op: 'decrypt-open' };
      case 'decrypt-write':
        return { op: 'decrypt-write', written: await this.decryptWrite(this.decryptJob(request.job), request.bytes) };
      case 'decrypt-finish':
        return { op: 'decrypt-finish', blob: await this.decryptFinish(request.job) };
      case 'close':
        this.close(request.job);
        return { op: 'close' };
    }
  }

  // ---------------------------------------------------------------- encrypting

  private encryptOpen(id: number, file: Blob, key: Uint8Array, known?: Uint8Array): EngineResult {
    this.close(id);
    const size = file.size;
    const chunks = fileChunkCount(size);
    const encryptor = createFileEncryptor(key, known ? readFileHeader(known) : {});
    const header = encryptor.header;
    const job: EncryptJob = {
      kind: 'encrypt',
      file,
      size,
      chunks,
      key: key.slice(),
      header,
      encryptor,
      next: 0,
      hasher: createFileHasher(header),
      hashed: 0,
      hashing: [],
    };
    this.jobs.set(id, job);
    return { op: 'encrypt-open', header: header.slice(), chunks, encryptedSize: encryptedFileSize(size) };
  }

  private async encryptRead(job: EncryptJob, from: number, count: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(count) || from < 0 || count < 1 || from >= job.chunks) {
      throw new EngineError('internal', `No chunks ${from} to ${from + count - 1} in this file.`);
    }
    const to = Math.min(job.chunks, from + count);
    if (from < job.next) {
      // Going back (a resume from before what was produced): encryption is
      // deterministic for the key and header, so start over and skip ahead.
      job.encryptor = createFileEncryptor(job.key, readFileHeader(job.header));
      job.next = 0;
    }
    while (job.next < from) {
      const step = Math.min(from, job.next + SKIP_SLICE_CHUNKS);
      await this.encryptRange(job, job.next, step, null);
    }
    const out = new Uint8Array(cipherBytes(job, from, to));
    await this.encryptRange(job, from, to, out);
    return out;
  }

  /** Produces chunks [from, to) (the encryptor must be at `from`), into `out` if given. */
  private async encryptRange(job: EncryptJob, from: number, to: number, out: Uint8Array | null): Promise<void> {
    const start = from * FILE_CHUNK_BYTES;
    const end = Math.min(job.size, to * FILE_CHUNK_BYTES);
    const plain = await readSlice(job.file, start, end);
    let offset = 0;
    for (let index = from; index < to; index += 1) {
      const a = (index - from) * FILE_CHUNK_BYTES;
      const b = Math.min(plain.length, a + FILE_CHUNK_BYTES);
      const last = index === job.chunks - 1;
      const cipher = await job.encryptor.encryptChunk(plain.subarray(a, b), last);
      job.next = index + 1;
      if (index === job.hashed) {
        job.hashing.push(quiet(job.hasher.update(cipher)));
        job.hashed += 1;
      }
      if (out) {
        out.set(cipher, offset);
        offset += cipher.length;
      }
      if (this.options.breathe) await this.options.breathe();
    }
    plain.fill(0);
  }

  private async encryptDigest(job: EncryptJob): Promise<Uint8Array> {
    if (job.hashed !== job.chunks) throw new EngineError('internal', 'The file has not been encrypted to the end yet.');
    await Promise.all(job.hashing);
    job.hashing = [];
    return job.hasher.digest();
  }

  // ---------------------------------------------------------------- decrypting

  private decryptOpen(id: number, key: Uint8Array, size: number, digest: Uint8Array, type: string): void {
    this.close(id);
    this.jobs.set(id, {
      kind: 'decrypt',
      key: key.slice(),
      digest: digest.slice(),
      type,
      encryptedSize: encryptedFileSize(size),
      chunks: fileChunkCount(size),
      written: 0,
      queue: [],
      queued: 0,
      decryptor: null,
      hasher: null,
      hashing: [],
      index: 0,
      parts: [],
      partBytes: 0,
      blob: new Blob([], { type }),
      failure: null,
    });
  }

  private async decryptWrite(job: DecryptJob, bytes: Uint8Array): Promise<number> {
    if (job.failure) throw job.failure;
    try {
      if (job.written + bytes.length > job.encryptedSize) {
        throw new EngineError('tampered', say('files.note.tooManyBytes'));
      }
      job.written += bytes.length;
      if (bytes.length > 0) {
        job.queue.push(bytes);
        job.queued += bytes.length;
      }
      if (!job.decryptor && job.queued >= FILE_HEADER_BYTES) {
        const header = take(job, FILE_HEADER_BYTES);
        job.decryptor = createFileDecryptor(job.key, header);
        job.hasher = createFileHasher(header);
        job.key.fill(0);
      }
      while (job.decryptor && job.hasher && job.index < job.chunks) {
        const last = job.index === job.chunks - 1;
        const length = last ? lastChunkBytes(job) : FILE_CHUNK_CIPHER_BYTES;
        if (job.queued < length) break;
        const cipher = take(job, length);
        job.hashing.push(quiet(job.hasher.update(cipher)));
        const plain = await job.decryptor.decryptChunk(cipher, last);
        job.index += 1;
        job.parts.push(plain);
        job.partBytes += plain.length;
        if (job.partBytes >= COLLAPSE_BYTES) collapse(job);
        if (this.options.breathe) await this.options.breathe();
      }
      return job.written;
    } catch (error) {
      job.failure = asEngineError(error);
      discard(job);
      throw job.failure;
    }
  }

  private async decryptFinish(id: number): Promise<Blob> {
    const job = this.decryptJob(id);
    if (job.failure) throw job.failure;
    try {
      if (job.written !== job.encryptedSize || job.queued !== 0 || !job.decryptor || !job.hasher) {
        throw new EngineError('tampered', say('files.note.endedEarly'));
      }
      job.decryptor.finish();
      await Promise.all(job.hashing);
      const digest = await job.hasher.digest();
      if (!equalBytes(digest, job.digest)) {
        throw new EngineError('tampered', say('files.note.digestMismatch'));
      }
      collapse(job);
      const blob = job.blob;
      this.jobs.delete(id);
      return blob;
    } catch (error) {
      job.failure = asEngineError(error);
      discard(job);
      throw job.failure;
    }
  }

  // ---------------------------------------------------------------- jobs

  /** Forgets every job (their keys are wiped). */
  closeAll(): void {
    for (const id of [...this.jobs.keys()]) this.close(id);
  }

  close(id: number): void {
    const job = this.jobs.get(id);
    if (!job) return;
    this.jobs.delete(id);
    if (job.kind === 'encrypt') {
      job.key.fill(0);
      job.hashing = [];
    } else {
      discard(job);
    }
  }

  private encryptJob(id: number): EncryptJob {
    const job = this.jobs.get(id);
    if (job?.kind !== 'encrypt') throw new EngineError('internal', 'This upload is no longer being encrypted.');
    return job;
  }

  private decryptJob(id: number): DecryptJob {
    const job = this.jobs.get(id);
    if (job?.kind !== 'decrypt') throw new EngineError('internal', 'This download is no longer being decrypted.');
    return job;
  }
}

/** Encrypted bytes of chunks [from, to) (every chunk but the last is full). */
function cipherBytes(job: EncryptJob, from: number, to: number): number {
  const full = to === job.chunks ? to - from - 1 : to - from;
  const lastPlain = job.size - (job.chunks - 1) * FILE_CHUNK_BYTES;
  return (
    full * FILE_CHUNK_CIPHER_BYTES + (to === job.chunks ? lastPlain + (FILE_CHUNK_CIPHER_BYTES - FILE_CHUNK_BYTES) : 0)
  );
}

function lastChunkBytes(job: DecryptJob): number {
  return job.encryptedSize - FILE_HEADER_BYTES - (job.chunks - 1) * FILE_CHUNK_CIPHER_BYTES;
}

async function readSlice(file: Blob, start: number, end: number): Promise<Uint8Array> {
  try {
    return new Uint8Array(await file.slice(start, end).arrayBuffer());
  } catch {
    throw new EngineError('unreadable', say('files.note.unreadable'));
  }
}

/** The next `n` queued bytes, as one array (the queue holds at least `n`). */
function take(job: DecryptJob, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let filled = 0;
  while (filled < n) {
    const head = job.queue[0]!;
    const want = n - filled;
    if (head.length <= want) {
      out.set(head, filled);
      filled += head.length;
      job.queue.shift();
    } else {
      out.set(head.subarray(0, want), filled);
      job.queue[0] = head.subarray(want);
      filled += want;
    }
  }
  job.queued -= n;
  return out;
}

function collapse(job: DecryptJob): void {
  if (job.parts.length === 0) return;
  job.blob = new Blob([job.blob, ...(job.parts as BlobPart[])], { type: job.type });
  job.parts = [];
  job.partBytes = 0;
}

function discard(job: DecryptJob): void {
  job.key.fill(0);
  for (const part of job.parts) part.fill(0);
  job.parts = [];
  job.partBytes = 0;
  job.queue = [];
  job.queued = 0;
  job.hashing = [];
  job.blob = new Blob([]);
}

/** Awaited later (Promise.all); until then a failure must not count as unhandled. */
function quiet(promise: Promise<void>): Promise<void> {
  promise.catch(() => undefined);
  return promise;
}

function asEngineError(error: unknown, decrypting = true): EngineError {
  if (error instanceof EngineError) return error;
  if (error instanceof ProtocolError && decrypting) {
    // Every check a ciphertext can fail (a chunk, a length, the version, the end).
    return new EngineError('tampered', error.message);
  }
  return new EngineError('internal', error instanceof Error && error.message ? error.message : String(error));
}
