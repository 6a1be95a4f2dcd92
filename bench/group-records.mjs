#!/usr/bin/env node
// Group records benchmark: what the server's check of a group record (PROTOCOL.md §19)
// costs, with the server's path (applyGroupRecordAsync: native Ed25519 through
// WebCrypto) timed next to the same check with tweetnacl (applyGroupRecord, the
// synchronous driver) as the baseline, in the same run:
//   - one record on top of a verified state, as POST .../records checks it
//     (groups.service.ts, with GROUP_MAX_MEMBERS as the limit): a create, an add, a
//     remove and a rename, for a group of 3 members and one of 100 (the default
//     GROUP_MAX_MEMBERS); the large group's create carries 100 entries, its add
//     brings a state of 99 members to 100
//   - the signature alone of that 100-entry create (verifyGroupRecordSignature[Async]),
//     to show what the rest of the check costs
//   - replaying a whole chain (default 200 records: a create of 100, then removes,
//     adds, renames and role changes by 4 admins in turn) from nothing, record by
//     record, as GroupStates.current does when its cache (GROUP_STATE_CACHE_ENTRIES)
//     does not hold the group, with the protocol's highest member limit
//
// Usage (from the repo root, after `npm run build -w protocol`):
//   node bench/group-records.mjs [--json] [--runs N] [--budget SECONDS]
//                                [--records N] [--replay-runs N] [--replay-budget SECONDS]
//   node --jitless bench/group-records.mjs ...   # no JIT, for comparison
//   npm run bench:group-records                  # both modes
//
// Every record is signed with a real key and checked to pass on both paths, with the
// same resulting state, before anything is timed. Each single-record pair is warmed
// up (one round with --jitless, up to 100 rounds or 1.5 s with the JIT), then runs
// tweetnacl and native in turn (so load from other processes hits both alike) up to
// --runs times each (default 100, or 15 with --jitless) or until it has spent its
// share of --budget (default 30 s for all of them). The replay runs one warm-up round
// with the JIT (none without: the single records have warmed the code), then up to
// --replay-runs rounds (default 10, or 3 with --jitless) within --replay-budget
// (default 45 s). Reported: median, p90 (nearest rank) and min in milliseconds, and
// tweetnacl / native of the medians and of the minimums (the speed-up).
import { machine } from './lib/machine.mjs';

const protocol = await import('../protocol/dist/index.js').catch(() => {
  console.error('protocol/dist is missing: run `npm run build -w protocol` first.');
  process.exit(1);
});

const info = machine();
const args = parseArgs(process.argv.slice(2));

function parseArgs(argv) {
  const out = {
    json: false,
    runs: info.jitless ? 15 : 100,
    budgetS: 30,
    records: 200,
    replayRuns: info.jitless ? 3 : 10,
    replayBudgetS: 45,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = () => Number(argv[++i]);
    if (flag === '--json') out.json = true;
    else if (flag === '--runs') out.runs = next();
    else if (flag === '--budget') out.budgetS = next();
    else if (flag === '--records') out.records = next();
    else if (flag === '--replay-runs') out.replayRuns = next();
    else if (flag === '--replay-budget') out.replayBudgetS = next();
    else {
      console.error(`unknown argument ${flag}`);
      process.exit(2);
    }
  }
  const counts = [out.runs, out.replayRuns, out.records];
  if (!(counts.every((n) => Number.isInteger(n) && n >= 1) && out.budgetS > 0 && out.replayBudgetS > 0)) {
    console.error('--runs, --replay-runs and --records must be positive integers, the budgets positive');
    process.exit(2);
  }
  if (out.records < 2) {
    console.error('--records must be at least 2 (a create and one change)');
    process.exit(2);
  }
  return out;
}

// Without native Ed25519 the "native" path would be tweetnacl too: nothing to compare.
const support = await protocol.nativeSupport();
if (!support.ed25519) {
  console.error(`This Node (${info.node}) has no Ed25519 in WebCrypto: the server's path would run tweetnacl.`);
  process.exit(1);
}

const SMALL = 3;
const LARGE = protocol.GROUP_MAX_MEMBERS;
const STARTS_EPOCH = new Set(['create', 'add', 'remove', 'leave']);
const ZERO_KEY = new Uint8Array(32);
const NO_INFO = new Uint8Array(0);
// What a client puts in a create, add, remove or rename: the group's name, sealed.
const GROUP_INFO = protocol.sealGroupInfo({ name: 'Station crew' }, protocol.newRoomKey());
const SENT_AT = Date.now();

/** Someone with real keys (no ML-KEM key: a group record carries only the signing key). */
let made = 0;
async function person() {
  const identity = await protocol.identityFromSeedsAsync(
    `bench_member_${++made}`,
    protocol.randomBytes(protocol.BOX_SECRET_KEY_BYTES),
    protocol.randomBytes(protocol.SIGN_SEED_BYTES),
  );
  return { id: protocol.newUuid(), identity };
}
const people = (n) => Promise.all(Array.from({ length: n }, person));

