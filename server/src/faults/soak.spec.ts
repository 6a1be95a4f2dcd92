// A bounded soak: hundreds of idle WebSocket clients plus pairs of friends sending
// steadily, with the server process's resident memory sampled throughout. It reports
// the memory per connection and fails on a sustained climb while the load is steady
// (a leak per message or per event), not on the noise of garbage collection.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { TestClient } from '../../test-support/app.js';
import { freshDatabase } from '../../test-support/database.js';
import type { RunningServer } from '../../test-support/server-process.js';
import { connectSocket, newUser } from '../../test-support/social.js';
import { makeRooms, residentBytes, sleep, startServer, type Room } from '../../test-support/load.js';

const IDLE_USERS = 20;
const SOCKETS_PER_IDLE_USER = 15; // below the per-user connection limit
const ACTIVE_ROOMS = 15; // two active members each
const PACE_MS = 400; // between one member's sends
const SAMPLE_MS = 250;
// Long enough for V8 to grow its heap to what this load needs before windows are compared.
const WARM_UP_MS = 12_000;
const WINDOWS = 4;
const WINDOW_MS = 5000;
const PLANNED = 1000; // per active member: more than the windows take at this pace (sealed as sent)
const MIB = 1024 * 1024;

let db: { url: string; drop: () => Promise<void> };
let server: RunningServer;
const sockets: Socket[] = [];
let rooms: Room[] = [];

beforeAll(async () => {
  db = await freshDatabase(inject('adminDbUrl'));
  server = await startServer(db.url);
});

afterAll(async () => {
  sockets.forEach((s) => s.close());
  rooms.flatMap((r) => r.members).forEach((m) => m.close());
  await server?.kill('SIGTERM');
  await db?.drop();
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median resident memory over `ms`, so one garbage collection does not decide it. */
async function settledRss(ms: number): Promise<number> {
  const samples: number[] = [];
  for (const end = Date.now() + ms; Date.now() < end; await sleep(SAMPLE_MS)) samples.push(residentBytes(server.pid));
  return median(samples);
}

it('holds idle and active connections without growing while the load is steady', async () => {
  const app = { client: () => new TestClient(server.origin) };
  const idleUsers = [];
  for (let i = 0; i < IDLE_USERS; i++) idleUsers.push(await newUser(app, `soak_idle${i}`));
  rooms = await makeRooms(server.origin, ACTIVE_ROOMS, 'soak');
  const before = await settledRss(2000);

  for (const user of idleUsers) {
    const connecting = Array.from({ length: SOCKETS_PER_IDLE_USER }, () => connectSocket(server.origin, user.client));
    sockets.push(...(await Promise.all(connecting)));
  }
  const idle = sockets.length;
  const withIdle = await settledRss(3000);

  let stopped = false;
  const active = rooms.flatMap((r) => r.members);
  const sending = Promise.all(active.map((m) => m.sendAll({ count: PLANNED, paceMs: PACE_MS, stop: () => stopped })));
  sending.catch(() => {});
  const warmUp = await settledRss(WARM_UP_MS);
  const windows: number[] = [];
  for (let w = 0; w < WINDOWS; w++) windows.push(await settledRss(WINDOW_MS));
  stopped = true;
  await sending;
  const sent = active.reduce((n, m) => n + m.acked.size, 0);

  const perIdleKiB = (withIdle - before) / idle / 1024;
  const perActiveKiB = (windows[0]! - withIdle) / active.length / 1024;
  const mib = (b: number) => (b / MIB).toFixed(1);
  console.log(
    [
      `soak: ${idle} idle + ${active.length} active WebSocket clients, ${sent} messages acknowledged`,
      `  resident memory: ${mib(before)} MiB before, ${mib(withIdle)} MiB with the idle clients, ` +
        `${mib(warmUp)} MiB warming up, windows of ${WINDOW_MS / 1000} s: ${windows.map(mib).join(', ')} MiB`,
      `  about ${perIdleKiB.toFixed(0)} KiB per idle connection, ${perActiveKiB.toFixed(0)} KiB per active one (with its traffic)`,
    ].join('\n'),
  );

  expect(sockets.every((s) => s.connected)).toBe(true);
  expect(active.every((m) => m.acked.size > 0 && m.acked.size < PLANNED)).toBe(true);
  expect(active.flatMap((m) => [...m.refusals, ...m.failures])).toEqual([]);
  // A leak grows in every window; noise does not. Fail only on a climb in each window
  // that also adds up to more than 64 MiB (or what the idle clients occupy): resident
  // memory also rises while V8 settles its heap under load (up to about 50 MiB seen here
  // over these windows), which is not a leak.
  const steps = windows.slice(1).map((rss, i) => rss - windows[i]!);
  const climb = windows[WINDOWS - 1]! - windows[0]!;
  const tolerance = Math.max(64 * MIB, withIdle - before);
  expect(steps.every((s) => s > 0) && climb > tolerance, `climb of ${mib(climb)} MiB`).toBe(false);
});
