#!/usr/bin/env node
// KDF benchmark: decides OnionChat's passphrase-stretching parameters.
//
// Measures, at OWASP's current minimums, the constructions we could use in
// the browser, plus the real login path of the built protocol package:
//   - PBKDF2-HMAC-SHA256 via WebCrypto, through protocol's deriveAccountKeys
//     (what the protocol uses), at several iteration counts
//   - the rest of the client-side login crypto (open the key bundle, check the
//     public keys record) and the whole client login path
//   - pure-JS PBKDF2-HMAC-SHA256, scrypt N=2^17 r=8 p=1 and argon2id
//     m=19 MiB t=2 p=1 from @noble/hashes, i.e. what a memory-hard KDF would
//     cost without WebAssembly (Tor Browser "Safer" disables WASM and the JIT)
//
// Usage (from the repo root, after `npm run build -w protocol`):
//   node bench/kdf.mjs [--json] [--runs N] [--budget SECONDS] [--iterations 600000,1000000] [--only name,...]
//   node --jitless bench/kdf.mjs ...        # what Tor Browser "Safer" looks like
//   bench/kdf.sh                            # both modes
//
// Cheap candidates (the native WebCrypto ones and tweetnacl) get one warm-up
// run and are then timed round-robin. The pure-JS ones run at most 3 times
// within --budget seconds each (default 60); if even one run cannot finish in
// the budget it is aborted and its total extrapolated from its progress.
// Reported: median, p90 (nearest rank), min and max in milliseconds.
import { machine } from './lib/machine.mjs';
import { argon2id } from '@noble/hashes/argon2.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { scrypt } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';

const protocol = await import('../protocol/dist/index.js').catch(() => {
  console.error('protocol/dist is missing: run `npm run build -w protocol` first.');
  process.exit(1);
});

const args = parseArgs(process.argv.slice(2));
const PASSPHRASE = 'violet tractor spoon glacier';
const USERNAME = 'bench_user';
const MIB = 1024 * 1024;

/** A run that is aborted once it is clear it cannot finish within the budget. */
class OverBudget extends Error {
  constructor(estimateMs) {
    super('over budget');
    this.estimateMs = estimateMs;
  }
}

function parseArgs(argv) {
  const out = { json: false, runs: 7, budgetS: 60, iterations: [600_000, 1_000_000, 2_000_000], only: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = () => argv[++i] ?? '';
    if (flag === '--json') out.json = true;
    else if (flag === '--runs') out.runs = Number(next());
    else if (flag === '--budget') out.budgetS = Number(next());
    else if (flag === '--iterations') out.iterations = next().split(',').map(Number);
    else if (flag === '--only') out.only = next().split(',');
    else {
      console.error(`unknown argument ${flag}`);
      process.exit(2);
    }
  }
  return out;
}

function candidates() {
  const salt = new Uint8Array(16).fill(7);
  const list = [];
  for (const iterations of args.iterations) {
    const params = protocol.newKdfParams(iterations, salt);
    list.push({
      name: `pbkdf2-webcrypto-${iterations / 1000}k`,
      what: `PBKDF2-HMAC-SHA256 ${iterations.toLocaleString('en')} it. + 2x HKDF (WebCrypto, protocol deriveAccountKeys)`,
      maxRuns: args.runs,
      interleave: true,
      run: () => protocol.deriveAccountKeys(PASSPHRASE, USERNAME, params),
    });
  }

  const identity = protocol.createIdentity(USERNAME);
  const wrapKey = protocol.randomBytes(32);
  const kemSeed = { type: protocol.KEM_SEED_EXTENSION, value: protocol.encodeKemSeed(identity.kem.seed) };
  const sealed = protocol.sealKeyBundle(identity, wrapKey, [kemSeed]);
  const userId = protocol.newUuid();
  const record = protocol.encodePublicKeys(identity, userId);
  // As a log-in does since public keys v2: the ML-KEM key pair is rebuilt from the seed kept in the bundle.
  const openBundle = () => {
    const keys = protocol.decodePublicKeys(record, USERNAME, userId);
    const opened = protocol.openKeyBundle(sealed, wrapKey, USERNAME, keys);
    return protocol.addKemKeys(opened.identity, protocol.kemSeedOf(opened.extensions));
  };
  list.push({
    name: 'bundle-open',
    what: 'verify v2 public keys record + secretbox-open key bundle + rebuild identity with its ML-KEM key pair',
    maxRuns: args.runs,
    interleave: true,
    run: openBundle,
  });
  const defaults = protocol.newKdfParams(protocol.KDF_DEFAULT_ITERATIONS, salt);
  list.push({
    name: 'login-client',
    what: `client side of a login at the default ${protocol.KDF_DEFAULT_ITERATIONS.toLocaleString('en')} it.: decode params, derive, open bundle`,
    maxRuns: args.runs,
    interleave: true,
    run: async () => {
      const params = protocol.decodeKdfParams(protocol.encodeKdfParams(defaults));
      await protocol.deriveAccountKeys(PASSPHRASE, USERNAME, params);
      return openBundle();
    },
  });

  // Pure-JS PBKDF2 has no progress callback, so it runs a tenth of the work and is scaled up (it is exactly linear).
  const jsIterations = 60_000;
  list.push({
    name: 'pbkdf2-js-600k',
    what: `PBKDF2-HMAC-SHA256 600,000 it., pure JS (noble); measured at ${jsIterations.toLocaleString('en')} x10`,
    maxRuns: 3,
    interleave: false,
    scale: 600_000 / jsIterations,
    run: () => pbkdf2(sha256, PASSPHRASE, salt, { c: jsIterations, dkLen: 32 }),
  });
  list.push({
    name: 'scrypt-js',
    what: 'scrypt N=2^17 r=8 p=1 (128 MiB), pure JS (noble)',
    maxRuns: 3,
    interleave: false,
    run: (onProgress) => scrypt(PASSPHRASE, salt, { N: 2 ** 17, r: 8, p: 1, dkLen: 32, maxmem: 256 * MIB, onProgress }),
  });
  list.push({
    name: 'argon2id-js',
    what: 'argon2id m=19 MiB t=2 p=1, pure JS (noble)',
    maxRuns: 3,
    interleave: false,
    run: (onProgress) => argon2id(PASSPHRASE, salt, { m: 19 * 1024, t: 2, p: 1, dkLen: 32, onProgress }),
  });
  return args.only ? list.filter((c) => args.only.includes(c.name)) : list;
}

