#!/usr/bin/env node
// Connections benchmark: the server's resident memory per idle WebSocket connection and
// per active one (a member sending a message every PACE_MS, fanned out to its room),
// against a plain socket.io server (no accounts, database or checks) given the same
// clients and the same sealed messages in the same run.
//
// Idle figures are taken after a full garbage collection in the server (through its V8
// inspector), so they count what the connections hold rather than the garbage left by
// connecting them; the median resident memory without a collection is reported too.
//
// Usage (after `npm run build`):
//   node bench/connections.mjs [--idle 5000] [--per-user 20] [--pairs 50] [--seconds 10] [--timeout-min 15] [--json]
// Both this process and the server hold one descriptor per connection: the run checks the
// open-files limit first (Node raises its soft limit to the hard one by itself).
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { machine } from './lib/machine.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { BenchClient, befriend, protocol } from './lib/client.mjs';
import { attachInspector } from './lib/inspector.mjs';
import { freePort, memoryOf, startService } from './lib/service.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const IDLE = option('--idle', 5000);
const PAIRS = option('--pairs', 50);
const SECONDS = option('--seconds', 10);
const TIMEOUT_MIN = option('--timeout-min', 15);
const JSON_OUT = args.includes('--json');
const PACE_MS = 500;
/** Idle sockets per account (20: the service's default per-user connection limit). */
const SOCKETS_PER_USER = option('--per-user', 20);
/** Descriptors besides the sockets: database, inspector, files, the runtime's own. */
const SPARE_FDS = 200;
const KIB = 1024;
const MIB = 1024 * 1024;
const here = path.dirname(fileURLToPath(import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function connect(origin, { cookie, room } = {}) {
  const socket = io(origin, {
    path: '/api/socket',
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: cookie ? { cookie } : {},
    query: room ? { room } : {},
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Median resident memory of `pid` over `ms`, so one garbage collection does not decide it. */
async function settledRss(pid, ms) {
  const samples = [];
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) samples.push(memoryOf(pid).rss);
  return median(samples);
}

/** Resident memory and heap in use right after a full collection. */
async function collected(pid, inspector) {
  const heap = await inspector.collect();
  return { heap, rss: await settledRss(pid, 1000) };
}

/** The soft open-files limit of a process (Linux), or Infinity where it cannot be read. */
function openFilesLimit(pid = 'self') {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
}

/** A message sealed the way the browser seals it, as the send event's payload. */
function sealed(roomId, roomKey, sender) {
  const messageId = protocol.newUuid();
  const envelope = protocol.sealMessage(
    { roomId, epoch: 1, senderId: sender.id, messageId, sentAt: Date.now() },
    { type: 'text', text: `message ${messageId.slice(0, 8)} from the connections benchmark` },
    roomKey,
    sender.identity,
  );
  return { roomId, clientId: messageId, envelope: protocol.toBase64(envelope) };
}

async function connectAll(origin, specs) {
  const sockets = [];
  for (let i = 0; i < specs.length; i += SOCKETS_PER_USER) {
    sockets.push(...(await Promise.all(specs.slice(i, i + SOCKETS_PER_USER).map((s) => connect(origin, s)))));
  }
  return sockets;
}

/**
 * The same steps against either server: memory alone, with the idle clients, and with
 * the active pairs sending (median over the run after one warm-up second).
 */
async function measure({ origin, pid, inspectPort, idleSpecs, pairs }) {
  const needed = idleSpecs.length + pairs.length * 2 + SPARE_FDS;
  if (openFilesLimit(pid) < needed)
    throw new Error(`the server may open ${openFilesLimit(pid)} files; it needs ${needed}`);
  const inspector = await attachInspector(inspectPort);
  // One connection in and out first, so code and caches it loads count in neither figure.
  (await connect(origin, idleSpecs[0])).close();
  const aloneRaw = await settledRss(pid, 2000);
  const alone = await collected(pid, inspector);
  const idleSockets = await connectAll(origin, idleSpecs);
  const withIdleRaw = await settledRss(pid, 3000);
  const withIdle = await collected(pid, inspector);
  const members = pairs.flatMap((p) => p.members);
  const activeSockets = await connectAll(
    origin,
    members.map((m) => m.spec),
  );
  let acked = 0;
  let refused = 0;
  let stop = false;
  const loops = members.map(async (member, i) => {
    const socket = activeSockets[i];
    while (!stop) {
      const ack = await socket.timeout(15_000).emitWithAck('message:send', member.payload());
      if (ack.ok) acked++;
      else refused++;
      await sleep(PACE_MS);
    }
  });
  await sleep(1000);
  const withActive = await settledRss(pid, (SECONDS - 1) * 1000);
  stop = true;
  await Promise.all(loops);
  const held = idleSockets.filter((s) => s.connected).length;
  [...idleSockets, ...activeSockets].forEach((s) => s.close());
  inspector.close();
  const perIdle = (before, after) => (after - before) / idleSpecs.length / KIB;
  return {
    rssMiB: { alone: alone.rss / MIB, withIdle: withIdle.rss / MIB, withActive: withActive / MIB },
    heapMiB: { alone: alone.heap / MIB, withIdle: withIdle.heap / MIB },
    perIdleKiB: perIdle(alone.rss, withIdle.rss),
    perIdleHeapKiB: perIdle(alone.heap, withIdle.heap),
    // As this benchmark measured before it collected: with whatever garbage each moment held.
    perIdleUncollectedKiB: perIdle(aloneRaw, withIdleRaw),
    perActiveKiB: (withActive - withIdle.rss) / members.length / KIB,
    messagesPerSecond: acked / SECONDS,
    idleHeld: held,
    refused,
  };
}

async function onionChat() {
  const inspectPort = await freePort();
  const service = await startService({
    AUTH_HASH_LOG_N: '10',
    RATE_MESSAGES_PER_MINUTE: '100000',
    RATE_API_PER_MINUTE: '100000',
    WS_CONNECTIONS_PER_USER: String(Math.max(SOCKETS_PER_USER, 2)),
    LOG_LEVEL: 'error',
    NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}`,
  });
  cleanups.add(service.stop);
  try {
    const idleSpecs = [];
    for (let u = 0; u * SOCKETS_PER_USER < IDLE; u++) {
      const user = await new BenchClient(service.origin).signUp(`idle_${u}`);
      const count = Math.min(SOCKETS_PER_USER, IDLE - u * SOCKETS_PER_USER);
      for (let i = 0; i < count; i++) idleSpecs.push({ cookie: user.cookie });
    }
    const pairs = [];
    for (let p = 0; p < PAIRS; p++) {
      const a = await new BenchClient(service.origin).signUp(`active_a${p}`);
      const b = await new BenchClient(service.origin).signUp(`active_b${p}`);
      const { roomId, roomKey } = await befriend(a, b);
      const member = (c) => ({
        spec: { cookie: c.cookie },
        payload: () => sealed(roomId, roomKey, { id: c.user.id, identity: c.identity }),
      });
      pairs.push({ members: [member(a), member(b)] });
    }
    return await measure({ origin: service.origin, pid: service.pid, inspectPort, idleSpecs, pairs });
  } finally {
    cleanups.delete(service.stop);
    await service.stop();
  }
}

async function plainSocketIo() {
  const port = await freePort();
  const inspectPort = await freePort();
  const child = fork(path.join(here, 'lib/plain-socketio-server.mjs'), {
    env: { ...process.env, PORT: String(port), NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}` },
    stdio: 'ignore',
  });
  const kill = () => child.kill('SIGKILL');
  cleanups.add(kill);
  await new Promise((r) => child.once('message', r));
  try {
    const idleSpecs = Array.from({ length: IDLE }, (_, i) => ({ room: `idle_${i}` }));
    const pairs = Array.from({ length: PAIRS }, () => {
      const roomId = protocol.newUuid();
      const roomKey = protocol.newRoomKey();
      const member = () => {
        const sender = { id: protocol.newUuid(), identity: protocol.createIdentity('plain') };
        return { spec: { room: roomId }, payload: () => sealed(roomId, roomKey, sender) };
      };
      return { members: [member(), member()] };
    });
    return await measure({ origin: `http://127.0.0.1:${port}`, pid: child.pid, inspectPort, idleSpecs, pairs });
  } finally {
    cleanups.delete(kill);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

// Bounded: past the time limit the servers are stopped and the run fails.
const cleanups = new Set();
setTimeout(async () => {
  console.error(`the benchmark did not finish within ${TIMEOUT_MIN} minutes; stopping`);
  await Promise.race([Promise.allSettled([...cleanups].map((stop) => stop())), sleep(15_000)]);
  process.exit(1);
}, TIMEOUT_MIN * 60_000).unref();

const needed = IDLE + PAIRS * 2 + SPARE_FDS;
if (openFilesLimit() < needed) {
  console.error(
    `${IDLE} idle connections need about ${needed} open files in this process and in the server; ` +
      `the limit is ${openFilesLimit()} (raise the hard limit: ulimit -Hn, /etc/security/limits.conf)`,
  );
  process.exit(1);
}
const ours = await onionChat();
const plain = await plainSocketIo();
const result = {
  machine: machine(),
  idleConnections: IDLE,
  idleSocketsPerUser: SOCKETS_PER_USER,
  activeConnections: PAIRS * 2,
  paceMs: PACE_MS,
  seconds: SECONDS,
  onionchat: ours,
  plainSocketIo: plain,
};
if (JSON_OUT) console.log(JSON.stringify(result, null, 2));
else {
  const f = (n, d = 1) => n.toFixed(d).padStart(8);
  console.log(
    `Connections: ${IDLE} idle (${SOCKETS_PER_USER} per account), ${PAIRS * 2} active ` +
      `(one message each every ${PACE_MS} ms, ${SECONDS} s) ` +
      `(${result.machine.logicalCpus} × ${result.machine.cpu}, node ${result.machine.node})`,
  );
  console.log(
    '                 RSS MiB: alone   +idle  +active' +
      '   KiB/idle  (heap)  (uncollected)   KiB/active   msgs/s   idle held',
  );
  for (const [name, r] of [
    ['OnionChat        ', ours],
    ['plain socket.io  ', plain],
  ]) {
    console.log(
      `${name}       ${f(r.rssMiB.alone)}${f(r.rssMiB.withIdle)}${f(r.rssMiB.withActive)}` +
        `${f(r.perIdleKiB).padStart(11)}${f(r.perIdleHeapKiB).padStart(8)}${f(r.perIdleUncollectedKiB).padStart(15)}` +
        `${f(r.perActiveKiB, 0).padStart(13)}${f(r.messagesPerSecond).padStart(9)}   ${r.idleHeld}/${IDLE}`,
    );
  }
  console.log(
    'KiB/idle: resident memory per idle connection after a full garbage collection in the server; ' +
      '(heap): the JavaScript heap part of it; (uncollected): from medians without forced collections, ' +
      'so with whatever garbage the server held at each moment.',
  );
}
if (ours.refused || plain.refused) {
  console.error(`refused sends: OnionChat ${ours.refused}, plain ${plain.refused}`);
  process.exitCode = 1;
}
if (ours.idleHeld < IDLE || plain.idleHeld < IDLE) {
  console.error(`idle connections lost: OnionChat held ${ours.idleHeld}, plain ${plain.idleHeld} of ${IDLE}`);
  process.exitCode = 1;
}
