#!/usr/bin/env node
// Post-quantum benchmark: what the hybrid X25519 + ML-KEM-768 cryptography of
// public keys v2, wrapped room keys v2 and envelopes v2 costs a client, each
// operation timed next to the version-1 operation it replaces, in the same run:
//   - wrap-room-key:   wrapRoomKey (v1, X25519 box) vs wrapRoomKeyHybrid (v2, + ML-KEM encapsulation)
//   - open-room-key:   openRoomKey of a v1 record vs of a v2 record (+ ML-KEM decapsulation)
//   - decode-public-keys: decodePublicKeys of a v1 record vs a v2 record (+ the FIPS 203 key check)
//   - seal-message / open-message: sealMessageV1 vs sealMessage (v2), and opening each
//   - keys-from-seed:  the classical key pairs from their seeds (baseline) vs those plus
//                      the ML-KEM-768 key pair from its seed, which every log-in now adds
//
// Usage (from the repo root, after `npm run build -w protocol`):
//   node bench/hybrid-keys.mjs [--json] [--runs N] [--budget SECONDS]
//   node --jitless bench/hybrid-keys.mjs ...   # what Tor Browser "Safer" looks like
//   npm run bench:hybrid-keys                  # both modes
//
// Each pair is warmed up (one round with --jitless, up to 100 rounds or 1.5 s with
// the JIT), then runs v1 and v2 in turn (so load from other processes hits both alike)
// up to --runs times each (default 100, or 15 with --jitless) or until the pair
// has spent its share of --budget (default 40 seconds for the whole run).
// Reported: median, p90 (nearest rank) and min in milliseconds, and v2 / v1 of
// the medians and of the minimums (on a busy machine the minimums are the best
// estimate of the pure cost).
import { machine } from './lib/machine.mjs';

const protocol = await import('../protocol/dist/index.js').catch(() => {
  console.error('protocol/dist is missing: run `npm run build -w protocol` first.');
  process.exit(1);
});

const info = machine();
const args = parseArgs(process.argv.slice(2));

function parseArgs(argv) {
  const out = { json: false, runs: info.jitless ? 15 : 100, budgetS: 40 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = () => Number(argv[++i]);
    if (flag === '--json') out.json = true;
    else if (flag === '--runs') out.runs = next();
    else if (flag === '--budget') out.budgetS = next();
    else {
      console.error(`unknown argument ${flag}`);
      process.exit(2);
    }
  }
  if (!(Number.isInteger(out.runs) && out.runs >= 1 && out.budgetS > 0)) {
    console.error('--runs must be a positive integer and --budget positive');
    process.exit(2);
  }
  return out;
}

const alice = protocol.createIdentity('bench_alice');
const bob = protocol.createIdentity('bench_bob');
const aliceId = protocol.newUuid();
const bobId = protocol.newUuid();
const roomId = protocol.newUuid();
const roomKey = protocol.newRoomKey();
const ctx = { roomId, epoch: 1, memberId: bobId, wrapperId: aliceId };
const wrapper = { id: aliceId, signPublicKey: alice.signPublicKey, boxPublicKey: alice.boxPublicKey };
const bobHybrid = { boxPublicKey: bob.boxPublicKey, kemPublicKey: bob.kem.publicKey };
const recordV1 = protocol.wrapRoomKey(roomKey, ctx, alice, bob.boxPublicKey);
const recordV2 = protocol.wrapRoomKeyHybrid(roomKey, ctx, alice, bobHybrid);
const expected = { roomId, epoch: 1, memberId: bobId };

const keysV1 = protocol.encodePublicKeysV1(alice);
const keysV2 = protocol.encodePublicKeys(alice, aliceId);

// A typical chat line; padding makes every short message the same size anyway.
const body = { type: 'text', text: 'See you at the station at six, bring the maps.' };
const header = () => ({ roomId, epoch: 1, senderId: aliceId, messageId: protocol.newUuid(), sentAt: Date.now() });
const envelopeV1 = protocol.sealMessageV1(header(), body, roomKey, alice);
const envelopeV2 = protocol.sealMessage(header(), body, roomKey, alice);
const messageContext = { roomId, epoch: 1, senderId: aliceId };

const boxSeed = protocol.randomBytes(protocol.BOX_SECRET_KEY_BYTES);
const signSeed = protocol.randomBytes(protocol.SIGN_SEED_BYTES);
const kemSeed = protocol.randomBytes(protocol.KEM_SEED_BYTES);

// Every v2 side is checked once before timing, so a figure is never that of a failing call.
if (!protocol.openRoomKey(recordV2, expected, bob, wrapper).hybrid)
  throw new Error('v2 room key did not open as hybrid');
if (protocol.decodePublicKeys(keysV2, 'bench_alice', aliceId).kemPublicKey === null)
  throw new Error('v2 keys lost KEM');
if (protocol.openMessage(envelopeV2, messageContext, roomKey, alice).version !== 2)
  throw new Error('not a v2 envelope');

