#!/usr/bin/env node
// Message throughput and latency of the built server, next to a raw baseline measured in
// the same run: a plain `ws` server that stores the same row in the same PostgreSQL and
// forwards it (lib/raw-message-server.mjs). All on loopback, one fresh embedded
// PostgreSQL with stock settings (or BENCH_DATABASE_URL), rate limits raised out of the way.
//
// Shapes, for both servers:
//   - unloaded: one pair, one message in flight: send-to-receive latency;
//   - closed loop: P sender/receiver pairs, each sender keeping W messages unacknowledged
//     (default 50 × 10 and 200 × 10): delivered messages per second and latency;
//   - open loop at half of the 50-pair peak rate: latency when not saturated.
// Every message is a real sealed envelope with a 160-byte body, made before the clock
// starts. The receiver checks each message arrives once and in sequence order.
// Reports CPU per delivered message of the server, PostgreSQL and the load generator.
//
// Usage (after `npm run build`):
//   node bench/messages.mjs [--pairs 50,200] [--window 10] [--messages 10000] [--warmup 20]
//                           [--rate-seconds 5] [--profile DIR] [--pg-stats] [--json FILE]
//   --messages: measured messages per closed-loop round, split over the pairs.
//   --rate N: the open-loop round at N messages per second instead of half the peak.
//   --servers raw,onionchat: which servers to measure (both by default).
//   --before DIR: also measure the server built in another checkout DIR (an earlier
//     commit, after `npm ci` and its build there), on the same database, as "before".
//   --profile DIR: the OnionChat servers run with --cpu-prof and write their profiles to DIR
//     (file names carry the process id, printed at start).
//   --pg-stats: PostgreSQL loads pg_stat_statements; prints the statements by total time.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { BenchClient, befriend, protocol } from './lib/client.mjs';
import { cpuSnapshot, postmasterPid } from './lib/cpu.mjs';
import { machine } from './lib/machine.mjs';
import { freePort, startDatabase, startServer } from './lib/service.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const PAIR_COUNTS = option('--pairs', '50,200').split(',').map(Number);
const WINDOW = Number(option('--window', 10));
const MESSAGES = Number(option('--messages', 10_000));
const WARMUP = Number(option('--warmup', 20));
const RATE_SECONDS = Number(option('--rate-seconds', 5));
const UNLOADED = 500;
const PROFILE_DIR = option('--profile', null);
const PG_STATS = args.includes('--pg-stats');
const JSON_FILE = option('--json', null);
const FIXED_RATE = Number(option('--rate', 0));
const BEFORE_DIR = option('--before', null);
const SERVERS = option('--servers', `raw,onionchat${BEFORE_DIR ? ',before' : ''}`).split(',');
const BODY = 'x'.repeat(160);
const ROUND_TIMEOUT_MS = 120_000;

// ---- the two servers and their clients --------------------------------------------------

function connectSocketIo(origin, pair, side) {
  const socket = io(origin, {
    path: '/api/socket',
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { cookie: pair[side].cookie },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('connect', () =>
      resolve({
        send: (m) =>
          socket
            .timeout(30_000)
            .emitWithAck('message:send', { roomId: m.roomId, clientId: m.clientId, envelope: m.envelope })
            .then((ack) => ack.ok),
        onMessage: (listener) => {
          socket.on('message:new', listener);
          return () => socket.off('message:new', listener);
        },
        close: () => socket.close(),
      }),
    );
  });
}

function connectRaw(url, pair, side) {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  const pending = new Map();
  let listener = () => {};
  let next = 0;
  socket.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (m.message) return listener(m.message);
    pending.get(m.ack)?.(!m.error);
    pending.delete(m.ack);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => {
      socket.send(JSON.stringify({ hello: pair[side].user.id }));
      resolve({
        send: (m) =>
          new Promise((done) => {
            const id = next++;
            pending.set(id, done);
            const to = pair.receiver.user.id;
            socket.send(JSON.stringify({ id, ...m, senderId: pair.sender.user.id, to }));
          }),
        onMessage: (l) => {
          listener = l;
          return () => (listener = () => {});
        },
        close: () => socket.close(),
      });
    });
  });
}

async function startRawServer(dbUrl) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(here, 'lib/raw-message-server.mjs')], {
    env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', () => reject(new Error('the raw server exited during start-up')));
  });
  return {
    pid: child.pid,
    connect: (pair, side) => connectRaw(`ws://127.0.0.1:${port}`, pair, side),
    stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))),
  };
}

// ---- accounts and envelopes --------------------------------------------------------------

