#!/usr/bin/env node
// Several instances: delivered messages per second with 1, 2 and 3 app instances on one
// PostgreSQL and one Redis, with the same load generator in the same run. The reference
// is one instance without Redis (the default deployment). Each pair of clients has its
// sender and receiver on different instances whenever there are several, so every
// message crosses Redis. Reports latency (send to receipt by the other member) and the
// CPU used by the app instances (together and each one), PostgreSQL, Redis and the load
// generator itself, to show where the limit sits; and, beside every setup with Redis, the
// CPU of one more instance holding no socket, which should pay nothing for the others' messages.
//
// Usage (after `npm run build`):
//   node bench/instances.mjs [--pairs 20] [--messages 60] [--window 4] [--warmup 10] [--repeat 3] [--json]
// Every setup runs --repeat times, interleaved with the others (the machine may be shared
// with other work); the table shows the median run of each. Fresh processes warm up
// with --warmup messages per pair before the clock starts.
// BENCH_DATABASE_URL: an admin connection instead of an embedded PostgreSQL.
// BENCH_REDIS_URL: Redis (default redis://127.0.0.1:6379); keys go under a unique prefix.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { Redis } from 'ioredis';
import { BenchClient, befriend, protocol } from './lib/client.mjs';
import { startDatabase, startServer } from './lib/service.mjs';
import { cpuSnapshot, postmasterPid, treeSeconds } from './lib/cpu.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const PAIRS = arg('--pairs', 20);
const MESSAGES = arg('--messages', 60);
const WINDOW = arg('--window', 4);
const WARMUP = arg('--warmup', 10);
const REPEAT = arg('--repeat', 3);
const JSON_OUT = args.includes('--json');
const ROUND_TIMEOUT_MS = 180_000;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

// ---- load generator ---------------------------------------------------------------------

