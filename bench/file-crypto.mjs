#!/usr/bin/env node
// File encryption benchmark: how fast the built protocol package encrypts,
// decrypts and hashes files (docs/PROTOCOL.md, "Files"), both file versions
// side by side in the same run:
//   v1: XSalsa20-Poly1305, tweetnacl's secretbox (pure JavaScript), still read
//   v2: AES-256-GCM in WebCrypto (native code), what clients write
//
//   - encrypt / decrypt: createFileEncryptor / createFileDecryptor, one 64 KiB
//     chunk at a time, each awaited before the next (as the file engine does)
//   - upload / download: what a client does per chunk, encrypt (or decrypt) and hash
//   - digest: createFileHasher, awaiting each chunk (SHA-256 in WebCrypto: the same
//     for both versions, so measured once)
//   - digest-overlapped: the same with every update in flight at once, as fileDigestOf does
//
// Usage (from the repo root, after `npm run build -w protocol`):
//   node bench/file-crypto.mjs [--json] [--mib N] [--runs N] [--budget SECONDS]
//   node --jitless bench/file-crypto.mjs ...     # what Tor Browser "Safer" looks like
//
// Each operation processes --mib MiB of plaintext (default 64, or 16 with
// --jitless) --runs times (default 3, or 1 with --jitless) and reports the
// median throughput in MiB of plaintext per second. The v1 and v2 runs of an
// operation alternate, so load from other processes hits both alike. --budget
// (default 60 seconds) is shared out between the runs: a run that reaches its
// share stops early and its throughput is computed from what it did, so a mode
// finishes in about a minute whatever the machine.
import { JITLESS, machine } from './lib/machine.mjs';

const protocol = await import('../protocol/dist/index.js').catch(() => {
  console.error('protocol/dist is missing: run `npm run build -w protocol` first.');
  process.exit(1);
});

const MIB = 1024 * 1024;
const CHUNK = protocol.FILE_CHUNK_BYTES;
const CHUNKS_PER_MIB = MIB / CHUNK;
const WARM_UP_CHUNKS = 16;
const VERSIONS = [1, 2];
const CIPHER = { 1: 'tweetnacl secretbox', 2: 'WebCrypto AES-256-GCM' };
const args = parseArgs(process.argv.slice(2));