async function makePairs(origin, count) {
  const pairs = [];
  for (let i = 0; i < count; i++) {
    const sender = await new BenchClient(origin).signUp(`sender${i}`);
    const receiver = await new BenchClient(origin).signUp(`receiver${i}`);
    pairs.push({ sender, receiver, ...(await befriend(receiver, sender)) });
  }
  return pairs;
}

/** `count` envelopes from the pair's sender, sealed with the room key (native Ed25519 where Node has it). */
async function seal(pair, count) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const clientId = protocol.newUuid();
      const header = { roomId: pair.roomId, epoch: 1, senderId: pair.sender.user.id, messageId: clientId };
      const envelope = await protocol.sealMessageAsync(
        { ...header, sentAt: Date.now() },
        { type: 'text', text: BODY },
        pair.roomKey,
        pair.sender.identity,
      );
      return { roomId: pair.roomId, clientId, envelope: protocol.toBase64(envelope) };
    }),
  );
}

// ---- driving load --------------------------------------------------------------------------

/** Watches the receivers: latency from send, and each message once and in order per room. */
function receiverCheck(lanes, total) {
  const sentAt = new Map();
  const lastSeq = new Map();
  const seen = new Set();
  const latencies = [];
  const result = { received: 0, duplicated: 0, outOfOrder: 0 };
  let finish;
  const done = new Promise((resolve) => (finish = resolve));
  const offs = lanes.map((lane) =>
    lane.receiver.onMessage((m) => {
      if (seen.has(m.id)) return void result.duplicated++;
      seen.add(m.id);
      if (m.seq <= (lastSeq.get(m.roomId) ?? 0)) result.outOfOrder++;
      lastSeq.set(m.roomId, Math.max(m.seq, lastSeq.get(m.roomId) ?? 0));
      const start = sentAt.get(m.envelope);
      if (start === undefined) return;
      sentAt.delete(m.envelope);
      latencies.push(performance.now() - start);
      if (++result.received === total) finish();
    }),
  );
  const settle = async () => {
    const timer = setTimeout(finish, ROUND_TIMEOUT_MS);
    await done;
    clearTimeout(timer);
    // Late duplicates would arrive right after the last message.
    await new Promise((r) => setTimeout(r, 200));
    offs.forEach((off) => off());
    return { ...result, latencies, lost: total - result.received };
  };
  return { sentAt, settle };
}

/** Each sender keeps `window` messages unacknowledged until its share is sent. */
async function closedLoop(lanes, part, window) {
  const total = lanes.reduce((sum, l) => sum + l[part].length, 0);
  const check = receiverCheck(lanes, total);
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    lanes.map(async (lane) => {
      const envelopes = lane[part];
      let next = 0;
      const worker = async () => {
        while (next < envelopes.length) {
          const m = envelopes[next++];
          check.sentAt.set(m.envelope, performance.now());
          if (!(await lane.sender.send(m))) failed++;
        }
      };
      await Promise.all(Array.from({ length: window }, worker));
    }),
  );
  const result = await check.settle();
  return { ...result, total, failed, seconds: (performance.now() - started) / 1000 };
}

/** Sends at `rate` messages per second in all, spread over the lanes, whatever the answers. */
async function openLoop(lanes, part, rate) {
  const queue = [];
  const longest = Math.max(...lanes.map((l) => l[part].length));
  for (let i = 0; i < longest; i++) for (const lane of lanes) if (lane[part][i]) queue.push([lane, lane[part][i]]);
  const total = queue.length;
  const check = receiverCheck(lanes, total);
  let failed = 0;
  const sends = [];
  const started = performance.now();
  let sent = 0;
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      for (; sent < due; sent++) {
        const [lane, m] = queue[sent];
        check.sentAt.set(m.envelope, performance.now());
        sends.push(lane.sender.send(m).then((ok) => ok || failed++));
      }
      if (sent === total) resolve(clearInterval(tick));
    }, 2);
  });
  await Promise.all(sends);
  const result = await check.settle();
  return { ...result, total, failed, seconds: (performance.now() - started) / 1000 };
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function round(target, pairs, { label, window, perPair, rate }) {
  const lanes = [];
  for (const pair of pairs) {
    const [warmup, measured] = await Promise.all([seal(pair, WARMUP), seal(pair, perPair)]);
    lanes.push({
      sender: await target.connect(pair, 'sender'),
      receiver: await target.connect(pair, 'receiver'),
      warmup,
      measured,
    });
  }
  try {
    await closedLoop(lanes, 'warmup', window);
    const before = cpuSnapshot([{ pid: target.pid }], target.pgPid);
    const r = rate ? await openLoop(lanes, 'measured', rate) : await closedLoop(lanes, 'measured', window);
    const after = cpuSnapshot([{ pid: target.pid }], target.pgPid);
    const cpuMs = (k) => ((after[k] - before[k]) / Math.max(1, r.received)) * 1000;
    const sorted = r.latencies.sort((a, b) => a - b);
    return {
      server: target.name,
      label,
      pairs: pairs.length,
      window,
      rate: rate ?? null,
      delivered: r.received,
      expected: r.total,
      failed: r.failed,
      lost: r.lost,
      duplicated: r.duplicated,
      outOfOrder: r.outOfOrder,
      perSecond: r.received / r.seconds,
      latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN },
      cpuMsPerMessage: { server: cpuMs('app'), postgres: cpuMs('postgres'), load: cpuMs('load') },
      cores: { machine: (after.machine - before.machine) / r.seconds },
    };
  } finally {
    for (const lane of lanes) [lane.sender, lane.receiver].forEach((s) => s.close());
  }
}

