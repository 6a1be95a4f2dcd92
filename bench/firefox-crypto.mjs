#!/usr/bin/env node
// The client's cryptography in Tor Browser's engine: Debian's Firefox ESR, headless, at
// Tor Browser's "Standard" level and at its "Safer" level (JIT and WebAssembly off).
// Each operation runs twice in the same page: through the protocol's synchronous
// tweetnacl-only functions (the reference, and the baseline here) and through their
// asynchronous variants (the engine's native WebCrypto Ed25519 / X25519, AES-256-GCM
// for files), which the client uses.
//
//   a. open a page of 100 messages (2 senders, 1-200 characters), in order: openMessage x100
//      vs openMessageAsync x100                                        target <= 0.3 s at Safer
//   b. seal one message: sealMessage vs sealMessageAsync              target <= 20 ms at Safer
//   c. the client crypto of a log-in with 5 conversations, part by part (PBKDF2 at the
//      default iterations, own v2 keys record, key bundle, ML-KEM keys from the seed,
//      5 hybrid v2 room keys; the contacts' v2 records separately)    target <= 1 s at Safer
//   d. file encryption, chunk by chunk: v1 (secretbox) vs v2 (AES-GCM) target >= 40 MiB/s at Safer
//   e. the longest main-thread block while opening the page of messages
//   f. nativeSupport() and the Firefox version
//
// Usage (from the repo root):
//   npm run bench:firefox                 # = node bench/firefox-crypto.mjs
//   node bench/firefox-crypto.mjs [--levels Standard,Safer] [--rooms 5] [--json FILE]
//                                 [--quick] [--timeout-min 15] [--verbose]
// FIREFOX_PATH overrides /usr/bin/firefox-esr. The page is bundled from protocol/dist
// (run `npm run build -w protocol` first) and served on 127.0.0.1 at a random port.
// Exits non-zero on any failure or when the run exceeds --timeout-min.
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { bundlePage, servePage } from './lib/bench-page-server.mjs';
import { FIREFOX_PATH, LEVEL_PREFS, launchFirefox } from './lib/firefox.mjs';
import { loginMaterial } from './lib/login-material.mjs';
import { machine } from './lib/machine.mjs';

const MESSAGES = 100;

/** How much of each measurement a level gets: enough to be stable, a few minutes in all at Safer. */
const PLANS = {
  Standard: {
    openRuns: 10,
    openWarmup: { full: 2 },
    responsivenessRuns: 5,
    sealRuns: 200,
    sealWarmup: 30,
    sealBudgetMs: 4000,
    loginRuns: 5,
    fileRuns: 5,
    fileMib: { 1: 8, 2: 8 },
    fileWarmupMib: 1,
  },
  Safer: {
    openRuns: 5,
    openWarmup: { limit: 10 },
    responsivenessRuns: 5,
    sealRuns: 15,
    sealWarmup: 1,
    sealBudgetMs: 5000,
    loginRuns: 5,
    fileRuns: 3,
    fileMib: { 1: 4, 2: 8 },
    fileWarmupMib: 0,
  },
};
const QUICK_PLAN = {
  openRuns: 1,
  openWarmup: { limit: 2 },
  responsivenessRuns: 1,
  sealRuns: 3,
  sealWarmup: 1,
  sealBudgetMs: 1000,
  loginRuns: 1,
  fileRuns: 1,
  fileMib: { 1: 1, 2: 2 },
  fileWarmupMib: 0,
};

const TARGETS = {
  openPage: { ms: 300, text: '≤ 300 ms' },
  seal: { ms: 20, text: '≤ 20 ms' },
  login: { ms: 1000, text: '≤ 1 s' },
  fileEncrypt: { mibPerS: 40, text: '≥ 40 MiB/s' },
};

const args = parseArgs(process.argv.slice(2));

