// The file engine behind FileCrypto: in-process (no worker: Node, tests), and in a
// worker whose loop is serveFileEngine, with the fallback when no worker starts.

import {
  FILE_CHUNK_CIPHER_BYTES,
  FILE_HEADER_BYTES,
  encryptFile,
  encryptedFileSize,
  fileDigestOf,
  newFileKey,
} from '@onionchat/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakePlatform } from '../test-support/fake-platform.js';
import { BOOT_TIMEOUT_MS, FileCrypto, type FileWorker } from './file-crypto.js';
import { serveFileEngine, type FileEngineScope } from './file-engine-worker.js';
import { EngineError } from './file-engine.js';

const SIZE = 150_000; // three chunks, the last one short
const CHUNKS = 3;

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65_536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65_536)));
  return out;
}

function plainFile(size = SIZE): { plain: Uint8Array; blob: Blob } {
  const plain = randomBytes(size);
  return { plain, blob: new Blob([plain.slice()]) };
}

/** A platform whose clock moves on 5 ms at every look, counting its breaths. */
class SlowClockPlatform extends FakePlatform {
  now = 0;
  breaths = 0;
  override monotonic(): number {
    this.now += 5;
    return this.now;
  }
  override breathe(): Promise<void> {
    this.breaths += 1;
    return Promise.resolve();
  }
}

/** A Worker in this thread: structured clones both ways, delivered asynchronously. */
class FakeWorker implements FileWorker {
  readonly sent: unknown[] = [];
  terminated = false;
  private readonly listeners = { message: new Set<(event: Event) => void>(), error: new Set<(event: Event) => void>() };
  private readonly inside = new Set<(event: MessageEvent) => void>();

  /** `serve`: run serveFileEngine inside (false: a worker that never says ready). */
  constructor(serve = true) {
    const scope: FileEngineScope = {
      postMessage: (message, transfer) => {
        if (this.terminated) return;
        const data = structuredClone(message, { transfer });
        queueMicrotask(() => this.dispatch('message', new MessageEvent('message', { data })));
      },
      addEventListener: (_type, listener) => this.inside.add(listener),
    };
    if (serve) serveFileEngine(scope);
  }

  postMessage(message: unknown, transfer: Transferable[]): void {
    if (this.terminated) return;
    this.sent.push(message);
    const data = structuredClone(message, { transfer });
    queueMicrotask(() => {
      if (this.terminated) return;
      for (const listener of this.inside) listener(new MessageEvent('message', { data }));
    });
  }

  addEventListener(type: 'message' | 'error', listener: (event: Event) => void): void {
    this.listeners[type].add(listener);
  }

  removeEventListener(type: 'message' | 'error', listener: (event: Event) => void): void {
    this.listeners[type].delete(listener);
  }

  terminate(): void {
    this.terminated = true;
  }

  /** The worker's script failed (to load, or later). */
  crash(): Event {
    const event = new Event('error', { cancelable: true });
    this.dispatch('error', event);
    return event;
  }

  private dispatch(type: 'message' | 'error', event: Event): void {
    for (const listener of [...this.listeners[type]]) listener(event);
  }
}

/** Encrypts `blob` through `crypto` in two reads; returns the header + chunks and the digest. */
async function encryptThrough(
  crypto: FileCrypto,
  blob: Blob,
  key: Uint8Array,
  header?: Uint8Array,
): Promise<{ bytes: Uint8Array; digest: Uint8Array }> {
  const job = crypto.job();
  const opened = await crypto.call({
    op: 'encrypt-open',
    job,
    file: blob,
    key,
    ...(header ? { header } : {}),
  });
  if (header) expect(opened.header).toEqual(header);
  expect(opened.chunks).toBe(Math.ceil(blob.size / 65_536));
  expect(opened.encryptedSize).toBe(encryptedFileSize(blob.size));
  const first = await crypto.call({ op: 'encrypt-read', job, from: 0, count: 2 });
  const rest = await crypto.call({ op: 'encrypt-read', job, from: 2, count: opened.chunks });
  const { digest } = await crypto.call({ op: 'encrypt-digest', job });
  crypto.close(job);
  return { bytes: concat(opened.header, first.bytes, rest.bytes), digest };
}

