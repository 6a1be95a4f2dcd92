// Uploads through FileTransfers against a fake server: the bytes the fake received are
// checked with the protocol's own functions; drops, stalls, 409s and 429s are scripted.

import type { ServerFile } from '@onionchat/contract';
import { FILE_HEADER_BYTES, FILE_VERSION, decryptFile, encryptedFileSize, fileDigestOf } from '@onionchat/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeHttp, type FakeReply } from '../test-support/fake-http.js';
import { FakePlatform } from '../test-support/fake-platform.js';
import { networkError } from '../transport/api-error.js';
import { Api } from '../transport/api.js';
import type { HttpAnswer } from '../transport/http.js';
import { FileCrypto } from './file-crypto.js';
import { EngineError, type EngineRequest } from './file-engine.js';
import type { FileSink } from './sink.js';
import { FileTransfers, MAX_FAILURES, type FileSource } from './transfers.js';
import { BACKOFF_MS, RATE_LIMIT_WAIT_MS, STALL_CHECK_MS, STALL_MS } from './transfers/retry-policy.js';

const realSetTimeout = setTimeout;
const ROOM = 'room-1';
const SIZE = 150_000; // three chunks; ciphertext 150 064 bytes
const MAX_REQUEST = 50_000; // so it goes up in five PUTs

/** What the fake does with the next PUTs, in order (then: store and answer). */
type PutStep =
  /** Store and answer, as a server does. */
  | 'store'
  /** The connection fails before the server stores anything. */
  | 'drop-before'
  /** The server stores the bytes, then the connection fails (the answer is lost). */
  | 'drop-after'
  /** Nothing comes back until the client aborts. */
  | 'hang'
  /** This answer instead (nothing stored). */
  | { status: number; body?: unknown; retryAfter?: string };

interface PutRecord {
  offset: number;
  length: number;
  outcome: string;
}

/** The files API of a server: create, resume info, PUT at offset, delete. */
class FakeFileServer extends FakeHttp {
  readonly files = new Map<string, { info: ServerFile; data: Uint8Array }>();
  readonly script: PutStep[] = [];
  readonly puts: PutRecord[] = [];
  private nextId = 1;

  constructor(readonly maxRequestBytes = MAX_REQUEST) {
    super();
    this.on('POST', /^\/api\/rooms\/[^/]+\/files$/, (call) => {
      const size = (call.body as { size: number }).size;
      const id = `file-${this.nextId++}`;
      const info: ServerFile = {
        id,
        roomId: ROOM,
        uploaderId: 'me',
        size,
        received: 0,
        status: 'uploading',
        disappearsAt: null,
        createdAt: '2026-01-01T00:00:00.000Z',
        expiresAt: '2026-01-01T01:00:00.000Z',
      };
      this.files.set(id, { info, data: new Uint8Array(size) });
      return { status: 201, body: { file: info, maxRequestBytes: this.maxRequestBytes } };
    });
    this.on('GET', /^\/api\/files\/[^/?]+$/, (call) => {
      const file = this.files.get(call.path.split('/').pop()!);
      return file
        ? { body: { file: file.info } }
        : { status: 404, body: { code: 'not_found', message: 'No such file.' } };
    });
    this.on('DELETE', /^\/api\/files\/[^/?]+$/, (call) => {
      this.files.delete(call.path.split('/').pop()!);
      return { status: 204 };
    });
    this.putHandler = (path, body) => this.receive(path, body);
  }

  override put(
    path: string,
    body: Uint8Array,
    progress: (sent: number) => void,
    signal: AbortSignal,
  ): Promise<HttpAnswer> {
    if (this.script[0] !== 'hang') return super.put(path, body, progress, signal);
    this.script.shift();
    this.calls.push({ method: 'PUT', path, body });
    this.puts.push({ offset: offsetOf(path), length: body.length, outcome: 'hang' });
    return new Promise((_, reject) => signal.addEventListener('abort', () => reject(networkError())));
  }

  only(): { info: ServerFile; data: Uint8Array } {
    expect(this.files.size).toBe(1);
    return [...this.files.values()][0]!;
  }

