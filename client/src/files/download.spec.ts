// Downloads through FileTransfers against a fake server that streams ciphertext the
// protocol encrypted: resumes, refusals of tampered and truncated files, rate limits.

import {
  FILE_CHUNK_CIPHER_BYTES,
  FILE_HEADER_BYTES,
  FILE_VERSION,
  encryptFile,
  encryptedFileSize,
  fileDigestOf,
  newFileKey,
  type FileVersion,
} from '@onionchat/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeHttp } from '../test-support/fake-http.js';
import { FakePlatform } from '../test-support/fake-platform.js';
import { Api } from '../transport/api.js';
import type { FileSink } from './sink.js';
import { FileTransfers, MAX_FAILURES, type DownloadView, type FileSource } from './transfers.js';
import { STALL_CHECK_MS, STALL_MS } from './transfers/retry-policy.js';

const realSetTimeout = setTimeout;
const ROOM = 'room-1';
const FILE_ID = 'file-1';
const CONTENT = `/api/files/${FILE_ID}/content`;
const SIZE = 150_000; // three chunks; ciphertext 150 064 bytes
const TOTAL = encryptedFileSize(SIZE);
/** Somewhere in the middle of the second chunk. */
const CUT = 70_000;

/** How the fake answers one GET of the contents. */
interface Answer {
  /** The bytes the server holds (default: the file). */
  bytes?: Uint8Array;
  /** Ignore the Range header (answer 200 with everything). */
  ignoreRange?: boolean;
  /** Answer a range request from this offset instead of the one asked for. */
  wrongStart?: number;
  /** Stop at this absolute offset: 'error' drops the connection, 'end' ends the body cleanly, 'hang' stalls. */
  stopAt?: { offset: number; how: 'error' | 'end' | 'hang' };
  /** Send Content-Length (of what is sent) on a 200. */
  contentLength?: boolean;
  /** This status and error body instead. */
  status?: number;
  body?: unknown;
  retryAfter?: string;
}

/** A server's GET of file contents, with Range support, scripted one answer at a time. */
class FakeContentServer extends FakeHttp {
  readonly requests: Record<string, string>[] = [];
  readonly script: Answer[] = [];
  /** A 'hang' answer has sent everything it will send (the client read it all). */
  hanging = false;

  constructor(readonly file: Uint8Array) {
    super();
    this.streams.set(CONTENT, (headers) => this.answer(headers, this.script.shift() ?? {}));
  }

  get ranges(): (string | undefined)[] {
    return this.requests.map((headers) => headers.Range);
  }

  private answer(headers: Record<string, string>, answer: Answer): Response {
    this.requests.push({ ...headers });
    if (answer.status) {
      const init: ResponseInit = { status: answer.status, headers: {} };
      if (answer.retryAfter) init.headers = { 'Retry-After': answer.retryAfter };
      return new Response(JSON.stringify(answer.body ?? {}), init);
    }
    const held = answer.bytes ?? this.file;
    const asked = /^bytes=(\d+)-$/.exec(headers.Range ?? '');
    let start = 0;
    const responseHeaders: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
    let status = 200;
    if (asked && !answer.ignoreRange) {
      start = answer.wrongStart ?? Number(asked[1]);
      if (start >= held.length) {
        return new Response(JSON.stringify({ code: 'range', message: 'Range Not Satisfiable' }), {
          status: 416,
          headers: { 'Content-Range': `bytes */${held.length}` },
        });
      }
      status = 206;
      responseHeaders['Content-Range'] = `bytes ${start}-${held.length - 1}/${held.length}`;
    } else if (answer.contentLength) {
      responseHeaders['Content-Length'] = String(held.length);
    }
    const end = answer.stopAt ? Math.max(start, Math.min(held.length, answer.stopAt.offset)) : held.length;
    return new Response(
      streamOf(held.subarray(start, end), answer.stopAt?.how ?? 'end', () => (this.hanging = true)),
      {
        status,
        headers: responseHeaders,
      },
    );
  }
}

