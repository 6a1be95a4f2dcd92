#!/usr/bin/env node
// File encryption benchmark: how fast the built protocol package encrypts,
// decrypts and hashes files (docs/PROTOCOL.md, "Files").
//
//   - encrypt / decrypt: createFileEncryptor / createFileDecryptor, one 64 KiB
//     chunk at a time (tweetnacl's secretbox: pure JavaScript)
//   - digest: createFileHasher, awaiting each chunk (SHA-256 in WebCrypto: native)
//   - digest-overlapped: the same with every update in flight at once, as fileDigestOf does
//   - upload / download: what a client does per chunk, encrypt (or decrypt) and hash
//
// Usage (from the repo root, after `npm run build -w protocol`):
//   node bench/file-crypto.mjs [--json] [--mib N] [--runs N] [--budget SECONDS]
//   node --jitless bench/file-crypto.mjs ...     # what Tor Browser "Safer" looks like
//
// Each operation processes --mib MiB of plaintext (default 64, or 16 with
// --jitless) --runs times (default 3, or 1 with --jitless) and reports the
// median throughput in MiB of plaintext per second. --budget (default 50
// seconds) is shared out between the runs: a run that reaches its share stops
// early and its throughput is computed from what it did, so a mode finishes
// in about a minute whatever the machine.
import { JITLESS, machine } from './lib/machine.mjs';

const protocol = await import('../protocol/dist/index.js').catch(() => {
  console.error('protocol/dist is missing: run `npm run build -w protocol` first.');
  process.exit(1);
});

const MIB = 1024 * 1024;
const CHUNK = protocol.FILE_CHUNK_BYTES;
const CHUNKS_PER_MIB = MIB / CHUNK;
const WARM_UP_CHUNKS = 16;
const args = parseArgs(process.argv.slice(2));

function parseArgs(argv) {
  const out = { json: false, mib: JITLESS ? 16 : 64, runs: JITLESS ? 1 : 3, budgetS: 50 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = () => Number(argv[++i]);
    if (flag === '--json') out.json = true;
    else if (flag === '--mib') out.mib = next();
    else if (flag === '--runs') out.runs = next();
    else if (flag === '--budget') out.budgetS = next();
    else {
      console.error(`unknown argument ${flag}`);
      process.exit(2);
    }
  }
  if (!(out.mib > 0 && out.runs >= 1 && out.budgetS > 0)) {
    console.error('--mib, --runs and --budget must be positive');
    process.exit(2);
  }
  return out;
}

const key = protocol.newFileKey();
const noncePrefix = protocol.randomBytes(protocol.FILE_NONCE_PREFIX_BYTES);
const header = protocol.createFileEncryptor(key, noncePrefix).header;
const plain = protocol.randomBytes(CHUNK);
const wanted = Math.max(1, Math.round(args.mib * CHUNKS_PER_MIB));
/** The ciphertext the first encryption run produced, in order: what the other operations consume. */
const ciphertext = [];

/** Whether to do chunk i: at least one, then until `count` are done or the deadline has passed. */
const more = (i, count, deadline) => i < count && (i === 0 || performance.now() < deadline);

/**
 * Each operation processes chunks until it has done `count` or `deadline`
 * (a performance.now() time) has passed, and returns how many it did.
 * Chunks are never marked last, so any count is a valid prefix of a file.
 */