/** An entry of a create or an add: the role and the signing key. */
const joining = (who, role = 'member') => ({ userId: who.id, role, signPublicKey: who.identity.signPublicKey });
/** An entry of a remove (role none) or a role change: no key. */
const changing = (userId, role = 'none') => ({ userId, role, signPublicKey: ZERO_KEY });

/** The signed record following `state` (null: the first), by `signer`. */
function recordAfter(state, roomId, signer, action, entries = []) {
  const index = state === null ? 0 : state.index + 1;
  const epoch = (state?.epoch ?? 0) + (STARTS_EPOCH.has(action) ? 1 : 0);
  const fields = {
    roomId,
    index,
    previous: state?.head ?? new Uint8Array(32),
    signerId: signer.id,
    epoch,
    sentAt: SENT_AT + index,
    action,
    entries,
    info: action === 'leave' || action === 'role' ? NO_INFO : GROUP_INFO,
  };
  return protocol.signGroupRecordAsync(fields, signer.identity);
}

/** The server's check of a new record: its configured member limit (the default here). */
const checkLimit = (roomId) => ({ roomId, maxMembers: protocol.GROUP_MAX_MEMBERS });
/** The server's replay of filed records: the protocol's highest limit (group-states.ts). */
const replayLimit = (roomId) => ({ roomId, maxMembers: protocol.GROUP_RECORD_MAX_ENTRIES });

/**
 * A group of `size` with `admins` admins (the creator first): its create record and
 * the state after it.
 */
async function newGroup(size, admins) {
  const roomId = protocol.newUuid();
  const members = await people(size);
  const entries = members.map((who, i) => joining(who, i < admins ? 'admin' : 'member'));
  const create = await recordAfter(null, roomId, members[0], 'create', entries);
  const state = await protocol.applyGroupRecordAsync(null, create, checkLimit(roomId));
  return { roomId, members, signers: members.slice(0, admins), create, state };
}

/** One record on top of `state`: what the server checks when a member posts it. */
function single(name, group, state, record) {
  const expected = checkLimit(group.roomId);
  return {
    name,
    group: `${group.members.length} members`,
    bytes: record.length,
    sync: () => protocol.applyGroupRecord(state, record, expected),
    native: () => protocol.applyGroupRecordAsync(state, record, expected),
  };
}

async function singleRecordPairs() {
  const pairs = [];
  for (const size of [SMALL, LARGE]) {
    const group = await newGroup(size, 1);
    const creator = group.members[0];
    const full = group.state;
    const removal = await recordAfter(full, group.roomId, creator, 'remove', [changing(group.members[1].id)]);
    const oneLess = await protocol.applyGroupRecordAsync(full, removal, checkLimit(group.roomId));
    // The large group is full: an add goes on top of one member less. The small one has room.
    const addOnto = size === LARGE ? oneLess : full;
    const newcomer = await person();
    const add = await recordAfter(addOnto, group.roomId, creator, 'add', [joining(newcomer)]);
    const rename = await recordAfter(full, group.roomId, creator, 'rename');
    pairs.push(
      single('create', group, null, group.create),
      single('add', group, addOnto, add),
      single('remove', group, full, removal),
      single('rename', group, full, rename),
    );
    if (size === LARGE) {
      const key = creator.identity.signPublicKey;
      pairs.push({
        name: 'create: signature only',
        group: `${LARGE} members`,
        bytes: group.create.length,
        sync: () => protocol.verifyGroupRecordSignature(group.create, key),
        native: () => protocol.verifyGroupRecordSignatureAsync(group.create, key),
      });
    }
  }
  return pairs;
}

/**
 * A chain of `length` records: a create of LARGE members with 4 admins, then in turn
 * a remove (the longest-standing member who is not a signer), an add (someone new), a
 * rename and a role change (a member made admin, or an admin made member again), each
 * signed by the next of the 4 admins. The group stays at LARGE - 1 to LARGE members.
 */
async function newChain(length) {
  const group = await newGroup(LARGE, 4);
  const records = [group.create];
  const signerIds = new Set(group.signers.map((who) => who.id));
  const newcomers = await people(Math.ceil(length / 4));
  const kinds = ['remove', 'add', 'rename', 'role'];
  let state = group.state;
  for (let i = 1; i < length; i++) {
    const signer = group.signers[i % group.signers.length];
    const others = [...state.members.values()].filter((member) => !signerIds.has(member.userId));
    const kind = kinds[(i - 1) % kinds.length];
    let entries = [];
    if (kind === 'remove') entries = [changing(others[0].userId)];
    if (kind === 'add') entries = [joining(newcomers.pop())];
    if (kind === 'role') {
      const member = others[i % others.length];
      entries = [changing(member.userId, member.role === 'admin' ? 'member' : 'admin')];
    }
    const record = await recordAfter(state, group.roomId, signer, kind, entries);
    state = await protocol.applyGroupRecordAsync(state, record, checkLimit(group.roomId));
    records.push(record);
  }
  const expected = replayLimit(group.roomId);
  const bytes = records.reduce((sum, record) => sum + record.length, 0);
  return {
    name: `replay ${length} records`,
    group: `${LARGE} members`,
    bytes,
    last: state,
    sync: () => {
      let replayed = null;
      for (const record of records) replayed = protocol.applyGroupRecord(replayed, record, expected);
      return replayed;
    },
    native: async () => {
      let replayed = null;
      for (const record of records) replayed = await protocol.applyGroupRecordAsync(replayed, record, expected);
      return replayed;
    },
  };
}