const pairs = [
  {
    name: 'wrap-room-key',
    what: 'wrap a room key for one member: v1 X25519 box vs v2 X25519 + ML-KEM-768 encapsulation',
    v1: () => protocol.wrapRoomKey(roomKey, ctx, alice, bob.boxPublicKey),
    v2: () => protocol.wrapRoomKeyHybrid(roomKey, ctx, alice, bobHybrid),
  },
  {
    name: 'open-room-key',
    what: 'verify and open a wrapped room key: v1 vs v2 (+ ML-KEM-768 decapsulation)',
    v1: () => protocol.openRoomKey(recordV1, expected, bob, wrapper),
    v2: () => protocol.openRoomKey(recordV2, expected, bob, wrapper),
  },
  {
    name: 'decode-public-keys',
    what: 'verify a public keys record: v1 vs v2 (user id, ML-KEM key and its FIPS 203 check)',
    v1: () => protocol.decodePublicKeys(keysV1, 'bench_alice', aliceId),
    v2: () => protocol.decodePublicKeys(keysV2, 'bench_alice', aliceId),
  },
  {
    name: 'seal-message',
    what: 'sign, pad and seal a short text message: envelope v1 vs v2 (send time signed inside)',
    v1: () => protocol.sealMessageV1(header(), body, roomKey, alice),
    v2: () => protocol.sealMessage(header(), body, roomKey, alice),
  },
  {
    name: 'open-message',
    what: 'open and verify that message: envelope v1 vs v2',
    v1: () => protocol.openMessage(envelopeV1, messageContext, roomKey, alice),
    v2: () => protocol.openMessage(envelopeV2, messageContext, roomKey, alice),
  },
  {
    name: 'keys-from-seed',
    what: 'rebuild the identity at log-in: X25519 + Ed25519 from seeds vs the same + ML-KEM-768 key pair from its seed',
    v1: () => protocol.identityFromSeeds('bench_alice', boxSeed, signSeed),
    v2: () => protocol.identityFromSeeds('bench_alice', boxSeed, signSeed, kemSeed),
  },
];

// With the JIT, timings settle only after some 50 to 100 calls (its optimizing tier
// compiles tweetnacl's and noble's loops late), so each pair warms up for up to 100
// rounds or 1.5 seconds first; without it, one round fills the caches.
const WARM_UP = info.jitless ? { rounds: 1, ms: 0 } : { rounds: 100, ms: 1500 };

async function measure(pair, shareMs) {
  const warmUntil = performance.now() + WARM_UP.ms;
  for (let i = 0; i < WARM_UP.rounds && (i === 0 || performance.now() < warmUntil); i++) {
    pair.v1();
    pair.v2();
  }
  const times = { v1: [], v2: [] };
  const started = performance.now();
  while (times.v2.length < args.runs && (times.v2.length === 0 || performance.now() - started < shareMs)) {
    for (const side of ['v1', 'v2']) {
      const t0 = performance.now();
      pair[side]();
      times[side].push(performance.now() - t0);
    }
  }
  const v1 = stats(times.v1);
  const v2 = stats(times.v2);
  return {
    name: pair.name,
    what: pair.what,
    runs: times.v2.length,
    v1,
    v2,
    ratio: round(v2.medianMs / v1.medianMs),
    minRatio: round(v2.minMs / v1.minMs),
  };
}

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { medianMs: round(median), p90Ms: round(at(0.9)), minMs: round(sorted[0]), maxMs: round(sorted.at(-1)) };
}

// Two decimals: with the JIT, ML-KEM's share of an operation is a fraction of a millisecond.
const round = (ms) => Math.round(ms * 100) / 100;
const fmt = (ms) => ms.toLocaleString('en', { maximumFractionDigits: 2 });

function printTable(results) {
  const mode = info.jitless ? 'node --jitless' : 'node';
  console.log(`Hybrid keys benchmark: ${mode} ${info.node}, ${info.cpu} x${info.logicalCpus}, ${info.platform}`);
  const head = [
    'operation',
    'runs',
    'v1 median',
    'v1 p90',
    'v1 min',
    'v2 median',
    'v2 p90',
    'v2 min',
    'v2/v1',
    'v2/v1 min',
  ];
  const rows = results.map((r) => [
    r.name,
    String(r.runs),
    fmt(r.v1.medianMs),
    fmt(r.v1.p90Ms),
    fmt(r.v1.minMs),
    fmt(r.v2.medianMs),
    fmt(r.v2.p90Ms),
    fmt(r.v2.minMs),
    `x${fmt(r.ratio)}`,
    `x${fmt(r.minRatio)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log('milliseconds per operation');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
  for (const r of results) console.log(`  ${r.name}: ${r.what}`);
}

const shareMs = (args.budgetS * 1000) / pairs.length;
const results = [];
for (const pair of pairs) {
  if (!args.json) process.stderr.write(`measuring ${pair.name}...\n`);
  results.push(await measure(pair, shareMs));
}
if (args.json) console.log(JSON.stringify({ machine: info, budgetSeconds: args.budgetS, results }, null, 2));
else printTable(results);
