// Group commit under a crash. Many sends are kept unacknowledged at once, so MessageLog
// writes them in batches of one statement each; the server process is killed with SIGKILL
// in the middle of that load and restarted on the same port and database, and the senders
// retry (same clientId) until everything is acknowledged. A batch is on disk whole or not
// at all: nothing acknowledged may be lost, renumbered or stored twice, and every room's
// sequence numbers stay 1..n with no gaps, whichever batches the crash cut off.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import pg from 'pg';
import { freshDatabase } from '../../test-support/database.js';
import type { RunningServer } from '../../test-support/server-process.js';
import { until } from '../../test-support/social.js';
import { ackedCount, makeRooms, startServer, storedMessages, type Room } from '../../test-support/load.js';

const ROOMS = 6;
const PER_MEMBER = 60;
/** Sends each member keeps awaiting their acknowledgement, so that batches really form. */
const WINDOW = 10;

let db: { url: string; drop: () => Promise<void> };
let server: RunningServer;
let rooms: Room[] = [];

beforeAll(async () => {
  db = await freshDatabase(inject('adminDbUrl'));
  server = await startServer(db.url);
});

afterAll(async () => {
  rooms.flatMap((r) => r.members).forEach((m) => m.close());
  await server?.kill('SIGTERM');
  await db?.drop();
});

const members = () => rooms.flatMap((r) => r.members);

/** How many messages of the rooms each writing transaction stored, largest first. */
async function messagesPerTransaction(roomIds: string[]): Promise<number[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ tx: string; count: string }>(
      'SELECT xmin::text AS tx, count(*) FROM "Message" WHERE "roomId" = ANY($1::uuid[]) GROUP BY xmin',
      [roomIds],
    );
    return rows.map((r) => Number(r.count)).sort((x, y) => y - x);
  } finally {
    await client.end();
  }
}

it('keeps every acknowledged message of a group commit exactly once across a SIGKILL, numbered without gaps', async () => {
  rooms = await makeRooms(server.origin, ROOMS, 'gcrash');
  const roomIds = rooms.map((r) => r.friendship.roomId);
  const total = ROOMS * 2 * PER_MEMBER;

  const sending = Promise.all(members().map((m) => m.sendAll({ count: PER_MEMBER, window: WINDOW, maxAttempts: 400 })));
  sending.catch(() => {});
  await until(() => ackedCount(rooms) >= total / 3, 20_000);
  await server.kill('SIGKILL');
  // What the crash left on disk, read while no server runs. Every acknowledgement received
  // by now came from the killed process.
  const atKill = await storedMessages(db.url, roomIds);
  const ackedBeforeKill = new Map(members().flatMap((m) => [...m.acked]));
  expect(ackedBeforeKill.size).toBeLessThan(total);
  const seqAtKill = new Map(atKill.map((r) => [r.clientId, r.seq]));
  for (const [clientId, seq] of ackedBeforeKill) expect(seqAtKill.get(clientId), clientId).toBe(seq);
  for (const roomId of roomIds) {
    const seqs = atKill.filter((r) => r.roomId === roomId).map((r) => r.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  }

  server = await startServer(db.url, { port: server.port });

  await sending;
  const stored = await storedMessages(db.url, roomIds);
  const perTransaction = await messagesPerTransaction(roomIds);
  const duplicates = members().reduce((n, m) => n + m.duplicates, 0);
  console.log(
    `group-commit crash: ${ackedBeforeKill.size}/${total} acknowledged before SIGKILL ` +
      `(${atKill.length} on disk at the kill), ${duplicates} retries answered as already stored, ` +
      `${stored.length} stored in the end by ${perTransaction.length} transactions, ` +
      `largest batch ${perTransaction[0]}, ${perTransaction.filter((n) => n > 1).length} batches of more than one`,
  );

  for (const room of rooms) {
    const rows = stored.filter((r) => r.roomId === room.friendship.roomId);
    const planned = room.members.flatMap((m) => m.plan.map((p) => p.clientId));
    expect(planned).toHaveLength(2 * PER_MEMBER);
    // Exactly the planned messages, each once, under gap-free sequence numbers.
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: planned.length }, (_, i) => i + 1));
    expect(rows.map((r) => r.clientId).sort()).toEqual([...planned].sort());
    // Every acknowledgement (first or retried) named the sequence number that was stored.
    const seqOf = new Map(rows.map((r) => [r.clientId, r.seq]));
    for (const member of room.members) for (const [id, seq] of member.acked) expect(seqOf.get(id), id).toBe(seq);
  }

  // The sends were group-committed: one statement, one transaction, several messages.
  expect(perTransaction.reduce((n, c) => n + c, 0)).toBe(total);
  expect(perTransaction[0]).toBeGreaterThan(1);
  expect(perTransaction.length).toBeLessThan(total);
}, 60_000);