  private receive(path: string, body: Uint8Array): FakeReply {
    const id = /^\/api\/files\/([^/]+)\/content/.exec(path)![1]!;
    const offset = offsetOf(path);
    const step = this.script.shift();
    const record = (outcome: string) => this.puts.push({ offset, length: body.length, outcome });
    if (step === 'drop-before') {
      record('dropped');
      return 'drop';
    }
    if (typeof step === 'object') {
      record(`answered ${step.status}`);
      return step;
    }
    const file = this.files.get(id);
    if (!file) return { status: 404, body: { code: 'not_found', message: 'No such file.' } };
    if (body.length > this.maxRequestBytes) {
      record('too large');
      return { status: 413, body: { code: 'too_large', message: 'Too large.' } };
    }
    if (offset !== file.info.received) {
      record('wrong offset');
      return { status: 409, body: { code: 'wrong_offset', message: `The server has ${file.info.received} bytes.` } };
    }
    if (offset + body.length > file.info.size) {
      record('past the end');
      return { status: 400, body: { code: 'bad_request', message: 'Past the end.' } };
    }
    file.data.set(body, offset);
    file.info = { ...file.info, received: offset + body.length };
    if (file.info.received === file.info.size) file.info = { ...file.info, status: 'ready', expiresAt: null };
    record(step === 'drop-after' ? 'stored, answer lost' : 'stored');
    if (step === 'drop-after') return 'drop';
    return { body: { file: file.info } };
  }
}

function offsetOf(path: string): number {
  return Number(new URL(path, 'http://x').searchParams.get('offset'));
}

class MemorySink implements FileSink {
  readonly saved: { name: string; blob: Blob }[] = [];
  readonly urls: Blob[] = [];
  readonly revoked: string[] = [];
  save(blob: Blob, name: string): void {
    this.saved.push({ name, blob });
  }
  previewUrl(blob: Blob): string {
    this.urls.push(blob);
    return `preview:${this.urls.length}`;
  }
  revokePreviewUrl(url: string): void {
    this.revoked.push(url);
  }
}

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65_536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65_536)));
  return out;
}

function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  const first = actual.findIndex((byte, i) => byte !== expected[i]);
  expect(first, 'first differing byte').toBe(-1);
}

/** Waits (in real time, without moving the fake clock) for the client to get somewhere. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3_000; i += 1) {
    if (check()) return;
    await new Promise((resolve) => realSetTimeout(resolve, 1));
  }
  throw new Error(`Timed out waiting for ${what}.`);
}

/** The in-process engine, except that one read of chunks past the first fails as if its worker had died. */
function crashingCrypto(): { crypto: FileCrypto; opens: EngineRequest[] } {
  const crypto = new FileCrypto({ platform: new FakePlatform() });
  const opens: EngineRequest[] = [];
  const call = crypto.call.bind(crypto);
  let crashed = false;
  crypto.call = ((request: EngineRequest, transfer?: Transferable[]) => {
    if (request.op === 'encrypt-open') opens.push(request);
    if (request.op === 'encrypt-read' && request.from > 0 && !crashed) {
      crashed = true;
      return Promise.reject(new EngineError('internal', 'The file worker stopped.'));
    }
    return call(request, transfer);
  }) as FileCrypto['call'];
  return { crypto, opens };
}

function setup(options: { maxRequestBytes?: number; crypto?: FileCrypto } = {}) {
  const http = new FakeFileServer(options.maxRequestBytes);
  const platform = new FakePlatform();
  const sink = new MemorySink();
  const uploaded: { roomId: string; clientId: string; file: FileSource }[] = [];
  const cancelled: string[] = [];
  const transfers = new FileTransfers({
    api: new Api(http),
    platform,
    sink,
    ...(options.crypto ? { crypto: options.crypto } : {}),
    hooks: {
      uploaded: (roomId, clientId, file) => uploaded.push({ roomId, clientId, file }),
      cancelled: (_roomId, clientId) => cancelled.push(clientId),
    },
  });
  const plain = randomBytes(SIZE);
  const start = (clientId = 'c1', mime = 'application/pdf') =>
    transfers.startFile(ROOM, clientId, new Blob([plain.slice()]), 'report.pdf', mime);
  const done = () => until(() => uploaded.length > 0 || transfers.upload('c1')?.phase === 'failed', 'the upload');
  return { http, platform, sink, transfers, plain, start, done, uploaded, cancelled };
}

type Setup = ReturnType<typeof setup>;