/** The bytes in pieces of about 20 KB, then the end, a dropped connection, or silence. */
function streamOf(bytes: Uint8Array, then: 'error' | 'end' | 'hang', hung: () => void): ReadableStream<Uint8Array> {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += 20_000) pieces.push(bytes.slice(at, at + 20_000));
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < pieces.length) return controller.enqueue(pieces[next++]!);
      if (then === 'error') return controller.error(new TypeError('terminated'));
      if (then === 'end') return controller.close();
      hung();
      return new Promise<void>(() => undefined);
    },
  });
}

class MemorySink implements FileSink {
  readonly saved: { name: string; bytes: Uint8Array }[] = [];
  readonly previews: Blob[] = [];
  readonly revoked: string[] = [];
  failWith: Error | null = null;
  async save(blob: Blob, name: string): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.saved.push({ name, bytes: new Uint8Array(await blob.arrayBuffer()) });
  }
  previewUrl(blob: Blob): string {
    this.previews.push(blob);
    return `preview:${this.previews.length}`;
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

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3_000; i += 1) {
    if (check()) return;
    await new Promise((resolve) => realSetTimeout(resolve, 1));
  }
  throw new Error(`Timed out waiting for ${what}.`);
}

const SETTLED = ['done', 'failed', 'tampered'];

async function setup(options: { name?: string; mime?: string; version?: FileVersion } = {}) {
  const plain = randomBytes(SIZE);
  const key = newFileKey();
  const encrypted = await encryptFile(key, plain, { version: options.version ?? FILE_VERSION });
  const source: FileSource = {
    fileId: FILE_ID,
    key,
    digest: await fileDigestOf(encrypted),
    name: options.name ?? 'report.pdf',
    mime: options.mime ?? 'application/pdf',
    size: SIZE,
  };
  const http = new FakeContentServer(encrypted);
  const platform = new FakePlatform();
  const sink = new MemorySink();
  const transfers = new FileTransfers({
    api: new Api(http),
    platform,
    sink,
    hooks: { uploaded: () => undefined, cancelled: () => undefined },
  });
  const view = (): DownloadView | null => transfers.download('k1');
  const phase = () => view()?.phase;
  const settled = () => until(() => SETTLED.includes(phase() ?? ''), 'the download to settle');
  const save = () => transfers.save('k1', ROOM, source);
  return { plain, key, encrypted, source, http, platform, sink, transfers, view, phase, settled, save };
}

type Setup = Awaited<ReturnType<typeof setup>>;

function expectSaved(s: Setup): void {
  expect(s.phase()).toBe('done');
  expect(s.view()).toMatchObject({ saved: true, note: null, progress: { done: SIZE, total: SIZE } });
  expect(s.sink.saved).toHaveLength(1);
  expect(s.sink.saved[0]!.name).toBe('report.pdf');
  expectSameBytes(s.sink.saved[0]!.bytes, s.plain);
}

function expectNothingHandedOver(s: Setup): void {
  expect(s.sink.saved).toEqual([]);
  expect(s.sink.previews).toEqual([]);
  expect(s.view()?.previewUrl ?? null).toBeNull();
  expect(s.view()?.saved).toBe(false);
}