/**
 * Runs one candidate up to maxRuns times, stopping once the time budget is
 * spent. If even the first run cannot finish within the budget, it is
 * aborted and its total is extrapolated from the progress reached.
 */
async function measure(candidate) {
  const budgetMs = args.budgetS * 1000;
  const started = performance.now();
  const times = [];
  while (times.length < candidate.maxRuns && performance.now() - started < budgetMs) {
    const t0 = performance.now();
    const remaining = budgetMs - (t0 - started);
    const onProgress = (fraction) => {
      const elapsed = performance.now() - t0;
      if (elapsed > remaining && fraction > 0 && fraction < 1) throw new OverBudget(elapsed / fraction);
    };
    try {
      await candidate.run(onProgress);
    } catch (error) {
      if (!(error instanceof OverBudget)) throw error;
      if (times.length > 0) break;
      return { ...describe(candidate), runs: 0, estimateMs: round(error.estimateMs) };
    }
    times.push((performance.now() - t0) * (candidate.scale ?? 1));
  }
  return { ...describe(candidate), runs: times.length, ...stats(times) };
}

function describe(candidate) {
  return { name: candidate.name, what: candidate.what, ...(candidate.scale ? { scaledBy: candidate.scale } : {}) };
}

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { medianMs: round(median), p90Ms: round(at(0.9)), minMs: round(sorted[0]), maxMs: round(sorted.at(-1)) };
}

const round = (ms) => Math.round(ms * 10) / 10;

function printTable(info, results) {
  const mode = info.jitless ? 'node --jitless' : 'node';
  console.log(`KDF benchmark: ${mode} ${info.node}, ${info.cpu} x${info.logicalCpus}, ${info.platform}`);
  const header = ['candidate', 'runs', 'median ms', 'p90 ms', 'min ms', 'max ms'];
  const rows = results.map((r) =>
    r.runs === 0
      ? [r.name, '0', `~${fmt(r.estimateMs)} (aborted, estimate)`, '', '', '']
      : [r.name, String(r.runs), fmt(r.medianMs), fmt(r.p90Ms), fmt(r.minMs), fmt(r.maxMs)],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  for (const r of results) console.log(`  ${r.name}: ${r.what}`);
}

const fmt = (ms) => ms.toLocaleString('en', { maximumFractionDigits: 1 });

/**
 * Cheap candidates run round-robin (one run of each, repeated), so a burst
 * of load from other processes hits them all alike instead of skewing one.
 */
async function measureInterleaved(list) {
  for (const candidate of list) await candidate.run();
  const times = list.map(() => []);
  for (let round = 0; round < Math.max(...list.map((c) => c.maxRuns)); round++) {
    for (const [i, candidate] of list.entries()) {
      if (round >= candidate.maxRuns) continue;
      const t0 = performance.now();
      await candidate.run();
      times[i].push(performance.now() - t0);
    }
  }
  return list.map((candidate, i) => ({ ...describe(candidate), runs: times[i].length, ...stats(times[i]) }));
}

const info = machine();
const all = candidates();
const cheap = all.filter((c) => c.interleave);
if (!args.json) process.stderr.write(`measuring ${cheap.map((c) => c.name).join(', ')} (interleaved)...\n`);
const results = cheap.length > 0 ? await measureInterleaved(cheap) : [];
for (const candidate of all.filter((c) => !c.interleave)) {
  if (!args.json) process.stderr.write(`measuring ${candidate.name}...\n`);
  results.push(await measure(candidate));
}
if (args.json) console.log(JSON.stringify({ machine: info, budgetSeconds: args.budgetS, results }, null, 2));
else printTable(info, results);