// ---- the run --------------------------------------------------------------------------------

async function pgStatements(dbUrl) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  const { rows } = await client.query(`
    SELECT calls, round(total_exec_time::numeric, 1) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms,
           left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
    ORDER BY total_exec_time DESC LIMIT 12`);
  await client.query('SELECT pg_stat_statements_reset()');
  await client.end();
  return rows;
}

async function measure(target, allPairs, shapes, results) {
  for (const shape of shapes) {
    process.stdout.write(`${target.name} (pid ${target.pid}): ${shape.label}...\n`);
    const r = await round(target, allPairs.slice(0, shape.pairs), shape);
    results.push(r);
    if (shape.label.startsWith('closed') && shape.pairs === PAIR_COUNTS[0]) target.peak = r.perSecond;
  }
  if (target.pgStats) target.statements = await pgStatements(target.dbUrl);
}

function shapesFor(target) {
  return [
    { label: 'unloaded (1 × 1)', pairs: 1, window: 1, perPair: UNLOADED },
    ...PAIR_COUNTS.map((pairs) => ({
      label: `closed loop ${pairs} × ${WINDOW}`,
      pairs,
      window: WINDOW,
      perPair: Math.ceil(MESSAGES / pairs),
    })),
    {
      label: `half peak rate (${PAIR_COUNTS[0]} pairs)`,
      pairs: PAIR_COUNTS[0],
      window: WINDOW,
      get rate() {
        return FIXED_RATE || Math.max(1, Math.round(target.peak / 2));
      },
      get perPair() {
        return Math.ceil((this.rate * RATE_SECONDS) / PAIR_COUNTS[0]);
      },
    },
  ];
}

async function serverVersion(dbUrl) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  const { rows } = await client.query('SHOW server_version');
  await client.end();
  return rows[0].server_version;
}