/** The upload finished, and what the server holds is the file, encrypted, under the key and digest sent on. */
async function expectDelivered({ http, uploaded, plain, transfers }: Setup): Promise<void> {
  expect(transfers.upload('c1')?.phase).toBe('done');
  expect(uploaded).toHaveLength(1);
  const { file } = uploaded[0]!;
  const stored = http.only();
  expect(stored.info.status).toBe('ready');
  expect(file.fileId).toBe(stored.info.id);
  expect(stored.data.length).toBe(encryptedFileSize(SIZE));
  expect(stored.data[0]).toBe(FILE_VERSION); // new uploads are version 2 (AES-256-GCM)
  expectSameBytes(await decryptFile(file.key, stored.data), plain);
  expect(await fileDigestOf(stored.data)).toEqual(file.digest);
  expect(file).toMatchObject({ name: 'report.pdf', mime: 'application/pdf', size: SIZE });
  // Every PUT the server stored started where it was: nothing sent twice, nothing skipped.
  expect(http.puts.filter((put) => put.outcome === 'wrong offset')).toEqual([]);
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('uploads', () => {
  it('encrypts the file and PUTs it in several requests that decrypt to the original', async () => {
    const s = setup();
    s.start();
    await s.done();
    await expectDelivered(s);

    const puts = s.http.puts;
    expect(puts.length).toBeGreaterThanOrEqual(4);
    expect(puts.every((put) => put.outcome === 'stored' && put.length <= MAX_REQUEST)).toBe(true);
    expect(puts.map((put) => put.offset)).toEqual(
      puts.map((_put, i) => puts.slice(0, i).reduce((sum, before) => sum + before.length, 0)),
    );
    expect(s.http.callsTo('POST', `/api/rooms/${ROOM}/files`)).toHaveLength(1);
    expect(s.http.callsTo('POST', `/api/rooms/${ROOM}/files`)[0]!.body).toEqual({ size: encryptedFileSize(SIZE) });
    expect(s.transfers.remoteStatus(s.uploaded[0]!.file.fileId)).toBe('ready');
    expect(s.transfers.upload('c1')?.progress).toMatchObject({ done: SIZE, total: SIZE });
    expect(s.transfers.busy).toBe(false);
  });

  it('sends only ciphertext: the server’s bytes hold no run of the plaintext and open with no other key', async () => {
    const s = setup();
    s.start();
    await s.done();
    const stored = s.http.only().data;
    const needle = Buffer.from(s.plain.subarray(70_000, 70_032));
    expect(Buffer.from(stored).includes(needle)).toBe(false);
    const tampered = stored.slice();
    tampered[100]! ^= 1;
    await expect(decryptFile(s.uploaded[0]!.file.key, tampered)).rejects.toThrow();
    const wrongKey = s.uploaded[0]!.file.key.slice();
    wrongKey[0]! ^= 1;
    await expect(decryptFile(wrongKey, stored)).rejects.toThrow();
  });

  it('reopens the encryption after the engine died, continuing the same file (same version and header)', async () => {
    const { crypto, opens } = crashingCrypto();
    const s = setup({ crypto });
    s.start();
    await until(() => s.transfers.upload('c1')?.phase === 'waiting', 'the crash');
    await vi.advanceTimersToNextTimerAsync();
    await s.done();
    expect(opens).toHaveLength(2);
    const [first, second] = opens as [EngineRequest & { header?: Uint8Array }, EngineRequest & { header?: Uint8Array }];
    expect(first.header).toBeUndefined();
    expect(second.header).toEqual(s.http.only().data.subarray(0, FILE_HEADER_BYTES));
    await expectDelivered(s);
  });

  it('refuses a create answer that does not fit the contract (retried, never a guess)', async () => {
    const s = setup();
    s.http.on('POST', /^\/api\/rooms\/[^/]+\/files$/, { status: 201, body: { file: { id: 'x' }, maxRequestBytes: 5 } });
    s.start();
    await until(() => s.transfers.upload('c1')?.phase === 'waiting', 'the retry');
    expect(s.transfers.upload('c1')?.note).toMatch(/can't read/);
    expect(s.http.puts).toEqual([]);
  });
});

describe('upload resume', () => {
  it('after a dropped PUT the server had stored, asks GET /api/files/:id and continues at its offset', async () => {
    const s = setup();
    s.http.script.push('store', 'drop-after');
    s.start();
    await until(() => s.transfers.upload('c1')?.phase === 'waiting', 'the dropped request');
    expect(s.transfers.upload('c1')?.note).toBe('The connection dropped.');
    const lost = s.http.puts[1]!;
    expect(lost.outcome).toBe('stored, answer lost');
    const putsBefore = s.http.puts.length;
    const infoPath = `/api/files/${s.http.only().info.id}`;
    expect(s.http.callsTo('GET', infoPath)).toHaveLength(0);

    // Backoff: about a second (jittered), and nothing is sent before.
    await vi.advanceTimersByTimeAsync(700);
    expect(s.http.puts.length).toBe(putsBefore);
    await vi.advanceTimersByTimeAsync(600);
    await s.done();

    expect(s.http.callsTo('GET', infoPath)).toHaveLength(1);
    const resumed = s.http.puts[putsBefore]!;
    expect(resumed.offset).toBe(lost.offset + lost.length);
    const getIndex = s.http.calls.findIndex((call) => call.method === 'GET' && call.path === infoPath);
    const resumedIndex = s.http.calls.findIndex(
      (call) => call.method === 'PUT' && offsetOf(call.path) === resumed.offset,
    );
    expect(getIndex).toBeLessThan(resumedIndex);
    await expectDelivered(s);
    expect(s.http.puts.reduce((sum, put) => sum + put.length, 0)).toBe(encryptedFileSize(SIZE));
  });

  it('after a PUT dropped before the server stored it, sends the same bytes again from the same offset', async () => {
    const s = setup();
    s.http.script.push('store', 'drop-before');
    s.start();
    await until(() => s.transfers.upload('c1')?.phase === 'waiting', 'the dropped request');
    const lost = s.http.puts[1]!;
    expect(lost.outcome).toBe('dropped');
    await vi.advanceTimersByTimeAsync(1_300);
    await s.done();
    expect(s.http.puts[2]).toMatchObject({ offset: lost.offset, length: lost.length, outcome: 'stored' });
    await expectDelivered(s);
  });

  it('a client that lost track (409 wrong_offset) asks the server and continues', async () => {
    const s = setup();
    const server = s.http;
    // The second request is refused as out of place: the client asks where the server is.
    server.script.push('store', { status: 409, body: { code: 'wrong_offset', message: 'Offset.' } });
    s.start();
    await until(() => s.transfers.upload('c1')?.phase === 'waiting', 'the refusal');
    await vi.advanceTimersByTimeAsync(500);
    await s.done();
    await expectDelivered(s);
    expect(server.callsTo('GET', /^\/api\/files\/[^/]+$/)).toHaveLength(1);
  });

  it('a stalled PUT is aborted after STALL_MS and resumed', async () => {
    const s = setup();
    s.http.script.push('store', 'hang');
    s.start();
    await until(() => s.http.puts.length === 2, 'the stalled request');
    expect(s.transfers.upload('c1')?.phase).toBe('uploading');
    await vi.advanceTimersByTimeAsync(STALL_MS - STALL_CHECK_MS);
    expect(s.transfers.upload('c1')?.phase).toBe('uploading');
    expect(s.http.puts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2 * STALL_CHECK_MS);
    await until(() => s.transfers.upload('c1')?.phase === 'waiting', 'the abort');
    await vi.advanceTimersByTimeAsync(1_300);
    await s.done();
    expect(s.http.puts[2]).toMatchObject({ offset: s.http.puts[1]!.offset, outcome: 'stored' });
    await expectDelivered(s);
  });

  it(`fails after ${MAX_FAILURES} drops in a row, and Retry continues where the server stopped`, async () => {
    const s = setup();
    s.http.script.push('store', ...Array<PutStep>(MAX_FAILURES).fill('drop-before'));
    s.start();
    for (let drop = 1; drop < MAX_FAILURES; drop += 1) {
      await until(
        () => s.http.puts.length === drop + 1 && s.transfers.upload('c1')?.phase === 'waiting',
        `drop ${drop}`,
      );
      // The backoff grows (jittered by a quarter either way); it is the one timer waiting.
      expect(vi.getTimerCount()).toBe(1);
      const before = Date.now();
      await vi.advanceTimersToNextTimerAsync();
      const waited = Date.now() - before;
      expect(waited).toBeGreaterThanOrEqual(BACKOFF_MS[drop - 1]! * 0.75);
      expect(waited).toBeLessThanOrEqual(BACKOFF_MS[drop - 1]! * 1.25);
    }
    await until(() => s.transfers.upload('c1')?.phase === 'failed', 'the failure');
    const view = s.transfers.upload('c1')!;
    expect(view.note).toBe('The upload keeps failing (the connection dropped).');
    expect(view.resumable).toBe(true);
    expect(s.uploaded).toEqual([]);
    const stored = s.http.only().info.received;
    expect(stored).toBeGreaterThan(0);

    s.transfers.retryUpload('c1');
    await s.done();
    const afterRetry = s.http.puts.find((put, i) => i > MAX_FAILURES && put.outcome === 'stored')!;
    expect(afterRetry.offset).toBe(stored);
    await expectDelivered(s);
  });

  it('drops while the device is offline do not count; online() resumes', async () => {
    const s = setup();
    s.platform.isOffline = true;
    s.http.script.push(...Array<PutStep>(MAX_FAILURES + 2).fill('drop-before'));
    s.start();
    for (let i = 0; i < MAX_FAILURES + 2; i += 1) {
      await until(() => s.http.puts.length === i + 1 && s.transfers.upload('c1')?.phase === 'waiting', `drop ${i}`);
      if (i < MAX_FAILURES + 1) await vi.advanceTimersToNextTimerAsync();
    }
    expect(s.transfers.upload('c1')?.phase).toBe('waiting');
    s.platform.isOffline = false;
    s.transfers.online();
    await s.done();
    await expectDelivered(s);
  });
});

describe('upload rate limits', () => {
  it('waits as long as Retry-After says (429), then continues without counting a failure', async () => {
    const s = setup();
    const limited = { status: 429, body: { code: 'rate_limited', message: 'Too many uploads.' }, retryAfter: '7' };
    s.http.script.push('store', limited);
    s.start();
    await until(() => s.transfers.upload('c1')?.phase === 'waiting', 'the 429');
    expect(s.transfers.upload('c1')?.note).toBe('Too many uploads.');
    const putsBefore = s.http.puts.length;
    await vi.advanceTimersByTimeAsync(6_900);
    expect(s.http.puts.length).toBe(putsBefore);
    await vi.advanceTimersByTimeAsync(200);
    await s.done();
    await expectDelivered(s);
  });

  it('waits RATE_LIMIT_WAIT_MS without a Retry-After, and more 429s than MAX_FAILURES do not fail it', async () => {
    const s = setup();
    const limited = { status: 429, body: { code: 'rate_limited', message: 'Too many uploads.' } };
    s.http.script.push(...Array<PutStep>(MAX_FAILURES + 2).fill(limited));
    s.start();
    for (let i = 0; i < MAX_FAILURES + 2; i += 1) {
      await until(() => s.http.puts.length === i + 1 && s.transfers.upload('c1')?.phase === 'waiting', `429 #${i}`);
      await vi.advanceTimersByTimeAsync(RATE_LIMIT_WAIT_MS - 100);
      expect(s.http.puts.length).toBe(i + 1);
      await vi.advanceTimersByTimeAsync(100);
    }
    await s.done();
    await expectDelivered(s);
  });

  it('fails at once on a refusal that will not pass (413 over quota), with the server’s words', async () => {
    const s = setup();
    s.http.script.push({ status: 413, body: { code: 'over_quota', message: 'Your storage is full.' } });
    s.start();
    await s.done();
    expect(s.transfers.upload('c1')).toMatchObject({
      phase: 'failed',
      note: 'Your storage is full.',
      resumable: false,
    });
    expect(s.uploaded).toEqual([]);
  });
});

describe('upload lifecycle', () => {
  it('cancel deletes the server’s copy, tells the hook and frees the preview', async () => {
    const s = setup();
    s.http.script.push('store', 'hang');
    s.start('c1', 'image/png');
    expect(s.transfers.upload('c1')?.previewUrl).toBe('preview:1');
    await until(() => s.http.puts.length === 2, 'the second request');
    const id = s.http.only().info.id;
    s.transfers.cancelUpload('c1');
    expect(s.transfers.upload('c1')).toBeNull();
    expect(s.cancelled).toEqual(['c1']);
    expect(s.sink.revoked).toEqual(['preview:1']);
    await until(() => s.http.callsTo('DELETE', `/api/files/${id}`).length === 1, 'the delete');
    expect(s.uploaded).toEqual([]);
  });

  it('one upload at a time; stop() ends them all and nothing more is sent', async () => {
    const s = setup();
    s.http.script.push('hang');
    s.start('c1');
    s.start('c2');
    await until(() => s.http.puts.length === 1, 'the first request');
    expect(s.transfers.upload('c2')?.phase).toBe('queued');
    expect(s.transfers.busy).toBe(true);
    s.transfers.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(s.http.puts).toHaveLength(1);
    expect(s.transfers.upload('c1')).toBeNull();
  });
});