/** Both paths must pass and agree before a figure is taken. */
async function checkPair(pair) {
  const fromSync = pair.sync();
  const fromNative = await pair.native();
  if (typeof fromSync === 'boolean') {
    if (!(fromSync && fromNative)) throw new Error(`${pair.name} (${pair.group}): a signature did not verify`);
    return;
  }
  const same =
    fromSync.index === fromNative.index &&
    protocol.equalBytes(fromSync.head, fromNative.head) &&
    fromSync.members.size === fromNative.members.size;
  if (!same) throw new Error(`${pair.name} (${pair.group}): the two paths disagree`);
  if (pair.last && !protocol.equalBytes(fromSync.head, pair.last.head)) {
    throw new Error(`${pair.name}: the replay did not arrive at the chain's last state`);
  }
  pair.members = fromSync.members.size;
}

// With the JIT, timings settle only after some 50 to 100 calls (its optimizing tier
// compiles tweetnacl's loops late); without it, one round fills the caches. A replay
// is 200 calls already: one round with the JIT, none without.
const WARM_UP = info.jitless ? { rounds: 1, ms: 0 } : { rounds: 100, ms: 1500 };
const REPLAY_WARM_UP = info.jitless ? { rounds: 0, ms: 0 } : { rounds: 1, ms: 0 };

async function measure(pair, shareMs, runs, warmUp) {
  const warmUntil = performance.now() + warmUp.ms;
  for (let i = 0; i < warmUp.rounds && (i === 0 || performance.now() < warmUntil); i++) {
    pair.sync();
    await pair.native();
  }
  const times = { sync: [], native: [] };
  const started = performance.now();
  while (times.native.length < runs && (times.native.length === 0 || performance.now() - started < shareMs)) {
    let t0 = performance.now();
    pair.sync();
    times.sync.push(performance.now() - t0);
    t0 = performance.now();
    await pair.native();
    times.native.push(performance.now() - t0);
  }
  const sync = stats(times.sync);
  const native = stats(times.native);
  return {
    name: pair.name,
    group: pair.group,
    members: pair.members,
    bytes: pair.bytes,
    runs: times.native.length,
    tweetnacl: sync,
    native,
    speedUp: round(sync.medianMs / native.medianMs),
    minSpeedUp: round(sync.minMs / native.minMs),
  };
}

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { medianMs: round(median), p90Ms: round(at(0.9)), minMs: round(sorted[0]), maxMs: round(sorted.at(-1)) };
}

// Two decimals for small figures, three significant digits for large ones.
const round = (ms) => (ms >= 100 ? Math.round(ms) : Math.round(ms * 100) / 100);
const fmt = (ms) => ms.toLocaleString('en', { maximumFractionDigits: 2 });

function printTable(results) {
  const mode = info.jitless ? 'node --jitless' : 'node';
  console.log(`Group records benchmark: ${mode} ${info.node}, ${info.cpu} x${info.logicalCpus}, ${info.platform}`);
  console.log(
    'milliseconds per check; tweetnacl = applyGroupRecord (sync), native = applyGroupRecordAsync (WebCrypto Ed25519)',
  );
  const head = [
    'operation',
    'group',
    'after',
    'bytes',
    'runs',
    'nacl median',
    'nacl p90',
    'nacl min',
    'native median',
    'native p90',
    'native min',
    'speed-up',
    'speed-up min',
  ];
  const rows = results.map((r) => [
    r.name,
    r.group,
    r.members === undefined ? '' : String(r.members),
    r.bytes.toLocaleString('en'),
    String(r.runs),
    fmt(r.tweetnacl.medianMs),
    fmt(r.tweetnacl.p90Ms),
    fmt(r.tweetnacl.minMs),
    fmt(r.native.medianMs),
    fmt(r.native.p90Ms),
    fmt(r.native.minMs),
    `x${fmt(r.speedUp)}`,
    `x${fmt(r.minSpeedUp)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
  console.log('  after: members in the state the check returns; bytes: the record (the whole chain for a replay)');
}

const log = (text) => args.json || process.stderr.write(`${text}\n`);
log('building records...');
const singles = await singleRecordPairs();
const replay = await newChain(args.records);
for (const pair of [...singles, replay]) await checkPair(pair);

const results = [];
const shareMs = (args.budgetS * 1000) / singles.length;
for (const pair of singles) {
  log(`measuring ${pair.name}, ${pair.group}...`);
  results.push(await measure(pair, shareMs, args.runs, WARM_UP));
}
log(`measuring ${replay.name}...`);
results.push(await measure(replay, args.replayBudgetS * 1000, args.replayRuns, REPLAY_WARM_UP));

if (args.json) {
  const settings = { ...args, json: undefined, native: support };
  console.log(JSON.stringify({ machine: info, settings, results }, null, 2));
} else printTable(results);