/** Flips one bit at `offset` of a copy. */
function flipped(bytes: Uint8Array, offset: number): Uint8Array {
  const copy = bytes.slice();
  copy[offset]! ^= 1;
  return copy;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('downloads', () => {
  it('streams, checks and decrypts the file, then hands it to the sink under a safe name', async () => {
    const s = await setup({ name: '..secret:plan?.pdf' });
    s.save();
    await s.settled();
    expect(s.phase()).toBe('done');
    expect(s.sink.saved).toHaveLength(1);
    expect(s.sink.saved[0]!.name).toBe('secret_plan_.pdf');
    expectSameBytes(s.sink.saved[0]!.bytes, s.plain);
    expect(s.http.ranges).toEqual([undefined]);
    expect(s.transfers.busy).toBe(false);
  });

  it('still opens a version 1 (secretbox) file, as sent before version 2', async () => {
    const s = await setup({ version: 1 });
    expect(s.encrypted[0]).toBe(1);
    s.save();
    await s.settled();
    expect(s.phase()).toBe('done');
    expectSameBytes(s.sink.saved[0]!.bytes, s.plain);
  });

  it('an image preview gets a URL from the sink; saving it later needs no second download', async () => {
    const s = await setup({ mime: 'image/png' });
    s.transfers.preview('k1', ROOM, s.source, false);
    await s.settled();
    expect(s.view()).toMatchObject({ phase: 'done', previewUrl: 'preview:1', saved: false });
    expectSameBytes(new Uint8Array(await s.sink.previews[0]!.arrayBuffer()), s.plain);
    expect(s.sink.saved).toEqual([]);
    s.save();
    await until(() => s.view()?.saved === true, 'the save');
    expect(s.http.requests).toHaveLength(1);
    expectSameBytes(s.sink.saved[0]!.bytes, s.plain);
    s.transfers.cancelDownload('k1');
    expect(s.sink.revoked).toEqual(['preview:1']);
  });

  it('a sink that refuses leaves the download failed with a note (and Retry saves it)', async () => {
    const s = await setup();
    s.sink.failWith = new Error('Disk full.');
    s.save();
    await s.settled();
    expect(s.view()).toMatchObject({ phase: 'failed', saved: false, note: 'The file could not be saved (disk full).' });
    s.sink.failWith = null;
    s.transfers.retryDownload('k1');
    await until(() => s.view()?.saved === true, 'the second try');
    expectSaved(s);
  });
});

describe('download resume', () => {
  it('after a stream dropped mid-way, asks with Range from the byte it stopped at', async () => {
    const s = await setup();
    s.http.script.push({ stopAt: { offset: CUT, how: 'error' } });
    s.save();
    await until(() => s.phase() === 'waiting', 'the drop');
    expect(s.view()?.note).toBe('The connection dropped.');
    expect(s.view()?.progress.done).toBeGreaterThan(0);
    await vi.advanceTimersByTimeAsync(700);
    expect(s.http.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(600);
    await s.settled();
    expect(s.http.ranges).toEqual([undefined, `bytes=${CUT}-`]);
    expectSaved(s);
  });

  it('a body that just ends early is resumed the same way', async () => {
    const s = await setup();
    s.http.script.push({ stopAt: { offset: CUT, how: 'end' } });
    s.save();
    await until(() => s.phase() === 'waiting', 'the early end');
    expect(s.view()?.note).toBe('The connection dropped.');
    await vi.advanceTimersByTimeAsync(1_300);
    await s.settled();
    expect(s.http.ranges).toEqual([undefined, `bytes=${CUT}-`]);
    expectSaved(s);
  });

  it('refuses a resumed answer that is the wrong part of the file, and asks again', async () => {
    const s = await setup();
    s.http.script.push({ stopAt: { offset: CUT, how: 'error' } }, { wrongStart: 0 });
    s.save();
    await until(() => s.http.requests.length === 2 || s.phase() === 'waiting', 'the drop');
    await vi.advanceTimersByTimeAsync(1_300);
    await until(() => s.http.requests.length === 2 && s.phase() === 'waiting', 'the wrong part');
    expect(s.view()?.note).toBe('The connection dropped.');
    await vi.advanceTimersToNextTimerAsync();
    await s.settled();
    expect(s.http.ranges).toEqual([undefined, `bytes=${CUT}-`, `bytes=${CUT}-`]);
    expectSaved(s);
  });

  it('a server that ignores Range (200, everything) is fine: what is held is skipped', async () => {
    const s = await setup();
    s.http.script.push({ stopAt: { offset: CUT, how: 'error' } }, { ignoreRange: true });
    s.save();
    await until(() => s.phase() === 'waiting', 'the drop');
    await vi.advanceTimersByTimeAsync(1_300);
    await s.settled();
    expect(s.http.ranges).toEqual([undefined, `bytes=${CUT}-`]);
    expectSaved(s);
  });

  it('a stalled stream is aborted after STALL_MS and resumed from where it stalled', async () => {
    const s = await setup();
    s.http.script.push({ stopAt: { offset: CUT, how: 'hang' } });
    s.save();
    await until(() => s.http.hanging, 'the stall');
    await vi.advanceTimersByTimeAsync(STALL_MS - STALL_CHECK_MS);
    expect(s.phase()).toBe('downloading');
    await vi.advanceTimersByTimeAsync(2 * STALL_CHECK_MS);
    await until(() => s.phase() === 'waiting', 'the abort');
    await vi.advanceTimersToNextTimerAsync();
    await s.settled();
    expect(s.http.ranges).toEqual([undefined, `bytes=${CUT}-`]);
    expectSaved(s);
  });
});

describe('tampered and truncated files', () => {
  it('a tampered chunk is refused, nothing reaches the sink, and it is not retried by itself', async () => {
    const s = await setup({ mime: 'image/png' });
    s.http.script.push({ bytes: flipped(s.encrypted, FILE_HEADER_BYTES + FILE_CHUNK_CIPHER_BYTES + 100) });
    s.transfers.preview('k1', ROOM, s.source, false);
    s.save();
    await s.settled();
    expect(s.phase()).toBe('tampered');
    expect(s.view()?.note).toMatch(/altered/);
    expectNothingHandedOver(s);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(s.http.requests).toHaveLength(1);
    // Retry fetches it again from the start (the server may have been fixed).
    s.transfers.retryDownload('k1');
    await until(() => s.phase() === 'done', 'the retry');
    expect(s.http.ranges).toEqual([undefined, undefined]);
    expectSaved(s);
  });

  it.each([
    ['a flipped header byte', (e: Uint8Array) => flipped(e, 3)],
    ['a flipped tag of the last chunk', (e: Uint8Array) => flipped(e, e.length - 1)],
    [
      'two chunks swapped',
      (e: Uint8Array) => {
        const out = e.slice();
        const a = FILE_HEADER_BYTES;
        const b = a + FILE_CHUNK_CIPHER_BYTES;
        out.set(e.subarray(b, b + FILE_CHUNK_CIPHER_BYTES), a);
        out.set(e.subarray(a, b), b);
        return out;
      },
    ],
    [
      'one extra byte',
      (e: Uint8Array) => {
        const out = new Uint8Array(e.length + 1);
        out.set(e);
        return out;
      },
    ],
  ])('refuses %s', async (_what, tamper) => {
    const s = await setup();
    s.http.script.push({ bytes: tamper(s.encrypted) });
    s.save();
    await s.settled();
    expect(s.phase()).toBe('tampered');
    expectNothingHandedOver(s);
  });

  it('refuses an intact file that is not the one the sender signed the digest of', async () => {
    const s = await setup();
    const other = await encryptFile(s.key, randomBytes(SIZE));
    s.http.script.push({ bytes: other });
    s.save();
    await s.settled();
    expect(s.phase()).toBe('tampered');
    expect(s.view()?.note).toMatch(/digest/);
    expectNothingHandedOver(s);
  });

  it('refuses a truncated file whose 200 says its (short) length', async () => {
    const s = await setup();
    s.http.script.push({ bytes: s.encrypted.subarray(0, TOTAL - 100), contentLength: true });
    s.save();
    await s.settled();
    expect(s.phase()).toBe('tampered');
    expect(s.view()?.note).toMatch(/not the size/);
    expectNothingHandedOver(s);
    expect(s.http.requests).toHaveLength(1);
  });

  it('refuses a truncated file streamed without a length: the resume finds the server’s copy short', async () => {
    const s = await setup();
    const short = s.encrypted.subarray(0, TOTAL - 100);
    s.http.script.push({ bytes: short }, { bytes: short });
    s.save();
    await until(() => s.phase() === 'waiting', 'the early end');
    await vi.advanceTimersByTimeAsync(1_300);
    await s.settled();
    expect(s.http.ranges).toEqual([undefined, `bytes=${TOTAL - 100}-`]);
    expect(s.phase()).toBe('tampered'); // 416: the server holds less than the sender sent
    expectNothingHandedOver(s);
  });

  it('a server that claims the full size but never sends the end fails, and hands nothing over', async () => {
    const s = await setup();
    const stall = { stopAt: { offset: TOTAL - 100, how: 'end' as const } };
    s.http.script.push(...Array<typeof stall>(MAX_FAILURES + 2).fill(stall));
    s.save();
    for (let i = 0; i < MAX_FAILURES + 2 && !SETTLED.includes(s.phase() ?? ''); i += 1) {
      await until(() => s.phase() === 'waiting' || SETTLED.includes(s.phase() ?? ''), `try ${i}`);
      if (s.phase() === 'waiting') await vi.advanceTimersToNextTimerAsync();
    }
    await s.settled();
    expect(s.phase()).toBe('failed');
    expect(s.view()?.note).toBe('The download keeps failing (the connection dropped).');
    expectNothingHandedOver(s);
  });
});

describe('download rate limits and readiness', () => {
  it('waits as long as Retry-After says (429), without counting a failure', async () => {
    const s = await setup();
    const limited = { status: 429, body: { code: 'rate_limited', message: 'Slow down.' }, retryAfter: '20' };
    s.http.script.push(...Array<typeof limited>(MAX_FAILURES + 1).fill(limited));
    s.save();
    for (let i = 0; i < MAX_FAILURES + 1; i += 1) {
      await until(() => s.http.requests.length === i + 1 && s.phase() === 'waiting', `429 #${i}`);
      expect(s.view()?.note).toBe('Slow down.');
      await vi.advanceTimersByTimeAsync(19_900);
      expect(s.http.requests).toHaveLength(i + 1);
      await vi.advanceTimersByTimeAsync(100);
    }
    await s.settled();
    expectSaved(s);
  });

  it('a file still uploading (409 not_ready) waits for markReady', async () => {
    const s = await setup();
    s.http.script.push({ status: 409, body: { code: 'not_ready', message: 'Still uploading.' } });
    s.save();
    await until(() => s.phase() === 'not-ready', 'not ready');
    expect(s.transfers.remoteStatus(FILE_ID)).toBe('uploading');
    s.transfers.markReady(FILE_ID);
    await s.settled();
    expect(s.transfers.remoteStatus(FILE_ID)).toBe('ready');
    expectSaved(s);
  });

  it('a file the server no longer has fails as gone', async () => {
    const s = await setup();
    s.http.script.push({ status: 404, body: { code: 'not_found', message: 'No such file.' } });
    s.save();
    await s.settled();
    expect(s.view()).toMatchObject({ phase: 'failed', note: 'This file is no longer on the server.' });
    expect(s.transfers.remoteStatus(FILE_ID)).toBe('gone');
  });
});

describe('what the server says about a room’s files', () => {
  const info = (id: string, status: 'uploading' | 'ready') => ({
    id,
    roomId: ROOM,
    uploaderId: 'them',
    size: TOTAL,
    received: status === 'ready' ? TOTAL : 10,
    status,
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: null,
    disappearsAt: null,
  });

  it('watchRoom learns statuses once a minute at most; a stale answer cannot take "ready" back', async () => {
    const s = await setup();
    const path = `/api/rooms/${ROOM}/files`;
    s.http.on('GET', path, { body: { files: [info('a', 'uploading'), info('b', 'ready')] } });
    s.transfers.watchRoom(ROOM);
    await until(() => s.transfers.remoteStatus('b') === 'ready', 'the list');
    expect(s.transfers.remoteStatus('a')).toBe('uploading');
    s.transfers.watchRoom(ROOM);
    expect(s.http.callsTo('GET', path)).toHaveLength(1);

    s.transfers.markReady('a');
    await vi.advanceTimersByTimeAsync(60_001);
    s.transfers.watchRoom(ROOM);
    await until(() => s.http.callsTo('GET', path).length === 2, 'the second look');
    await vi.advanceTimersByTimeAsync(0);
    expect(s.transfers.remoteStatus('a')).toBe('ready');
  });

  it('a list that does not fit the contract changes nothing, and is asked for again next time', async () => {
    const s = await setup();
    const path = `/api/rooms/${ROOM}/files`;
    s.http.on('GET', path, { body: { files: [{ id: 'a', status: 'ready' }] } });
    s.transfers.watchRoom(ROOM);
    await until(() => s.http.callsTo('GET', path).length === 1, 'the list');
    await vi.advanceTimersByTimeAsync(0);
    expect(s.transfers.remoteStatus('a')).toBe('unknown');
    s.http.on('GET', path, { body: { files: [info('a', 'ready')] } });
    s.transfers.watchRoom(ROOM);
    await until(() => s.transfers.remoteStatus('a') === 'ready', 'the second look');
    expect(s.http.callsTo('GET', path)).toHaveLength(2);
  });
});