function report(results, targets, pgVersion) {
  const raw = (r) => results.find((x) => x.server === 'raw ws + pg' && x.label === r.label);
  const vsRaw = (r) => (raw(r) ? r.perSecond / raw(r).perSecond : NaN);
  console.log(
    `\n${JSON.stringify(machine())}\nPostgreSQL ${pgVersion}: ${process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : 'embedded, stock settings'}; ` +
      `160-byte bodies; ${WARMUP} warm-up messages per pair before each round\n`,
  );
  console.table(
    results.map((r) => ({
      server: r.server,
      shape: r.label + (r.rate ? ` = ${r.rate}/s` : ''),
      delivered: `${r.delivered}/${r.expected}`,
      'msg/s': r.perSecond.toFixed(0),
      'vs raw': r.server === 'raw ws + pg' ? '' : vsRaw(r).toFixed(2),
      'p50 ms': r.latencyMs.p50.toFixed(2),
      'p99 ms': r.latencyMs.p99.toFixed(2),
      'lost/dup/order': `${r.lost}/${r.duplicated}/${r.outOfOrder}`,
      'CPU ms/msg server': r.cpuMsPerMessage.server.toFixed(3),
      pg: r.cpuMsPerMessage.postgres.toFixed(3),
      load: r.cpuMsPerMessage.load.toFixed(3),
    })),
  );
  console.log(
    'msg/s = delivered to receivers per second of the round; latency = send to receipt by the other member; ' +
      'lost/dup/order = messages never received, received twice, received after a higher sequence number of the ' +
      'same room; CPU ms/msg = CPU time per delivered message of the server process, PostgreSQL and this load generator.',
  );
  for (const t of targets) {
    if (!t.statements) continue;
    console.log(`\nPostgreSQL statements by total time, ${t.name}:`);
    console.table(t.statements);
  }
  const ours = (label) => results.find((r) => r.server === 'OnionChat' && r.label.startsWith(label));
  const peak = ours(`closed loop ${PAIR_COUNTS[0]}`);
  const half = ours('half peak');
  const unloaded = ours('unloaded');
  if (!peak || !half || !unloaded) return true;
  const goals = [
    [`≥ 4,000 msg/s at ${PAIR_COUNTS[0]} × ${WINDOW}`, peak.perSecond >= 4000, peak.perSecond.toFixed(0)],
    ['≥ 0.6 of the raw baseline', vsRaw(peak) >= 0.6, vsRaw(peak).toFixed(2)],
    ['p99 < 50 ms at half the peak rate', half.latencyMs.p99 < 50, `${half.latencyMs.p99.toFixed(1)} ms`],
    ['unloaded send-to-receive ≤ 2 ms (p50)', unloaded.latencyMs.p50 <= 2, `${unloaded.latencyMs.p50.toFixed(2)} ms`],
    [
      '0 lost, duplicated, out of order, failed',
      results.every((r) => r.server !== 'OnionChat' || (!r.lost && !r.duplicated && !r.outOfOrder && !r.failed)),
      results
        .filter((r) => r.server === 'OnionChat')
        .map((r) => `${r.lost}/${r.duplicated}/${r.outOfOrder}/${r.failed}`)
        .join(' '),
    ],
  ];
  console.log('\nGoals (OnionChat):');
  for (const [goal, met, value] of goals) console.log(`  ${met ? 'met    ' : 'NOT met'}  ${goal}: ${value}`);
  return goals.every(([, met]) => met);
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onionchat-bench-messages-'));
  const pgFlags = PG_STATS ? ['-c', 'shared_preload_libraries=pg_stat_statements'] : [];
  const db = await startDatabase(dir, undefined, pgFlags);
  const pgPid = postmasterPid(dir);
  const targets = [];
  try {
    if (PG_STATS) {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await client.end();
    }
    const env = {
      RATE_MESSAGES_PER_MINUTE: '100000000',
      RATE_API_PER_MINUTE: '100000000',
      WS_CONNECTIONS_PER_USER: '1000',
    };
    const nodeArgs = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(PROFILE_DIR)}`] : [];
    const server = await startServer(db.url, path.join(dir, 'files'), env, nodeArgs);
    process.stdout.write(`making ${Math.max(...PAIR_COUNTS)} pairs of accounts...\n`);
    const pairs = await makePairs(server.origin, Math.max(...PAIR_COUNTS));
    const raw = await startRawServer(db.url);
    if (BEFORE_DIR) {
      const before = await startServer(db.url, path.join(dir, 'files'), env, nodeArgs, path.resolve(BEFORE_DIR));
      targets.push({
        key: 'before',
        name: 'OnionChat before',
        pid: before.pid,
        connect: (pair, side) => connectSocketIo(before.origin, pair, side),
        stop: before.stop,
        pgPid,
        dbUrl: db.url,
        pgStats: PG_STATS,
      });
    }
    const common = { pgPid, dbUrl: db.url, pgStats: PG_STATS };
    targets.push(
      { key: 'raw', name: 'raw ws + pg', pid: raw.pid, connect: raw.connect, stop: raw.stop, ...common },
      {
        key: 'onionchat',
        name: 'OnionChat',
        pid: server.pid,
        connect: (pair, side) => connectSocketIo(server.origin, pair, side),
        stop: server.stop,
        ...common,
      },
    );
    const results = [];
    if (PG_STATS) await pgStatements(db.url);
    for (const target of targets) {
      if (!SERVERS.includes(target.key)) {
        await target.stop();
        target.stopped = true;
        continue;
      }
      await measure(target, pairs, shapesFor(target), results);
      await target.stop();
      target.stopped = true;
    }
    const met = report(results, targets, await serverVersion(db.url));
    if (JSON_FILE) writeFileSync(JSON_FILE, JSON.stringify({ machine: machine(), results, targets }, null, 2));
    const faulty = (r) => r.server === 'OnionChat' && (r.lost || r.duplicated || r.outOfOrder || r.failed);
    if (results.some(faulty)) process.exitCode = 1;
    if (!met) console.log('(some goals not met; see docs/BENCHMARKS.md)');
  } finally {
    await Promise.all(targets.filter((t) => !t.stopped).map((t) => t.stop()));
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