const operations = [
  {
    name: 'encrypt',
    what: 'createFileEncryptor + encryptChunk, 64 KiB at a time (tweetnacl secretbox)',
    async run(count, deadline) {
      const encryptor = protocol.createFileEncryptor(key, noncePrefix);
      let i = 0;
      for (; more(i, count, deadline); i++) {
        const cipher = encryptor.encryptChunk(plain, false);
        if (ciphertext.length === i) ciphertext.push(cipher);
      }
      return i;
    },
  },
  {
    name: 'decrypt',
    what: 'createFileDecryptor + decryptChunk (tweetnacl secretbox.open)',
    async run(count, deadline) {
      const decryptor = protocol.createFileDecryptor(key, header);
      let i = 0;
      for (; more(i, Math.min(count, ciphertext.length), deadline); i++) {
        decryptor.decryptChunk(ciphertext[i], false);
      }
      return i;
    },
  },
  {
    name: 'digest',
    what: 'createFileHasher, awaiting each update (WebCrypto SHA-256)',
    async run(count, deadline) {
      const hasher = protocol.createFileHasher(header);
      let i = 0;
      for (; more(i, Math.min(count, ciphertext.length), deadline); i++) {
        await hasher.update(ciphertext[i]);
      }
      await hasher.digest();
      return i;
    },
  },
  {
    name: 'digest-overlapped',
    what: 'createFileHasher, all updates in flight at once (as fileDigestOf)',
    async run(count, deadline) {
      const hasher = protocol.createFileHasher(header);
      const pending = [];
      let i = 0;
      for (; more(i, Math.min(count, ciphertext.length), deadline); i++) {
        pending.push(hasher.update(ciphertext[i]));
      }
      await Promise.all(pending);
      await hasher.digest();
      return i;
    },
  },
  {
    name: 'upload',
    what: 'encrypt + hash each chunk (what a sending client does)',
    async run(count, deadline) {
      const encryptor = protocol.createFileEncryptor(key, noncePrefix);
      const hasher = protocol.createFileHasher(header);
      const pending = [];
      let i = 0;
      for (; more(i, count, deadline); i++) {
        pending.push(hasher.update(encryptor.encryptChunk(plain, false)));
      }
      await Promise.all(pending);
      await hasher.digest();
      return i;
    },
  },
  {
    name: 'download',
    what: 'hash + decrypt each chunk (what a receiving client does)',
    async run(count, deadline) {
      const decryptor = protocol.createFileDecryptor(key, header);
      const hasher = protocol.createFileHasher(header);
      const pending = [];
      let i = 0;
      for (; more(i, Math.min(count, ciphertext.length), deadline); i++) {
        pending.push(hasher.update(ciphertext[i]));
        decryptor.decryptChunk(ciphertext[i], false);
      }
      await Promise.all(pending);
      await hasher.digest();
      return i;
    },
  },
];

async function measure(operation, shareMs) {
  const rates = [];
  let chunks = 0;
  let ms = 0;
  let stoppedEarly = false;
  for (let run = 0; run < args.runs; run++) {
    const t0 = performance.now();
    const done = await operation.run(wanted, t0 + shareMs);
    const elapsed = performance.now() - t0;
    if (done < wanted) stoppedEarly = true;
    rates.push(done / CHUNKS_PER_MIB / (elapsed / 1000));
    chunks += done;
    ms += elapsed;
  }
  const sorted = [...rates].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {
    name: operation.name,
    what: operation.what,
    runs: args.runs,
    mibPerRun: round(chunks / args.runs / CHUNKS_PER_MIB, 2),
    seconds: round(ms / 1000, 2),
    medianMibPerS: round(median, 2),
    minMibPerS: round(sorted[0], 2),
    maxMibPerS: round(sorted.at(-1), 2),
    msPerChunk: round(1000 / CHUNKS_PER_MIB / median, 3),
    ...(stoppedEarly ? { stoppedEarly: true } : {}),
  };
}

const round = (value, digits) => Math.round(value * 10 ** digits) / 10 ** digits;

function printTable(info, results) {
  const mode = info.jitless ? 'node --jitless' : 'node';
  console.log(`File crypto benchmark: ${mode} ${info.node}, ${info.cpu} x${info.logicalCpus}, ${info.platform}`);
  console.log(`${args.mib} MiB per run, ${args.runs} run(s), 64 KiB chunks; MiB = MiB of plaintext`);
  const head = ['operation', 'MiB/run', 'median MiB/s', 'min MiB/s', 'max MiB/s', 'ms/chunk'];
  const rows = results.map((r) => [
    r.name + (r.stoppedEarly ? ' *' : ''),
    fmt(r.mibPerRun),
    fmt(r.medianMibPerS),
    fmt(r.minMibPerS),
    fmt(r.maxMibPerS),
    fmt(r.msPerChunk, 3),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
  for (const r of results) console.log(`  ${r.name}: ${r.what}`);
  if (results.some((r) => r.stoppedEarly)) console.log('  * stopped at its share of --budget; rate from what it did');
}

const fmt = (value, digits = 2) => value.toLocaleString('en', { maximumFractionDigits: digits });

// Warm-up (the JIT, WebCrypto's thread pool), then the measurements in order: encrypt first, it makes the ciphertext.
for (const operation of operations) await operation.run(WARM_UP_CHUNKS, Infinity);
ciphertext.length = 0;

const shareMs = (args.budgetS * 1000) / (operations.length * args.runs);
const info = machine();
const results = [];
for (const operation of operations) {
  if (!args.json) process.stderr.write(`measuring ${operation.name}...\n`);
  results.push(await measure(operation, shareMs));
}
if (args.json) {
  console.log(JSON.stringify({ machine: info, mibPerRun: args.mib, budgetSeconds: args.budgetS, results }, null, 2));
} else {
  printTable(info, results);
}
