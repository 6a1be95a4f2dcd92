// FileTransfers.watchFile: what the file cards show is looked up once per room, and
// again every RECHECK_MS while a watched file is still uploading on the server.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeHttp } from '../test-support/fake-http.js';
import { FakePlatform } from '../test-support/fake-platform.js';
import { Api } from '../transport/api.js';
import { FileTransfers } from './transfers.js';
import { RECHECK_MS } from './transfers/file-watch.js';

const realSetTimeout = setTimeout;
const ROOM = 'room-1';
const OTHER_ROOM = 'room-2';

type Status = 'uploading' | 'ready';

const info = (id: string, roomId: string, status: Status) => ({
  id,
  roomId,
  uploaderId: 'them',
  size: 1000,
  received: status === 'ready' ? 1000 : 10,
  status,
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: null,
  disappearsAt: null,
});

const listPath = (roomId: string) => `/api/rooms/${roomId}/files`;

/** Lets the fake's answers (promises) settle. */
async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
  await new Promise((resolve) => realSetTimeout(resolve, 5));
  await vi.advanceTimersByTimeAsync(0);
}

function setup() {
  const http = new FakeHttp();
  /** What the server says of each room's files: fileId → status. */
  const server = new Map<string, Map<string, Status>>([
    [ROOM, new Map()],
    [OTHER_ROOM, new Map()],
  ]);
  for (const [roomId, files] of server) {
    http.on('GET', listPath(roomId), () => ({
      body: { files: [...files].map(([id, status]) => info(id, roomId, status)) },
    }));
  }
  const transfers = new FileTransfers({
    api: new Api(http),
    platform: new FakePlatform(),
    sink: { save: async () => undefined },
    hooks: { uploaded: () => undefined, cancelled: () => undefined },
  });
  const looks = (roomId = ROOM) => http.callsTo('GET', listPath(roomId)).length;
  const serverSays = (roomId: string, fileId: string, status: Status) => server.get(roomId)!.set(fileId, status);
  return { http, transfers, looks, serverSays };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('watchFile', () => {
  it('looks up the room’s files once for all the files watched in it', async () => {
    const s = setup();
    s.serverSays(ROOM, 'a', 'ready');
    s.serverSays(ROOM, 'b', 'ready');
    s.transfers.watchFile(ROOM, 'a');
    s.transfers.watchFile(ROOM, 'b');
    await settle();
    expect(s.looks()).toBe(1);
    expect(s.transfers.remoteStatus('a')).toBe('ready');
    expect(s.transfers.remoteStatus('b')).toBe('ready');

    // Nothing is uploading: no looking again.
    await vi.advanceTimersByTimeAsync(5 * RECHECK_MS);
    await settle();
    expect(s.looks()).toBe(1);
  });

  it('looks again every 20 s while a watched file is uploading, and stops once it is ready', async () => {
    expect(RECHECK_MS).toBe(20_000);
    const s = setup();
    s.serverSays(ROOM, 'a', 'uploading');
    s.transfers.watchFile(ROOM, 'a');
    await settle();
    expect(s.looks()).toBe(1);
    expect(s.transfers.remoteStatus('a')).toBe('uploading');

    await vi.advanceTimersByTimeAsync(RECHECK_MS - 100);
    await settle();
    expect(s.looks()).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    expect(s.looks()).toBe(2);
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    await settle();
    expect(s.looks()).toBe(3);

    s.serverSays(ROOM, 'a', 'ready');
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    await settle();
    expect(s.looks()).toBe(4);
    expect(s.transfers.remoteStatus('a')).toBe('ready');

    await vi.advanceTimersByTimeAsync(10 * RECHECK_MS);
    await settle();
    expect(s.looks()).toBe(4);
  });

  it('stops looking when file:ready says it arrived', async () => {
    const s = setup();
    s.serverSays(ROOM, 'a', 'uploading');
    s.transfers.watchFile(ROOM, 'a');
    await settle();
    s.transfers.markReady('a');
    await settle();
    await vi.advanceTimersByTimeAsync(5 * RECHECK_MS);
    await settle();
    expect(s.looks()).toBe(1);
  });

  it('only watched files count, and only in their own room', async () => {
    const s = setup();
    s.serverSays(ROOM, 'a', 'ready');
    s.serverSays(ROOM, 'unseen', 'uploading');
    s.serverSays(OTHER_ROOM, 'c', 'uploading');
    s.transfers.watchFile(ROOM, 'a');
    s.transfers.watchFile(OTHER_ROOM, 'c');
    await settle();
    expect(s.transfers.remoteStatus('unseen')).toBe('uploading');
    await vi.advanceTimersByTimeAsync(2 * RECHECK_MS);
    await settle();
    expect(s.looks(ROOM)).toBe(1);
    expect(s.looks(OTHER_ROOM)).toBe(3);
  });

  it('stops looking once no view watches an uploading file; unwatching twice is harmless', async () => {
    const s = setup();
    s.serverSays(ROOM, 'a', 'uploading');
    s.serverSays(ROOM, 'b', 'uploading');
    const unwatchA = s.transfers.watchFile(ROOM, 'a');
    const unwatchA2 = s.transfers.watchFile(ROOM, 'a');
    const unwatchB = s.transfers.watchFile(ROOM, 'b');
    await settle();

    unwatchA();
    unwatchA();
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    await settle();
    expect(s.looks()).toBe(2);

    unwatchB();
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    await settle();
    expect(s.looks()).toBe(3); // the second view of "a" still watches it

    unwatchA2();
    await vi.advanceTimersByTimeAsync(5 * RECHECK_MS);
    await settle();
    expect(s.looks()).toBe(3);
  });

  it('starts looking again when a watched file turns out to be uploading later', async () => {
    const s = setup();
    s.transfers.watchFile(ROOM, 'a');
    await settle();
    expect(s.transfers.remoteStatus('a')).toBe('unknown');
    await vi.advanceTimersByTimeAsync(2 * RECHECK_MS);
    await settle();
    expect(s.looks()).toBe(1);

    // A second card mounts a minute later: the list is looked at again, and says so.
    s.serverSays(ROOM, 'a', 'uploading');
    await vi.advanceTimersByTimeAsync(30_000);
    s.transfers.watchFile(ROOM, 'b');
    await settle();
    expect(s.looks()).toBe(2);
    expect(s.transfers.remoteStatus('a')).toBe('uploading');
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    await settle();
    expect(s.looks()).toBe(3);
  });

  it('stop() and dropRoom() end the timers; after stop() nothing is watched', async () => {
    const s = setup();
    s.serverSays(ROOM, 'a', 'uploading');
    s.serverSays(OTHER_ROOM, 'c', 'uploading');
    s.transfers.watchFile(ROOM, 'a');
    const unwatchC = s.transfers.watchFile(OTHER_ROOM, 'c');
    await settle();

    s.transfers.dropRoom(OTHER_ROOM);
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    await settle();
    expect(s.looks(ROOM)).toBe(2);
    expect(s.looks(OTHER_ROOM)).toBe(1);
    unwatchC();

    s.transfers.stop();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5 * RECHECK_MS);
    await settle();
    expect(s.looks(ROOM)).toBe(2);

    const unwatch = s.transfers.watchFile(ROOM, 'a');
    await settle();
    expect(s.looks(ROOM)).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
    unwatch();
  });
});
