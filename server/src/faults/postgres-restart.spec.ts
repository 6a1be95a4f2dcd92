// PostgreSQL is stopped (fast shutdown) in the middle of a message load and started
// again. Meanwhile the server must stay up, say so honestly (health 503, sends and
// requests refused with 503 database_unavailable, no hang), and afterwards reconnect by
// itself; nothing acknowledged may be lost or stored twice. The test runs its own
// PostgreSQL so that stopping it disturbs nothing else.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from '@onionchat/db';
// @ts-expect-error plain ESM helper shared with the start script
import { startEmbeddedPostgres } from '../../../scripts/lib/database.mjs';
import { adminQuery, withDatabase } from '../../test-support/database.js';
import { freePort, type RunningServer } from '../../test-support/server-process.js';
import { connectSocket, until } from '../../test-support/social.js';
import {
  ackedCount,
  decryptSeen,
  eventually,
  makeRooms,
  startServer,
  storedMessages,
  type Room,
} from '../../test-support/load.js';

const ROOMS = 3;
const PER_MEMBER = 40;

interface Embedded {
  pg: { start: () => Promise<void> };
  adminUrl: string;
  stop: () => Promise<void>;
}

let dir: string;
let postgres: Embedded | undefined;
let dbUrl: string;
let server: RunningServer | undefined;
let rooms: Room[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'onionchat-pg-restart-'));
  postgres = (await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: await freePort() })) as Embedded;
  await adminQuery(postgres.adminUrl, 'CREATE DATABASE onionchat');
  dbUrl = withDatabase(postgres.adminUrl, 'onionchat');
  await migrate(dbUrl);
  server = await startServer(dbUrl, { env: { DB_POOL_SIZE: '4' } });
});

afterAll(async () => {
  rooms.flatMap((r) => r.members).forEach((m) => m.close());
  await server?.kill('SIGTERM');
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const members = () => rooms.flatMap((r) => r.members);
const health = async () => {
  const res = await fetch(`${server!.origin}/api/health`).catch((err: Error) => {
    throw new Error(
      `${err.message}: the server ${server!.exited() ? 'exited' : 'did not answer'}\n${server!.output()}`,
    );
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

it('refuses cleanly while PostgreSQL is down, recovers by itself, and loses nothing acknowledged', async () => {
  const origin = server!.origin;
  rooms = await makeRooms(origin, ROOMS, 'pgdown');
  const total = ROOMS * 2 * PER_MEMBER;
  const reader = rooms[0]!.members[1].user.client;
  const roomPath = `/api/rooms/${rooms[0]!.friendship.roomId}/messages`;

  const sending = Promise.all(members().map((m) => m.sendAll({ count: PER_MEMBER, maxAttempts: 400 })));
  sending.catch(() => {});
  await until(() => ackedCount(rooms) >= total / 3, 60_000);
  await postgres!.stop();
  const ackedBeforeStop = new Map(members().flatMap((m) => [...m.acked]));

  // While it is down: honest health, clear refusals over HTTP and the WebSocket, no exit.
  expect(await health()).toMatchObject({ status: 503, body: { code: 'database_unavailable' } });
  const page = await reader.get(roomPath);
  expect(page.status).toBe(503);
  expect(page.body).toMatchObject({ code: 'database_unavailable', message: expect.stringContaining('database') });
  expect(page.headers.get('retry-after')).toBe('5');
  await until(() => members().some((m) => m.refusals.length > 0), 20_000);
  // A session this instance already knows is checked from memory and may connect (its
  // sends get the clear 503); one it would have to read from the database is refused.
  const known = await connectSocket(origin, reader);
  const { clientId, envelope } = rooms[0]!.members[1].plan[0]!;
  const sendWhileDown = await known
    .timeout(10_000)
    .emitWithAck('message:send', { roomId: rooms[0]!.friendship.roomId, clientId, envelope });
  expect(sendWhileDown).toMatchObject({ ok: false, status: 503, code: 'database_unavailable' });
  known.close();
  const unknown = { cookie: `oc_session=${randomBytes(32).toString('base64url')}` };
  await expect(connectSocket(origin, unknown as typeof reader)).rejects.toThrow('unavailable');
  expect(server!.exited()).toBe(false);

  await postgres!.pg.start();
  await eventually(async () => (await health()).status === 200, 30_000);
  expect(await health()).toEqual({ status: 200, body: { status: 'ok' } });
  await sending;

  const refusals = members().flatMap((m) => m.refusals);
  const failures = members().flatMap((m) => m.failures);
  const duplicates = members().reduce((n, m) => n + m.duplicates, 0);
  console.log(
    `postgres restart: ${ackedBeforeStop.size}/${total} acknowledged before the stop, ` +
      `${refusals.length} sends refused while down, ${failures.length} unanswered, ` +
      `${duplicates} retries answered as already stored`,
  );
  // Every refusal was the clear one; no send hung until its timeout or lost its socket.
  expect(new Set(refusals), server!.output().slice(-3000)).toEqual(new Set(['503 database_unavailable']));
  expect(failures).toEqual([]);

  const roomIds = rooms.map((r) => r.friendship.roomId);
  const stored = await storedMessages(dbUrl, roomIds);
  const seqOf = new Map(stored.map((r) => [r.clientId, r.seq]));
  for (const [clientId, seq] of ackedBeforeStop) expect(seqOf.get(clientId)).toBe(seq);
  for (const room of rooms) {
    const rows = stored.filter((r) => r.roomId === room.friendship.roomId);
    const planned = room.members.flatMap((m) => m.plan.map((p) => p.clientId));
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: planned.length }, (_, i) => i + 1));
    expect(rows.map((r) => r.clientId).sort()).toEqual([...planned].sort());
    for (const member of room.members) for (const [id, seq] of member.acked) expect(seqOf.get(id)).toBe(seq);
    const inAckOrder = room.members
      .flatMap((m) => m.plan.map((p) => ({ text: p.text, seq: m.acked.get(p.clientId)! })))
      .sort((x, y) => x.seq - y.seq)
      .map((x) => x.text);
    for (const member of room.members) {
      await member.catchUp();
      expect(decryptSeen(member, room.members)).toEqual(inAckOrder);
    }
  }
  // Bounded, but generous: on a loaded 2-core machine sign-ups and 240 sends take a while.
}, 240_000);