function parseArgs(argv) {
  const out = { levels: ['Standard', 'Safer'], rooms: 5, json: null, quick: false, timeoutMin: 15, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--levels') out.levels = String(argv[++i]).split(',');
    else if (flag === '--rooms') out.rooms = Number(argv[++i]);
    else if (flag === '--json') out.json = argv[++i];
    else if (flag === '--quick') out.quick = true;
    else if (flag === '--timeout-min') out.timeoutMin = Number(argv[++i]);
    else if (flag === '--verbose') out.verbose = true;
    else usage(`unknown argument ${flag}`);
  }
  if (out.levels.some((level) => !(level in LEVEL_PREFS))) usage(`levels are ${Object.keys(LEVEL_PREFS).join(', ')}`);
  if (!(Number.isInteger(out.rooms) && out.rooms >= 1)) usage('--rooms must be a positive integer');
  if (!(out.timeoutMin > 0)) usage('--timeout-min must be positive');
  if (out.json === undefined) usage('--json needs a file name');
  return out;
}

function usage(problem) {
  console.error(problem);
  console.error(
    'usage: node bench/firefox-crypto.mjs [--levels Standard,Safer] [--rooms N] [--json FILE] [--quick] [--timeout-min M] [--verbose]',
  );
  process.exit(2);
}

const log = (text) => process.stderr.write(`${text}\n`);

// ---------------------------------------------------------------------------------
// Everything this run starts is stopped on the way out, whatever the way out is.

const closers = [];
let finishing = false;

