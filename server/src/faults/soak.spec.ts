// A bounded soak: hundreds of idle WebSocket clients plus pairs of friends sending in
// rounds. Resident memory gives the cost per connection. Growth over time is judged on
// the heap that survives a full garbage collection (read through the inspector) after
// each round, when no message is in flight: a leak per message or per event shows as
// a climb round after round, and the collector's rhythm does not.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { TestClient } from '../../test-support/app.js';
import { freshDatabase } from '../../test-support/database.js';
import { HeapProbe, INSPECT_ARG } from '../../test-support/heap-probe.js';
import type { RunningServer } from '../../test-support/server-process.js';
import { connectSocket, newUser } from '../../test-support/social.js';
import { makeRooms, residentBytes, sleep, startServer, type Room } from '../../test-support/load.js';

const IDLE_USERS = 20;
const SOCKETS_PER_IDLE_USER = 15; // below the per-user connection limit
const ACTIVE_ROOMS = 15; // two active members each
const PACE_MS = 300; // between one member's sends
const PER_ROUND = 10; // messages per active member and round
// The first rounds fill what the load touches (caches, buffers, compiled code): over 16
// rounds here the heap rose by about 0.5 MiB until the fifth and then stayed within
// 0.25 MiB. The rounds after those are compared.
const WARM_UP_ROUNDS = 4;
const ROUNDS = 8;
// A leak climbs in every compared round; it fails the test once the climb is more
// than this in all (noise between rounds was within a few hundred KiB here).
const CLIMB_TOLERANCE = 1024 * 1024;
const SAMPLE_MS = 250;
const MIB = 1024 * 1024;

let db: { url: string; drop: () => Promise<void> };
let server: RunningServer;
let heap: HeapProbe;
const sockets: Socket[] = [];
let rooms: Room[] = [];

beforeAll(async () => {
  db = await freshDatabase(inject('adminDbUrl'));
  server = await startServer(db.url, { nodeArgs: [INSPECT_ARG] });
  heap = await HeapProbe.attach(server.output);
});

afterAll(async () => {
  sockets.forEach((s) => s.close());
  rooms.flatMap((r) => r.members).forEach((m) => m.close());
  heap?.close();
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

it('holds idle and active connections without growing round after round', async () => {
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

  const active = rooms.flatMap((r) => r.members);
  const acked = () => active.reduce((n, m) => n + m.acked.size, 0);
  let withActive = 0;
  const rounds: { heap: number; acked: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const sending = active.map((m) => m.sendAll({ from: round * PER_ROUND, count: PER_ROUND, paceMs: PACE_MS }));
    // Resident memory while the traffic flows, before any forced collection shrinks it.
    if (round === 0) withActive = await settledRss(PER_ROUND * PACE_MS * 0.6);
    await Promise.all(sending);
    rounds.push({ heap: await heap.usedAfterCollection(), acked: acked() });
  }

  const compared = rounds.slice(WARM_UP_ROUNDS);
  const heaps = compared.map((r) => r.heap);
  const climb = heaps[heaps.length - 1]! - heaps[0]!;
  const messages = compared[compared.length - 1]!.acked - compared[0]!.acked;
  const perIdleKiB = (withIdle - before) / idle / 1024;
  const perActiveKiB = (withActive - withIdle) / active.length / 1024;
  const mib = (b: number) => (b / MIB).toFixed(2);
  console.log(
    [
      `soak: ${idle} idle + ${active.length} active WebSocket clients, ${acked()} messages in ${ROUNDS} rounds`,
      `  resident memory: ${mib(before)} MiB before, ${mib(withIdle)} MiB with the idle clients, ` +
        `${mib(withActive)} MiB with the active ones sending`,
      `  about ${perIdleKiB.toFixed(0)} KiB per idle connection, ${perActiveKiB.toFixed(0)} KiB per active one (with its traffic)`,
      `  heap after a full collection, after each round: ${rounds.map((r) => mib(r.heap)).join(', ')} MiB; ` +
        `${(climb / 1024).toFixed(0)} KiB over the last ${messages} messages`,
    ].join('\n'),
  );

  expect(sockets.every((s) => s.connected)).toBe(true);
  expect(acked()).toBe(active.length * PER_ROUND * ROUNDS);
  expect(active.flatMap((m) => [...m.refusals, ...m.failures])).toEqual([]);
  const steps = heaps.slice(1).map((h, i) => h - heaps[i]!);
  expect(
    steps.every((step) => step > 0) && climb > CLIMB_TOLERANCE,
    `the heap grew in every round, ${mib(climb)} MiB in all`,
  ).toBe(false);
});