function connect(origin, cookie) {
  const socket = io(origin, {
    path: '/api/socket',
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { cookie },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function preparePairs(origins, round) {
  const pairs = [];
  for (let i = 0; i < PAIRS; i++) {
    // Accounts are made through one instance; sessions work on all of them.
    const sender = await new BenchClient(origins[0]).signUp(`s${round}x${i}`);
    const receiver = await new BenchClient(origins[0]).signUp(`r${round}x${i}`);
    const room = await befriend(receiver, sender);
    const envelopes = Array.from({ length: WARMUP + MESSAGES }, (_, n) => {
      const clientId = protocol.newUuid();
      const envelope = protocol.sealMessage(
        { roomId: room.roomId, epoch: 1, senderId: sender.user.id, messageId: clientId, sentAt: Date.now() },
        { type: 'text', text: `message ${n} of pair ${i}` },
        room.roomKey,
        sender.identity,
      );
      return { roomId: room.roomId, clientId, envelope: protocol.toBase64(envelope) };
    });
    const senderSocket = await connect(origins[i % origins.length], sender.cookie);
    const receiverSocket = await connect(origins[(i + 1) % origins.length], receiver.cookie);
    pairs.push({
      senderSocket,
      receiverSocket,
      warmup: envelopes.slice(0, WARMUP),
      measured: envelopes.slice(WARMUP),
    });
  }
  return pairs;
}

/** Sends every pair's `part` with up to WINDOW unacknowledged; resolves when all arrived. */
async function drive(pairs, part) {
  const sentAt = new Map();
  const latencies = [];
  const total = pairs.reduce((sum, p) => sum + p[part].length, 0);
  let failures = 0;
  let received = 0;
  let allReceived;
  const done = new Promise((resolve) => (allReceived = resolve));
  const listeners = pairs.map(({ receiverSocket }) => {
    const listener = (m) => {
      const start = sentAt.get(m.envelope);
      if (start === undefined) return;
      sentAt.delete(m.envelope);
      latencies.push(performance.now() - start);
      if (++received === total) allReceived();
    };
    receiverSocket.on('message:new', listener);
    return () => receiverSocket.off('message:new', listener);
  });
  const started = performance.now();
  const senders = pairs.map(async ({ senderSocket, [part]: envelopes }) => {
    let next = 0;
    const lane = async () => {
      while (next < envelopes.length) {
        const message = envelopes[next++];
        sentAt.set(message.envelope, performance.now());
        const ack = await senderSocket.timeout(30_000).emitWithAck('message:send', message);
        if (!ack.ok) failures++;
      }
    };
    await Promise.all(Array.from({ length: WINDOW }, lane));
  });
  await Promise.all(senders);
  const timeout = setTimeout(() => allReceived(), ROUND_TIMEOUT_MS);
  await done;
  clearTimeout(timeout);
  listeners.forEach((off) => off());
  const seconds = (performance.now() - started) / 1000;
  return { seconds, received, total, failures, latencies };
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

// ---- rounds ------------------------------------------------------------------------------

async function round(label, count, redis, db, dir, pgPid, index) {
  const prefix = `onionchat-bench-${randomBytes(6).toString('hex')}:`;
  const env = {
    LOG_LEVEL: 'warn',
    RATE_MESSAGES_PER_MINUTE: '1000000',
    RATE_API_PER_MINUTE: '1000000',
    WS_CONNECTIONS_PER_USER: '1000',
    ...(redis ? { REDIS_URL, REDIS_PREFIX: prefix } : {}),
  };
  const servers = [];
  // With Redis, one more instance that holds no socket at all: whatever CPU it spends
  // per message is what the adapter makes an instance pay for other instances' sockets.
  let spectator = null;
  try {
    for (let i = 0; i < count; i++) servers.push(await startServer(db.url, path.join(dir, 'files'), env));
    if (redis) spectator = await startServer(db.url, path.join(dir, 'files'), env);
    const pairs = await preparePairs(
      servers.map((s) => s.origin),
      index,
    );
    await drive(pairs, 'warmup');
    const perInstance = () => [...servers, ...(spectator ? [spectator] : [])].map((s) => treeSeconds(s.pid));
    const [before, instancesBefore] = [cpuSnapshot(servers, pgPid), perInstance()];
    const result = await drive(pairs, 'measured');
    const [after, instancesAfter] = [cpuSnapshot(servers, pgPid), perInstance()];
    for (const p of pairs) [p.senderSocket, p.receiverSocket].forEach((s) => s.close());
    const cores = Object.fromEntries(Object.keys(before).map((k) => [k, (after[k] - before[k]) / result.seconds]));
    const costMs = Object.fromEntries(
      Object.keys(before).map((k) => [k, ((after[k] - before[k]) / Math.max(1, result.received)) * 1000]),
    );
    // Each instance's own CPU per delivered message (the spectator last, apart).
    const own = instancesAfter.map((end, i) => ((end - instancesBefore[i]) / Math.max(1, result.received)) * 1000);
    costMs.instances = own.slice(0, count);
    costMs.spectator = spectator ? own[count] : null;
    const sorted = result.latencies.sort((a, b) => a - b);
    return {
      label,
      instances: count,
      redis,
      delivered: result.received,
      expected: result.total,
      failedSends: result.failures,
      seconds: result.seconds,
      perSecond: result.received / result.seconds,
      latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) },
      cores,
      costMs,
    };
  } finally {
    await Promise.all([...servers, ...(spectator ? [spectator] : [])].map((s) => s.stop()));
    if (redis) {
      const client = new Redis(REDIS_URL);
      const keys = await client.keys(`${prefix}*`);
      if (keys.length) await client.del(...keys);
      await client.quit();
    }
  }
}

/** Per setup, the run with the median throughput. */
function medians(runs) {
  const labels = [...new Set(runs.map((r) => r.label))];
  return labels.map((label) => {
    const mine = runs.filter((r) => r.label === label).sort((a, b) => a.perSecond - b.perSecond);
    return mine[Math.floor(mine.length / 2)];
  });
}

async function main() {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
  probe.on('error', () => {});
  await probe.connect().catch(() => {
    throw new Error(`no Redis at ${REDIS_URL} (set BENCH_REDIS_URL)`);
  });
  probe.disconnect();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onionchat-bench-instances-'));
  const db = await startDatabase(dir);
  const pgPid = postmasterPid(dir);
  const runs = [];
  try {
    const plan = [
      ['1 instance, no Redis (reference)', 1, false],
      ['1 instance + Redis', 1, true],
      ['2 instances + Redis', 2, true],
      ['3 instances + Redis', 3, true],
    ];
    for (let repeat = 0; repeat < REPEAT; repeat++) {
      for (const [i, [label, count, redis]] of plan.entries()) {
        if (!JSON_OUT) process.stdout.write(`run ${repeat + 1}/${REPEAT}: ${label}...\n`);
        runs.push(await round(label, count, redis, db, dir, pgPid, `${repeat}${i}`));
      }
    }
  } finally {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const results = medians(runs);
  if (JSON_OUT)
    return void process.stdout.write(
      JSON.stringify({ pairs: PAIRS, messages: MESSAGES, window: WINDOW, repeat: REPEAT, results, runs }, null, 2) +
        '\n',
    );
  const reference = results[0].perSecond;
  const cpus = os.cpus();
  console.log(
    `\n${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, Node ${process.version}; ${PAIRS} sender/receiver pairs, ` +
      `${MESSAGES} messages each, ${WINDOW} unacknowledged per sender${pgPid ? '' : ' (Postgres CPU: all postgres processes)'}\n`,
  );
  const rows = results.map((r) => ({
    setup: r.label,
    delivered: `${r.delivered}/${r.expected}`,
    'msg/s': r.perSecond.toFixed(0),
    'vs ref': `${((r.perSecond / reference) * 100).toFixed(0)} %`,
    'p50 ms': r.latencyMs.p50.toFixed(1),
    'p95 ms': r.latencyMs.p95.toFixed(1),
    'app cores': r.cores.app.toFixed(2),
    'other cores': Math.max(0, r.cores.machine - r.cores.app - r.cores.postgres - r.cores.redis - r.cores.load).toFixed(
      2,
    ),
    'CPU ms/msg app': r.costMs.app.toFixed(1),
    'per instance': r.costMs.instances.map((x) => x.toFixed(2)).join(' / '),
    'instance with no sockets': r.costMs.spectator === null ? '' : r.costMs.spectator.toFixed(3),
    pg: r.costMs.postgres.toFixed(1),
    redis: r.costMs.redis.toFixed(2),
    load: r.costMs.load.toFixed(1),
    'msg/s on 2 free cores': (2000 / (r.costMs.app + r.costMs.postgres + r.costMs.redis + r.costMs.load)).toFixed(0),
  }));
  console.table(rows);
  console.log(
    'Median run of each setup by msg/s. cores = CPU seconds per second of the run (2.00 = both cores busy); ' +
      '"other" is everything else on the machine meanwhile. CPU ms/msg = CPU time per delivered message of the ' +
      'app instances (all together, then each one, then one more instance holding no socket, ' +
      'started beside every setup with Redis), PostgreSQL, Redis and the load generator; ' +
      '"on 2 free cores" = 2 cores divided by their sum, ' +
      'the ceiling if nothing else ran.',
  );
  for (const r of results) {
    const all = runs.filter((x) => x.label === r.label).map((x) => x.perSecond.toFixed(0));
    console.log(`  ${r.label}: msg/s in each run ${all.join(', ')}`);
  }
  if (runs.some((r) => r.delivered !== r.expected || r.failedSends)) {
    console.error('some messages were not delivered or not accepted');
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