async function closeAll() {
  while (closers.length > 0) {
    const close = closers.pop();
    await Promise.race([close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
}

async function fail(message) {
  if (finishing) return;
  finishing = true;
  console.error(`firefox-crypto: ${message}`);
  await closeAll();
  process.exit(1);
}

const watchdog = setTimeout(
  () => void fail(`the run took longer than ${args.timeoutMin} minutes; stopped`),
  args.timeoutMin * 60_000,
);
process.on('SIGINT', () => void fail('interrupted'));
process.on('SIGTERM', () => void fail('terminated'));

// ---------------------------------------------------------------------------------
// Statistics

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { n: samples.length, median, mean, min: sorted[0], max: sorted.at(-1), first: samples[0] };
}

/** Throughput figures of `runs` ({ ms, mib }): the median run, the mean of the runs. */
function throughput(runs) {
  return stats(runs.map((run) => run.mib / (run.ms / 1000)));
}

// ---------------------------------------------------------------------------------
// One level

async function measureLevel(level, url) {
  const plan = args.quick ? QUICK_PLAN : PLANS[level];
  log(`\n[${level}] launching ${FIREFOX_PATH}`);
  const firefox = await launchFirefox(level, { protocolTimeoutMs: 10 * 60_000 });
  closers.push(firefox.close);
  const { page } = firefox;
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error?.message ?? error)));
  page.on('console', (message) => {
    if (args.verbose || message.type() === 'error') log(`  [page ${message.type()}] ${message.text()}`);
  });
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => globalThis.onionBenchReady === true, { timeout: 60_000 });
  } catch (error) {
    throw new Error(`the benchmark page did not start: ${pageErrors.join('; ') || error.message}`, { cause: error });
  }
  const call = async (name, arg = {}) => {
    try {
      return await page.evaluate((fn, input) => globalThis.onionBench[fn](input), name, arg);
    } catch (error) {
      throw new Error(
        `${name} failed in the page: ${error.message}${pageErrors.length ? ` (${pageErrors.join('; ')})` : ''}`,
        { cause: error },
      );
    }
  };

  // f. The engine (the nativeSupport() probe runs first here, and is timed).
  const engine = await call('info');
  log(`[${level}] Firefox ${firefox.version}; nativeSupport() ${JSON.stringify(engine.native)}`);
  if (!engine.isSecureContext) throw new Error('the page is not a secure context: no WebCrypto');

  // a. A page of messages.
  const thread = await call('prepareMessages', { count: MESSAGES });
  const cold = await call('openPage', { path: 'native' });
  log(`[${level}] a. open ${MESSAGES} messages: first page natively ${fmtMs(cold.totalMs)} ms`);
  for (let i = 0; i < (plan.openWarmup.full ?? 0); i++) {
    await call('openPage', { path: 'baseline' });
    await call('openPage', { path: 'native' });
  }
  if (plan.openWarmup.limit) await call('openPage', { path: 'baseline', limit: plan.openWarmup.limit });
  const open = { baseline: [], native: [] };
  for (let i = 0; i < plan.openRuns; i++) {
    for (const path of i % 2 ? ['native', 'baseline'] : ['baseline', 'native']) {
      open[path].push(await call('openPage', { path }));
    }
    log(
      `[${level}]    run ${i + 1}/${plan.openRuns}: baseline ${fmtMs(open.baseline.at(-1).totalMs)} ms, native ${fmtMs(open.native.at(-1).totalMs)} ms`,
    );
  }
  if (level === 'Safer' && stats(open.baseline.map((r) => r.totalMs)).median < 10 * MESSAGES) {
    log(`[${level}] WARNING: tweetnacl opens a message in under 10 ms: the JIT does not look switched off`);
  }

  // e. Responsiveness while opening the page natively.
  const responsive = [];
  for (let i = 0; i < plan.responsivenessRuns; i++) responsive.push(await call('responsiveness', { path: 'native' }));
  log(
    `[${level}] e. longest block while opening natively: ${responsive.map((r) => fmtMs(r.longestGapMs)).join(', ')} ms`,
  );

  // b. Sealing one message.
  const seal = await call('sealRuns', { runs: plan.sealRuns, warmup: plan.sealWarmup, budgetMs: plan.sealBudgetMs });
  log(`[${level}] b. seal: ${seal.native.length} runs each`);

  // c. Log-in.
  const login = { baseline: [], native: [] };
  for (let i = 0; i < plan.loginRuns; i++) {
    // A fresh account for every log-in: see login-material.mjs.
    for (const path of i % 2 ? ['native', 'baseline'] : ['baseline', 'native']) {
      await call('loadLogin', { material: await loginMaterial(args.rooms) });
      login[path].push(await call('login', { path }));
    }
    log(
      `[${level}] c. log-in ${i + 1}/${plan.loginRuns}: baseline ${fmtMs(login.baseline.at(-1).totalMs)} ms, native ${fmtMs(login.native.at(-1).totalMs)} ms`,
    );
  }

  // d. Files: v2 (AES-GCM) is the native path, v1 (tweetnacl secretbox) the baseline.
  const files = {};
  for (const version of [2, 1]) {
    if (plan.fileWarmupMib) {
      await call('encryptFile', { version, mib: plan.fileWarmupMib });
      await call('decryptFile', { version });
    }
    files[version] = { encrypt: [], decrypt: [] };
    for (let i = 0; i < plan.fileRuns; i++) {
      files[version].encrypt.push(await call('encryptFile', { version, mib: plan.fileMib[version] }));
      files[version].decrypt.push(await call('decryptFile', { version }));
    }
    log(`[${level}] d. file v${version}: ${fmtRate(throughput(files[version].encrypt).median)} MiB/s encrypting`);
  }

  if (pageErrors.length > 0) throw new Error(`errors in the page: ${pageErrors.join('; ')}`);
  await firefox.close();
  closers.splice(closers.indexOf(firefox.close), 1);
  return summarize(level, firefox.version, engine, thread, cold, open, responsive, seal, login, files, plan);
}

function summarize(level, version, engine, thread, cold, open, responsive, seal, login, files, plan) {
  const partNames = ['kdf', 'ownRecord', 'bundle', 'kemKeys', 'roomKeys', 'contacts'];
  const loginStats = (path) => {
    const runs = login[path];
    const parts = Object.fromEntries(partNames.map((part) => [part, stats(runs.map((run) => run.parts[part]))]));
    const briefTotal = (run) => run.totalMs - run.parts.contacts;
    return {
      total: stats(runs.map(briefTotal)),
      withContacts: stats(runs.map((run) => run.totalMs)),
      withoutKdf: stats(runs.map((run) => briefTotal(run) - run.parts.kdf)),
      parts,
    };
  };
  return {
    level,
    prefs: LEVEL_PREFS[level],
    firefox: version,
    engine,
    plan,
    thread,
    openPage: {
      baseline: stats(open.baseline.map((r) => r.totalMs)),
      native: stats(open.native.map((r) => r.totalMs)),
      nativeFirstPage: cold.totalMs,
      baselineLongestOneMs: Math.max(...open.baseline.map((r) => r.longestOneMs)),
    },
    responsiveness: {
      nativeLongestGap: stats(responsive.map((r) => r.longestGapMs)),
      idleLongestGap: stats(responsive.map((r) => r.idleLongestGapMs)),
      nativeTotalWithTicker: stats(responsive.map((r) => r.totalMs)),
    },
    seal: { baseline: stats(seal.baseline), native: stats(seal.native) },
    login: { rooms: args.rooms, baseline: loginStats('baseline'), native: loginStats('native') },
    files: Object.fromEntries(
      Object.entries(files).map(([v, runs]) => [
        `v${v}`,
        {
          mib: runs.encrypt[0].mib,
          encrypt: throughput(runs.encrypt),
          decrypt: throughput(runs.decrypt),
        },
      ]),
    ),
  };
}

