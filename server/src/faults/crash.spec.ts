// The server process is killed with SIGKILL in the middle of a message load and an
// upload, then restarted on the same port, database and file directory. Acknowledged
// means committed: nothing acknowledged may be lost or stored twice, and every member
// must catch up to exactly what was acknowledged, in order.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshDatabase } from '../../test-support/database.js';
import type { RunningServer } from '../../test-support/server-process.js';
import { until, type User } from '../../test-support/social.js';
import {
  ackedCount,
  decryptSeen,
  makeRooms,
  startServer,
  storedMessages,
  type Member,
  type Room,
} from '../../test-support/load.js';

const ROOMS = 3;
const PER_MEMBER = 40;
const FILE_BYTES = 200_000;
const FIRST_PART = 100_000;

let db: { url: string; drop: () => Promise<void> };
let filesDir: string;
let server: RunningServer;
let rooms: Room[] = [];

beforeAll(async () => {
  db = await freshDatabase(inject('adminDbUrl'));
  filesDir = mkdtempSync(path.join(tmpdir(), 'onionchat-crash-files-'));
  server = await startServer(db.url, { filesDir });
});

afterAll(async () => {
  rooms.flatMap((r) => r.members).forEach((m) => m.close());
  await server?.kill('SIGTERM');
  await db?.drop();
  rmSync(filesDir, { recursive: true, force: true });
});

const members = () => rooms.flatMap((r) => r.members);

function put(user: User, fileId: string, offset: number, bytes: Buffer) {
  return fetch(`${server.origin}/api/files/${fileId}/content?offset=${offset}`, {
    method: 'PUT',
    headers: { cookie: user.client.cookie!, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
}

/** Sends part of an upload request's body and leaves the request open. */
function startHalfUpload(user: User, fileId: string, offset: number, bytes: Buffer) {
  const req = request({
    host: '127.0.0.1',
    port: server.port,
    method: 'PUT',
    path: `/api/files/${fileId}/content?offset=${offset}`,
    headers: {
      cookie: user.client.cookie!,
      'content-type': 'application/octet-stream',
      'content-length': String(FILE_BYTES - offset),
    },
  });
  req.on('error', () => {});
  req.write(bytes);
}

function snapshotAcks(): Map<string, number> {
  return new Map(members().flatMap((m) => [...m.acked]));
}

it('keeps every acknowledged message exactly once across a SIGKILL, and every member catches up', async () => {
  rooms = await makeRooms(server.origin, ROOMS, 'crash');
  const total = ROOMS * 2 * PER_MEMBER;
  const [uploader, downloader] = rooms[0]!.members.map((m) => m.user) as [User, User];

  // An upload with its first half stored and a second request cut off by the crash.
  const file = randomBytes(FILE_BYTES);
  const created = await uploader.client.post<{ file: { id: string } }>(
    `/api/rooms/${rooms[0]!.friendship.roomId}/files`,
    { size: FILE_BYTES },
  );
  const fileId = created.body.file.id;
  expect((await put(uploader, fileId, 0, file.subarray(0, FIRST_PART))).status).toBe(200);
  startHalfUpload(uploader, fileId, FIRST_PART, file.subarray(FIRST_PART, FIRST_PART + 30_000));
  const onDisk = path.join(filesDir, `${fileId}.bin`);
  await until(() => statSync(onDisk).size > FIRST_PART, 10_000);

  const sending = Promise.all(members().map((m) => m.sendAll({ count: PER_MEMBER })));
  sending.catch(() => {});
  await until(() => ackedCount(rooms) >= total / 2, 60_000);
  const ackedBeforeKill = snapshotAcks();
  await server.kill('SIGKILL');
  expect(ackedBeforeKill.size).toBeLessThan(total);

  server = await startServer(db.url, { port: server.port, filesDir });
  const roomIds = rooms.map((r) => r.friendship.roomId);
  const afterRestart = new Map((await storedMessages(db.url, roomIds)).map((r) => [r.clientId, r.seq]));
  for (const [clientId, seq] of ackedBeforeKill) expect(afterRestart.get(clientId)).toBe(seq);

  await sending;
  const stored = await storedMessages(db.url, roomIds);
  const duplicates = members().reduce((n, m) => n + m.duplicates, 0);
  console.log(
    `crash: ${ackedBeforeKill.size}/${total} acknowledged before SIGKILL, ` +
      `${duplicates} retries answered as already stored, ${stored.length} stored in the end`,
  );

  for (const room of rooms) {
    const rows = stored.filter((r) => r.roomId === room.friendship.roomId);
    const planned = room.members.flatMap((m) => m.plan.map((p) => p.clientId));
    // Exactly the planned messages, each once, under gap-free sequence numbers.
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: planned.length }, (_, i) => i + 1));
    expect(rows.map((r) => r.clientId).sort()).toEqual([...planned].sort());
    // Every acknowledgement (first or retried) named the sequence number that was stored.
    const seqOf = new Map(rows.map((r) => [r.clientId, r.seq]));
    for (const member of room.members) for (const [id, seq] of member.acked) expect(seqOf.get(id)).toBe(seq);

    const inAckOrder = room.members
      .flatMap((m: Member) => m.plan.map((p) => ({ text: p.text, seq: m.acked.get(p.clientId)! })))
      .sort((x, y) => x.seq - y.seq)
      .map((x) => x.text);
    for (const member of room.members) {
      await member.catchUp();
      expect(decryptSeen(member, room.members)).toEqual(inAckOrder);
    }
  }

  // The cut-off upload request left nothing counted; the upload continues from what was stored.
  const info = await uploader.client.get<{ file: { received: number; status: string } }>(`/api/files/${fileId}`);
  expect(info.body.file).toMatchObject({ received: FIRST_PART, status: 'uploading' });
  const early = await fetch(`${server.origin}/api/files/${fileId}/content`, {
    headers: { cookie: downloader.client.cookie! },
  });
  expect(early.status).toBe(409);
  expect((await put(uploader, fileId, FIRST_PART, file.subarray(FIRST_PART))).status).toBe(200);
  const downloaded = await fetch(`${server.origin}/api/files/${fileId}/content`, {
    headers: { cookie: downloader.client.cookie! },
  });
  expect(Buffer.from(await downloaded.arrayBuffer()).equals(file)).toBe(true);
});