function parseArgs(argv) {
  const out = { json: false, mib: JITLESS ? 16 : 64, runs: JITLESS ? 1 : 3, budgetS: 60 };
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
const headers = Object.fromEntries(
  VERSIONS.map((version) => [version, protocol.createFileEncryptor(key, { version, noncePrefix }).header]),
);
const plain = protocol.randomBytes(CHUNK);
const wanted = Math.max(1, Math.round(args.mib * CHUNKS_PER_MIB));
/** The ciphertext each version's first encryption run produced, in order: what the other operations consume. */
const ciphertext = { 1: [], 2: [] };

/** Whether to do chunk i: at least one, then until `count` are done or the deadline has passed. */
const more = (i, count, deadline) => i < count && (i === 0 || performance.now() < deadline);

/**
 * Each operation processes chunks until it has done `count` or `deadline`
 * (a performance.now() time) has passed, and returns how many it did.
 * Chunks are never marked last, so any count is a valid prefix of a file.
 * `version` is 1 or 2, or null for the digest (the same for both).
 */
const operations = [
  {
    name: 'encrypt',
    what: 'createFileEncryptor + encryptChunk, 64 KiB at a time',
    async run(version, count, deadline) {
      const encryptor = protocol.createFileEncryptor(key, { version, noncePrefix });
      const out = ciphertext[version];
      let i = 0;
      for (; more(i, count, deadline); i++) {
        const cipher = await encryptor.encryptChunk(plain, false);
        if (out.length === i) out.push(cipher);
      }
      return i;
    },
  },
  {
    name: 'decrypt',
    what: 'createFileDecryptor + decryptChunk, 64 KiB at a time',
    async run(version, count, deadline) {
      const decryptor = protocol.createFileDecryptor(key, headers[version]);
      const input = ciphertext[version];
      let i = 0;
      for (; more(i, Math.min(count, input.length), deadline); i++) {
        await decryptor.decryptChunk(input[i], false);
      }
      return i;
    },
  },
  {
    name: 'upload',
    what: 'encrypt + hash each chunk (what a sending client does)',
    async run(version, count, deadline) {
      const encryptor = protocol.createFileEncryptor(key, { version, noncePrefix });
      const hasher = protocol.createFileHasher(headers[version]);
      const pending = [];
      let i = 0;
      for (; more(i, count, deadline); i++) {
        pending.push(hasher.update(await encryptor.encryptChunk(plain, false)));
      }
      await Promise.all(pending);
      await hasher.digest();
      return i;
    },
  },
  {
    name: 'download',
    what: 'hash + decrypt each chunk (what a receiving client does)',
    async run(version, count, deadline) {
      const decryptor = protocol.createFileDecryptor(key, headers[version]);
      const hasher = protocol.createFileHasher(headers[version]);
      const input = ciphertext[version];
      const pending = [];
      let i = 0;
      for (; more(i, Math.min(count, input.length), deadline); i++) {
        pending.push(hasher.update(input[i]));
        await decryptor.decryptChunk(input[i], false);
      }
      await Promise.all(pending);
      await hasher.digest();
      return i;
    },
  },
  {
    name: 'digest',
    what: 'createFileHasher, awaiting each update (WebCrypto SHA-256; the same for v1 and v2)',
    versions: [null],
    async run(_version, count, deadline) {
      const input = ciphertext[2];
      const hasher = protocol.createFileHasher(headers[2]);
      let i = 0;
      for (; more(i, Math.min(count, input.length), deadline); i++) {
        await hasher.update(input[i]);
      }
      await hasher.digest();
      return i;
    },
  },
  {
    name: 'digest-overlapped',
    what: 'createFileHasher, all updates in flight at once (as fileDigestOf)',
    versions: [null],
    async run(_version, count, deadline) {
      const input = ciphertext[2];
      const hasher = protocol.createFileHasher(headers[2]);
      const pending = [];
      let i = 0;
      for (; more(i, Math.min(count, input.length), deadline); i++) {
        pending.push(hasher.update(input[i]));
      }
      await Promise.all(pending);
      await hasher.digest();
      return i;
    },
  },
];
for (const operation of operations) operation.versions ??= VERSIONS;

/**
 * Runs `operation` for each of its versions, --runs times each, the versions in
 * turn; returns one result per version.
 */
async function measure(operation, shareMs) {
  const runs = new Map(operation.versions.map((version) => [version, []]));
  for (let run = 0; run < args.runs; run++) {
    for (const version of operation.versions) {
      const t0 = performance.now();
      const done = await operation.run(version, wanted, t0 + shareMs);
      runs.get(version).push({ done, ms: performance.now() - t0 });
    }
  }
  return operation.versions.map((version) => summary(operation, version, runs.get(version)));
}

function summary(operation, version, runs) {
  const rates = runs.map(({ done, ms }) => done / CHUNKS_PER_MIB / (ms / 1000));
  const sorted = [...rates].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  const chunks = runs.reduce((sum, run) => sum + run.done, 0);
  return {
    name: operation.name,
    version,
    cipher: version === null ? 'WebCrypto SHA-256' : CIPHER[version],
    what: operation.what,
    runs: args.runs,
    mibPerRun: round(chunks / args.runs / CHUNKS_PER_MIB, 2),
    seconds: round(runs.reduce((sum, run) => sum + run.ms, 0) / 1000, 2),
    medianMibPerS: round(median, 2),
    minMibPerS: round(sorted[0], 2),
    maxMibPerS: round(sorted.at(-1), 2),
    msPerChunk: round(1000 / CHUNKS_PER_MIB / median, 3),
    ...(runs.some((run) => run.done < wanted) ? { stoppedEarly: true } : {}),
  };
}

const round = (value, digits) => Math.round(value * 10 ** digits) / 10 ** digits;

function printTable(info, results) {
  const mode = info.jitless ? 'node --jitless' : 'node';
  console.log(`File crypto benchmark: ${mode} ${info.node}, ${info.cpu} x${info.logicalCpus}, ${info.platform}`);
  console.log(`${args.mib} MiB per run, ${args.runs} run(s), 64 KiB chunks; MiB = MiB of plaintext`);
  console.log(`v1 = ${CIPHER[1]}, v2 = ${CIPHER[2]}; median MiB/s (min to max), ms per chunk`);
  const cell = (r) =>
    r ? `${fmt(r.medianMibPerS)} (${fmt(r.minMibPerS)}-${fmt(r.maxMibPerS)})${r.stoppedEarly ? ' *' : ''}` : '';
  const head = ['operation', 'v1 MiB/s', 'v1 ms/chunk', 'v2 MiB/s', 'v2 ms/chunk', 'v2 / v1'];
  const rows = operations.map((operation) => {
    const of = (version) => results.find((r) => r.name === operation.name && r.version === version);
    if (operation.versions[0] === null) {
      const both = of(null);
      return [
        `${operation.name} (v1 = v2)`,
        cell(both),
        fmt(both.msPerChunk, 3),
        cell(both),
        fmt(both.msPerChunk, 3),
        '',
      ];
    }
    const [v1, v2] = [of(1), of(2)];
    const ratio = v2.medianMibPerS / v1.medianMibPerS;
    return [operation.name, cell(v1), fmt(v1.msPerChunk, 3), cell(v2), fmt(v2.msPerChunk, 3), `${fmt(ratio, 1)}x`];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
  for (const operation of operations) console.log(`  ${operation.name}: ${operation.what}`);
  if (results.some((r) => r.stoppedEarly)) console.log('  * stopped at its share of --budget; rate from what it did');
}

const fmt = (value, digits = 2) => value.toLocaleString('en', { maximumFractionDigits: digits });

// Warm-up (the JIT, WebCrypto's thread pool), then the measurements in order: encrypt first, it makes the ciphertext.
for (const operation of operations) {
  for (const version of operation.versions) await operation.run(version, WARM_UP_CHUNKS, Infinity);
}
for (const version of VERSIONS) ciphertext[version].length = 0;

const measurements = operations.reduce((n, operation) => n + operation.versions.length, 0);
const shareMs = (args.budgetS * 1000) / (measurements * args.runs);
const info = machine();
const results = [];
for (const operation of operations) {
  if (!args.json) process.stderr.write(`measuring ${operation.name}...\n`);
  results.push(...(await measure(operation, shareMs)));
}
if (args.json) {
  console.log(JSON.stringify({ machine: info, mibPerRun: args.mib, budgetSeconds: args.budgetS, results }, null, 2));
} else {
  printTable(info, results);
}