// ---------------------------------------------------------------------------------
// The table

function fmtMs(ms) {
  const digits = ms < 10 ? 2 : ms < 100 ? 1 : 0;
  return ms.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
const fmtRate = (mibPerS) => mibPerS.toLocaleString('en', { maximumFractionDigits: mibPerS < 10 ? 2 : 1 });
const msCell = (s) => `${fmtMs(s.median)} (${fmtMs(s.mean)})`;
/** For the longest block, where the worst run matters more than the mean. */
const spreadCell = (s) => `${fmtMs(s.median)} (max ${fmtMs(s.max)})`;
const rateCell = (s) => `${fmtRate(s.median)} (${fmtRate(s.mean)})`;
const times = (baseline, native) => `x${(baseline / native).toLocaleString('en', { maximumFractionDigits: 1 })}`;

function rows(r) {
  const b = r.login.baseline;
  const n = r.login.native;
  const rooms = r.login.rooms;
  const out = [];
  const ms = (op, runs, base, nat, target) =>
    out.push([
      op,
      String(runs),
      base ? msCell(base) : 'same',
      msCell(nat),
      base ? times(base.median, nat.median) : '',
      target?.text ?? '',
      target ? (nat.median <= target.ms ? 'yes' : 'NO') : '',
    ]);
  ms(
    `a. open ${MESSAGES} messages, in order (ms)`,
    r.openPage.native.n,
    r.openPage.baseline,
    r.openPage.native,
    TARGETS.openPage,
  );
  out.push([
    '   first page after load, native (ms)',
    '1',
    '',
    fmtMs(r.openPage.nativeFirstPage),
    '',
    TARGETS.openPage.text,
    r.openPage.nativeFirstPage <= TARGETS.openPage.ms ? 'yes' : 'NO',
  ]);
  const perMessage = (s) => ({ ...s, median: s.median / MESSAGES, mean: s.mean / MESSAGES });
  ms('   per message (ms)', r.openPage.native.n, perMessage(r.openPage.baseline), perMessage(r.openPage.native));
  out.push([
    'e. longest main-thread block, opening (ms)',
    String(r.responsiveness.nativeLongestGap.n),
    `max ${fmtMs(r.openPage.baselineLongestOneMs)} per msg`,
    spreadCell(r.responsiveness.nativeLongestGap),
    '',
    '',
    '',
  ]);
  out.push([
    '   the ticker alone, page idle (ms)',
    String(r.responsiveness.idleLongestGap.n),
    '',
    spreadCell(r.responsiveness.idleLongestGap),
    '',
    '',
    '',
  ]);
  ms('b. seal one message (ms)', r.seal.native.n, r.seal.baseline, r.seal.native, TARGETS.seal);
  ms(`c. log-in, ${rooms} conversations (ms)`, n.total.n, b.total, n.total, TARGETS.login);
  ms('   deriveAccountKeys, PBKDF2 (native both)', n.total.n, b.parts.kdf, n.parts.kdf);
  ms('   decodePublicKeys, own v2 record', n.total.n, b.parts.ownRecord, n.parts.ownRecord);
  ms('   openKeyBundle', n.total.n, b.parts.bundle, n.parts.bundle);
  ms('   addKemKeys, ML-KEM keygen (JS both)', n.total.n, b.parts.kemKeys, n.parts.kemKeys);
  ms(`   openRoomKey v2 x${rooms} (ML-KEM JS both)`, n.total.n, b.parts.roomKeys, n.parts.roomKeys);
  ms('   log-in without PBKDF2', n.total.n, b.withoutKdf, n.withoutKdf);
  ms(`   + decodePublicKeys, ${rooms} contacts' v2`, n.total.n, b.parts.contacts, n.parts.contacts);
  ms('   log-in with contacts’ records', n.total.n, b.withContacts, n.withContacts);
  const v1 = r.files.v1;
  const v2 = r.files.v2;
  for (const [what, target] of [
    ['encrypt', TARGETS.fileEncrypt],
    ['decrypt', null],
  ]) {
    out.push([
      `d. file ${what} v1 ${v1.mib} MiB / v2 ${v2.mib} MiB (MiB/s)`,
      String(v2[what].n),
      rateCell(v1[what]),
      rateCell(v2[what]),
      times(v2[what].median, v1[what].median),
      target?.text ?? '',
      target ? (v2[what].median >= target.mibPerS ? 'yes' : 'NO') : '',
    ]);
  }
  return out;
}

function printLevel(r) {
  const head = ['operation', 'runs', 'tweetnacl baseline', 'native path', 'speed-up', 'target', 'met'];
  const body = rows(r);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const prefs = Object.keys(r.prefs).length
    ? Object.entries(r.prefs)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')
    : 'default preferences';
  console.log(`\n${r.level}: Firefox ${r.firefox}, ${prefs}`);
  console.log(
    `nativeSupport() ${JSON.stringify(r.engine.native)} (probe ${fmtMs(r.engine.probeMs)} ms); ` +
      `timer step ${fmtMs(r.engine.timerResolutionMs)} ms; longtask observer ${r.engine.longtaskObserver ? 'yes' : 'no'}`,
  );
  console.log('median (mean) per run, e: median (max); targets are for Safer; "met" judges the native path');
  console.log(line(head));
  for (const row of body) console.log(line(row));
}

// ---------------------------------------------------------------------------------

async function main() {
  const dist = fileURLToPath(new URL('../protocol/dist/index.js', import.meta.url));
  if (!existsSync(dist)) throw new Error('protocol/dist is missing: run `npm run build -w protocol` first');
  if (!existsSync(FIREFOX_PATH)) throw new Error(`no Firefox at ${FIREFOX_PATH} (set FIREFOX_PATH)`);
  const started = Date.now();
  const loadAtStart = os.loadavg()[0];
  const bundle = await bundlePage();
  for (const warning of bundle.warnings) log(`rolldown: ${warning}`);
  const server = await servePage(bundle.code);
  closers.push(server.close);
  log(`page: ${server.url} (${Math.round(bundle.bytes / 1024)} KiB script)`);

  const results = [];
  for (const level of args.levels) results.push(await measureLevel(level, server.url));
  await closeAll();
  clearTimeout(watchdog);

  const info = { ...machine(), loadAverage: { start: loadAtStart, end: os.loadavg()[0] } };
  console.log(
    `\nOnionChat client crypto in Firefox ESR: ${info.cpu} x${info.logicalCpus}, ${info.platform}, ` +
      `${MESSAGES} messages, ${args.rooms} conversations, ${Math.round((Date.now() - started) / 1000)} s, ` +
      `load average ${fmtRate(loadAtStart)} at the start, ${fmtRate(info.loadAverage.end)} at the end`,
  );
  for (const r of results) printLevel(r);
  console.log(
    `\na: ${MESSAGES} envelopes (v2) from 2 senders, ${results[0].thread.textChars.min}-${results[0].thread.textChars.max} characters, ` +
      'opened one after the other.\ne: baseline = the longest single openMessage (the whole page is one block unless the ' +
      'client yields between messages); native = the longest gap between turns of a MessageChannel ticker.',
  );
  if (args.json) {
    writeFileSync(args.json, `${JSON.stringify({ machine: info, results }, null, 2)}\n`);
    log(`wrote ${args.json}`);
  }
}

main().then(
  () => process.exit(0),
  (error) => fail(error?.stack ?? String(error)),
);