/** Decrypts `bytes` through `crypto`, written in uneven pieces; returns the plaintext. */
async function decryptThrough(
  crypto: FileCrypto,
  bytes: Uint8Array,
  source: { key: Uint8Array; size: number; digest: Uint8Array },
  piece = 10_007,
): Promise<Uint8Array> {
  const job = crypto.job();
  await crypto.call({
    op: 'decrypt-open',
    job,
    key: source.key,
    size: source.size,
    digest: source.digest,
    type: 'x/y',
  });
  for (let at = 0; at < bytes.length; at += piece) {
    await crypto.call({ op: 'decrypt-write', job, bytes: bytes.slice(at, at + piece) });
  }
  const { blob } = await crypto.call({ op: 'decrypt-finish', job });
  return new Uint8Array(await blob.arrayBuffer());
}

/** Byte arrays compared quickly (toEqual walks them element by element), naming the first difference. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  const first = actual.findIndex((byte, i) => byte !== expected[i]);
  expect(first, 'first differing byte').toBe(-1);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

async function refusal(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('FileCrypto without a worker (in-process)', () => {
  it('encrypts in version 2 exactly as the protocol does, with the protocol’s digest, in slices', async () => {
    const platform = new SlowClockPlatform();
    const crypto = new FileCrypto({ platform });
    expect(crypto.mode).toBeNull();
    const { plain, blob } = plainFile();
    const key = newFileKey();

    const { bytes, digest } = await encryptThrough(crypto, blob, key);

    expect(crypto.mode).toBe('in-process');
    expect(bytes[0]).toBe(2);
    const expected = await encryptFile(key, plain, { noncePrefix: bytes.slice(1, FILE_HEADER_BYTES) });
    expectSameBytes(bytes, expected);
    expect(digest).toEqual(await fileDigestOf(expected));
    // Twelve-millisecond slices on a clock that moves 5 ms a look: it let the platform breathe.
    expect(platform.breaths).toBeGreaterThan(0);
    crypto.stop();
  });

  it('continues a file from its known header, in that header’s version', async () => {
    const crypto = new FileCrypto({ platform: new FakePlatform() });
    const { plain, blob } = plainFile();
    const key = newFileKey();
    for (const version of [1, 2] as const) {
      const expected = await encryptFile(key, plain, { version });
      const header = expected.slice(0, FILE_HEADER_BYTES);
      const { bytes, digest } = await encryptThrough(crypto, blob, key, header);
      expectSameBytes(bytes, expected);
      expect(digest).toEqual(await fileDigestOf(expected));
    }
    crypto.stop();
  });

  it('encrypts a part again identically when an upload goes back (deterministic for key and header)', async () => {
    const crypto = new FileCrypto({ platform: new FakePlatform() });
    const { plain, blob } = plainFile();
    const key = newFileKey();
    const job = crypto.job();
    const opened = await crypto.call({ op: 'encrypt-open', job, file: blob, key });
    const later = await crypto.call({ op: 'encrypt-read', job, from: 1, count: 2 });
    const again = await crypto.call({ op: 'encrypt-read', job, from: 0, count: 3 });
    expectSameBytes(again.bytes.subarray(FILE_CHUNK_CIPHER_BYTES), later.bytes);
    const { digest } = await crypto.call({ op: 'encrypt-digest', job });
    const whole = concat(opened.header, again.bytes);
    expectSameBytes(whole, await encryptFile(key, plain, { noncePrefix: opened.header.slice(1) }));
    expect(digest).toEqual(await fileDigestOf(whole));
    crypto.stop();
  });

  it.each([1, 2] as const)(
    'decrypts what the protocol encrypted in version %i, written in uneven pieces',
    async (version) => {
      const crypto = new FileCrypto({ platform: new FakePlatform() });
      const { plain } = plainFile();
      const key = newFileKey();
      const encrypted = await encryptFile(key, plain, { version });
      const digest = await fileDigestOf(encrypted);
      expectSameBytes(await decryptThrough(crypto, encrypted, { key, size: SIZE, digest }), plain);
      crypto.stop();
    },
  );

  it.each([1, 2] as const)(
    'refuses tampered, truncated, extended and mis-described version %i ciphertext as "tampered"',
    async (version) => {
      const crypto = new FileCrypto({ platform: new FakePlatform() });
      const { plain } = plainFile();
      const key = newFileKey();
      const encrypted = await encryptFile(key, plain, { version });
      const digest = await fileDigestOf(encrypted);
      const source = { key, size: SIZE, digest };

      const flipped = encrypted.slice();
      flipped[FILE_HEADER_BYTES + FILE_CHUNK_CIPHER_BYTES + 100]! ^= 1;
      expect((await refusal(decryptThrough(crypto, flipped, source))).kind).toBe('tampered');

      const header = encrypted.slice();
      header[5]! ^= 1; // the nonce prefix
      expect((await refusal(decryptThrough(crypto, header, source))).kind).toBe('tampered');

      const relabelled = encrypted.slice();
      relabelled[0] = version === 1 ? 2 : 1; // the other version's cipher on these chunks
      expect((await refusal(decryptThrough(crypto, relabelled, source))).kind).toBe('tampered');

      const unknown = encrypted.slice();
      unknown[0] = 3;
      expect((await refusal(decryptThrough(crypto, unknown, source))).message).toMatch(/version 3/);

      const swapped = encrypted.slice();
      const a = FILE_HEADER_BYTES;
      const b = FILE_HEADER_BYTES + FILE_CHUNK_CIPHER_BYTES;
      swapped.set(encrypted.subarray(b, b + FILE_CHUNK_CIPHER_BYTES), a);
      swapped.set(encrypted.subarray(a, b), b);
      expect((await refusal(decryptThrough(crypto, swapped, source))).kind).toBe('tampered');

      const truncated = await refusal(decryptThrough(crypto, encrypted.subarray(0, encrypted.length - 1), source));
      expect(truncated.kind).toBe('tampered');
      expect(truncated.message).toMatch(/ended early/);

      // Cut at a chunk boundary (the last chunk missing altogether).
      const cut = encrypted.subarray(0, FILE_HEADER_BYTES + 2 * FILE_CHUNK_CIPHER_BYTES);
      expect((await refusal(decryptThrough(crypto, cut, source))).kind).toBe('tampered');

      const extended = concat(encrypted, Uint8Array.of(0));
      expect((await refusal(decryptThrough(crypto, extended, source))).kind).toBe('tampered');

      // Intact ciphertext, but not the file the sender signed the digest of.
      const other = await fileDigestOf(await encryptFile(key, plain, { version }));
      const mismatch = await refusal(decryptThrough(crypto, encrypted, { ...source, digest: other }));
      expect(mismatch.kind).toBe('tampered');
      expect(mismatch.message).toMatch(/digest/);

      // The same key and digest, described as a different size.
      expect((await refusal(decryptThrough(crypto, encrypted, { ...source, size: SIZE - 1 }))).kind).toBe('tampered');

      // And the untouched file still decrypts.
      expectSameBytes(await decryptThrough(crypto, encrypted, source), plain);
      crypto.stop();
    },
  );

  it('a file that can no longer be read is "unreadable", not tampering', async () => {
    const crypto = new FileCrypto({ platform: new FakePlatform() });
    const broken = new Blob([new Uint8Array(1000)]);
    vi.spyOn(broken, 'slice').mockImplementation(() => {
      throw new Error('NotReadableError');
    });
    const job = crypto.job();
    await crypto.call({ op: 'encrypt-open', job, file: broken, key: newFileKey() });
    expect((await refusal(crypto.call({ op: 'encrypt-read', job, from: 0, count: 1 }))).kind).toBe('unreadable');
    crypto.stop();
  });

  it('refuses every call once stopped', async () => {
    const crypto = new FileCrypto({ platform: new FakePlatform() });
    const job = crypto.job();
    await crypto.call({ op: 'encrypt-open', job, file: new Blob([new Uint8Array(10)]), key: newFileKey() });
    crypto.stop();
    expect((await refusal(crypto.call({ op: 'encrypt-read', job, from: 0, count: 1 }))).kind).toBe('internal');
  });
});

describe('FileCrypto with a worker (serveFileEngine)', () => {
  it('runs the engine in the worker and gets the same bytes', async () => {
    const workers: FakeWorker[] = [];
    const crypto = new FileCrypto({
      platform: new FakePlatform(),
      createWorker: () => {
        const worker = new FakeWorker();
        workers.push(worker);
        return worker;
      },
    });
    const { plain, blob } = plainFile();
    const key = newFileKey();

    const { bytes, digest } = await encryptThrough(crypto, blob, key);

    expect(crypto.mode).toBe('worker');
    expect(workers).toHaveLength(1);
    expect(workers[0]!.sent.length).toBeGreaterThanOrEqual(4);
    const expected = await encryptFile(key, plain, { noncePrefix: bytes.slice(1, FILE_HEADER_BYTES) });
    expectSameBytes(bytes, expected);
    expect(digest).toEqual(await fileDigestOf(expected));
    expectSameBytes(await decryptThrough(crypto, expected, { key, size: SIZE, digest }), plain);

    const flipped = expected.slice();
    flipped[FILE_HEADER_BYTES + 3]! ^= 0x80;
    const error = await refusal(decryptThrough(crypto, flipped, { key, size: SIZE, digest }));
    expect(error.kind).toBe('tampered'); // the kind crosses the worker boundary

    crypto.stop();
    expect(workers[0]!.terminated).toBe(true);
  });

  it('ignores messages that are not requests', async () => {
    const answers: unknown[] = [];
    const listeners: ((event: MessageEvent) => void)[] = [];
    const scope: FileEngineScope = {
      postMessage: (message) => answers.push(message),
      addEventListener: (_type, listener) => listeners.push(listener),
    };
    serveFileEngine(scope);
    expect(answers).toEqual([{ ready: true }]);
    const send = (data: unknown) => listeners.forEach((listener) => listener(new MessageEvent('message', { data })));
    send(null);
    send({ id: 'x', request: { op: 'close', job: 1 } });
    send({ id: 7, request: { op: 'encrypt-digest', job: 99 } });
    await vi.waitFor(() => expect(answers).toHaveLength(2));
    expect(answers[1]).toMatchObject({ id: 7, ok: false, error: { kind: 'internal' } });
  });

  it('runs in-process when the worker cannot be created', async () => {
    const crypto = new FileCrypto({
      platform: new FakePlatform(),
      createWorker: () => {
        throw new Error('refused by the script policy');
      },
    });
    const { plain, blob } = plainFile();
    const key = newFileKey();
    const { bytes } = await encryptThrough(crypto, blob, key);
    expect(crypto.mode).toBe('in-process');
    expectSameBytes(bytes, await encryptFile(key, plain, { noncePrefix: bytes.subarray(1, FILE_HEADER_BYTES) }));
    crypto.stop();
  });

  it('runs in-process when the worker fails to load', async () => {
    const worker = new FakeWorker(false);
    const crypto = new FileCrypto({ platform: new FakePlatform(), createWorker: () => worker });
    const job = crypto.job();
    const opening = crypto.call({ op: 'encrypt-open', job, file: new Blob([new Uint8Array(10)]), key: newFileKey() });
    const event = worker.crash();
    expect(event.defaultPrevented).toBe(true);
    await opening;
    expect(crypto.mode).toBe('in-process');
    expect(worker.terminated).toBe(true);
    crypto.stop();
  });

  it('runs in-process when the worker never says ready (BOOT_TIMEOUT_MS)', async () => {
    vi.useFakeTimers();
    const worker = new FakeWorker(false);
    const crypto = new FileCrypto({ platform: new FakePlatform(), createWorker: () => worker });
    let opened = false;
    const opening = crypto
      .call({ op: 'encrypt-open', job: crypto.job(), file: new Blob([new Uint8Array(10)]), key: newFileKey() })
      .then(() => (opened = true));
    await vi.advanceTimersByTimeAsync(BOOT_TIMEOUT_MS - 1);
    expect(opened).toBe(false);
    expect(crypto.mode).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    await opening;
    expect(crypto.mode).toBe('in-process');
    expect(worker.terminated).toBe(true);
    crypto.stop();
  });

  it('a worker that dies fails its pending calls, and the next call starts a new one', async () => {
    const workers: FakeWorker[] = [];
    const crypto = new FileCrypto({
      platform: new FakePlatform(),
      createWorker: () => {
        const worker = new FakeWorker();
        workers.push(worker);
        return worker;
      },
    });
    const key = newFileKey();
    const job = crypto.job();
    await crypto.call({ op: 'encrypt-open', job, file: plainFile().blob, key });
    const reading = crypto.call({ op: 'encrypt-read', job, from: 0, count: CHUNKS });
    workers[0]!.crash();
    const error = await refusal(reading);
    expect(error.kind).toBe('internal');
    expect(workers[0]!.terminated).toBe(true);

    // The job died with the worker; its owner opens it again in the new one.
    const again = crypto.job();
    await crypto.call({ op: 'encrypt-open', job: again, file: new Blob([new Uint8Array(10)]), key });
    expect(workers).toHaveLength(2);
    expect(crypto.mode).toBe('worker');
    crypto.stop();
  });
});
