// Runs in the browser (bundled by bench-page-server.mjs): the client's cryptography
// through the built protocol package, each operation twice, once through the
// synchronous tweetnacl-only functions (the baseline) and once through their
// asynchronous variants (native WebCrypto Ed25519 / X25519 where the engine has them,
// AES-256-GCM for files). bench/firefox-crypto.mjs calls what this exposes on
// globalThis.onionBench, one measurement at a time, and does the statistics.
// Every result is checked (texts, keys, file bytes), so no figure is that of a failing call.
import * as P from '../../protocol/dist/index.js';

const now = () => performance.now();
const EPOCH = 1;

// ---------------------------------------------------------------------------------
// f. The engine

/** What the page runs on; the first call of nativeSupport() (its probe) is timed here. */
async function info() {
  const t0 = now();
  const native = await P.nativeSupport();
  const probeMs = now() - t0;
  return {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    isSecureContext: globalThis.isSecureContext,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    timerResolutionMs: timerResolution(),
    longtaskObserver: (globalThis.PerformanceObserver?.supportedEntryTypes ?? []).includes('longtask'),
    native,
    probeMs,
  };
}

/** The smallest step performance.now() takes here (Firefox coarsens it unless the page is isolated). */
function timerResolution() {
  let smallest = Infinity;
  for (let i = 0; i < 50; i++) {
    const a = now();
    let b = now();
    while (b === a) b = now();
    smallest = Math.min(smallest, b - a);
  }
  return smallest;
}

// ---------------------------------------------------------------------------------
// a, e. A page of messages

let thread = null;

/** A small deterministic PRNG, so every run and level opens the same texts. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'ok yes no see you at the station six tomorrow bring maps did it arrive call me later ' +
  'the meeting moved to thursday thanks café déjà vu ☕ sounds good where are you now 🙂 ' +
  'I think we should wait until the weekend before deciding anything about the trip'
).split(' ');

/** Chat-like lengths from 1 to 200 characters: mostly short, some long. */
function chatText(random) {
  const roll = random();
  const target =
    roll < 0.45
      ? 1 + Math.floor(random() * 30)
      : roll < 0.85
        ? 30 + Math.floor(random() * 70)
        : 100 + Math.floor(random() * 101);
  let text = '';
  while (text.length < target) text += (text ? ' ' : '') + WORDS[Math.floor(random() * WORDS.length)];
  return text.slice(0, target);
}

/** `count` distinct envelopes (v2) from two senders taking turns irregularly, sealed natively. */
async function prepareMessages({ count }) {
  const random = mulberry32(20240611);
  const roomId = P.newUuid();
  const roomKey = P.newRoomKey();
  const senders = [];
  for (const name of ['bench_alice', 'bench_bob']) {
    const identity = await P.identityFromSeedsAsync(name, P.randomBytes(32), P.randomBytes(32));
    senders.push({ id: P.newUuid(), identity, keys: { signPublicKey: identity.signPublicKey } });
  }
  const messages = [];
  const start = Date.now() - count * 60_000;
  for (let i = 0; i < count; i++) {
    const sender = senders[random() < 0.5 ? 0 : 1];
    const text = chatText(random);
    const header = { roomId, epoch: EPOCH, senderId: sender.id, messageId: P.newUuid(), sentAt: start + i * 60_000 };
    const envelope = await P.sealMessageAsync(header, { type: 'text', text }, roomKey, sender.identity);
    messages.push({ envelope, text, sender });
  }
  thread = { roomId, roomKey, messages };
  const lengths = messages.map((m) => m.text.length);
  const sizes = messages.map((m) => m.envelope.length);
  return {
    count,
    textChars: { min: Math.min(...lengths), max: Math.max(...lengths), mean: lengths.reduce((a, b) => a + b) / count },
    envelopeBytes: { min: Math.min(...sizes), max: Math.max(...sizes) },
    fromFirstSender: messages.filter((m) => m.sender === senders[0]).length,
  };
}

/**
 * Opens the page's messages in order, one after the other, as the client does:
 * `baseline` with openMessage (tweetnacl), `native` with openMessageAsync.
 */
async function openPage({ path, limit = Infinity }) {
  const messages = thread.messages.slice(0, limit);
  const opened = [];
  const each = [];
  const t0 = now();
  for (const m of messages) {
    const t = now();
    const context = { roomId: thread.roomId, epoch: EPOCH, senderId: m.sender.id };
    opened.push(
      path === 'baseline'
        ? P.openMessage(m.envelope, context, thread.roomKey, m.sender.keys)
        : await P.openMessageAsync(m.envelope, context, thread.roomKey, m.sender.keys),
    );
    each.push(now() - t);
  }
  const totalMs = now() - t0;
  opened.forEach((o, i) => {
    if (o.body.text !== messages[i].text) throw new Error(`message ${i} opened to another text (${path})`);
  });
  return { totalMs, count: messages.length, longestOneMs: Math.max(...each) };
}

/**
 * A MessageChannel ticker: a task that queues itself again at once. The longest gap
 * between two of its turns is the longest the page could not react to anything
 * (an input event, a repaint) while other work ran.
 */
function startTicker() {
  const channel = new MessageChannel();
  let last = now();
  let longest = 0;
  let turns = 0;
  let running = true;
  channel.port1.onmessage = () => {
    const t = now();
    longest = Math.max(longest, t - last);
    last = t;
    turns++;
    if (running) channel.port2.postMessage(0);
  };
  channel.port2.postMessage(0);
  return async () => {
    running = false;
    // Let the last queued turn land, so the stretch up to the end is measured too.
    await new Promise((resolve) => setTimeout(resolve, 0));
    channel.port1.close();
    return { longestGapMs: longest, turns };
  };
}

/** The longest main-thread block while opening the page by `path`, and the ticker's own floor when idle. */
async function responsiveness({ path, idleMs = 300 }) {
  const stopIdle = startTicker();
  await new Promise((resolve) => setTimeout(resolve, idleMs));
  const idle = await stopIdle();
  const stop = startTicker();
  const opened = await openPage({ path });
  const busy = await stop();
  return {
    path,
    idleLongestGapMs: idle.longestGapMs,
    longestGapMs: busy.longestGapMs,
    turns: busy.turns,
    totalMs: opened.totalMs,
  };
}

// ---------------------------------------------------------------------------------
// b. Sealing one message

let sealer = null;

/** Seals one short text: `runs` times each way, in turn, after `warmup` rounds of both. */
async function sealRuns({ runs, warmup, budgetMs }) {
  if (!sealer) {
    const identity = await P.identityFromSeedsAsync('bench_carol', P.randomBytes(32), P.randomBytes(32));
    sealer = { identity, id: P.newUuid(), roomId: P.newUuid(), roomKey: P.newRoomKey() };
  }
  const body = { type: 'text', text: 'See you at the station at six, bring the maps.' };
  const header = () => ({
    roomId: sealer.roomId,
    epoch: EPOCH,
    senderId: sealer.id,
    messageId: P.newUuid(),
    sentAt: Date.now(),
  });
  const seal = {
    baseline: async () => P.sealMessage(header(), body, sealer.roomKey, sealer.identity),
    native: () => P.sealMessageAsync(header(), body, sealer.roomKey, sealer.identity),
  };
  for (let i = 0; i < warmup; i++) for (const path of ['baseline', 'native']) await seal[path]();
  const samples = { baseline: [], native: [] };
  const t0 = now();
  while (samples.native.length < runs && (samples.native.length < 3 || now() - t0 < budgetMs)) {
    for (const path of ['baseline', 'native']) {
      const t = now();
      const envelope = await seal[path]();
      samples[path].push(now() - t);
      const context = { roomId: sealer.roomId, epoch: EPOCH, senderId: sealer.id };
      const opened = await P.openMessageAsync(envelope, context, sealer.roomKey, sealer.identity);
      if (opened.body.text !== body.text) throw new Error(`sealed message does not open (${path})`);
    }
  }
  return samples;
}

// ---------------------------------------------------------------------------------
// c. Log-in

let account = null;

/**
 * An account as the server holds it and the page receives it at log-in, made in Node by
 * login-material.mjs (see there why not here): KDF parameters, sealed key bundle,
 * published v2 keys record, and per conversation the contact's v2 record and the
 * hybrid v2 room key they wrapped for us. Also what the opened values must be.
 */
function loadLogin({ material }) {
  const bytes = P.fromBase64;
  account = {
    passphrase: material.passphrase,
    username: material.username,
    userId: material.userId,
    kdfParams: bytes(material.kdfParams),
    published: bytes(material.publicKeys),
    sealed: bytes(material.keyBundle),
    signPublicKey: bytes(material.expect.signPublicKey),
    kemPublicKey: bytes(material.expect.kemPublicKey),
    conversations: material.conversations.map((c) => ({
      roomId: c.roomId,
      contactId: c.contactId,
      contactName: c.contactName,
      contactRecord: bytes(c.contactPublicKeys),
      record: bytes(c.wrappedRoomKey),
      roomKey: bytes(c.expect.roomKey),
    })),
  };
  return { username: account.username, rooms: account.conversations.length };
}

/**
 * All client crypto of a log-in, in the client's order: derive the account keys
 * (PBKDF2, WebCrypto in both paths), check the account's own published v2 record,
 * open the key bundle (rebuilding the identity's public keys), add the ML-KEM keys
 * from the bundle's seed (pure JS in both), then per conversation check the
 * contact's v2 record (the key directory does, before it trusts the wrapper's keys)
 * and open the hybrid v2 room key (ML-KEM decapsulation is pure JS in both).
 */
async function login({ path }) {
  const a = account;
  const native = path === 'native';
  const parts = { kdf: 0, ownRecord: 0, bundle: 0, kemKeys: 0, contacts: 0, roomKeys: 0 };
  const t0 = now();
  let t = now();
  const lap = (part) => {
    const at = now();
    parts[part] += at - t;
    t = at;
  };
  const params = P.decodeKdfParams(a.kdfParams);
  const { authKey, wrapKey } = await P.deriveAccountKeys(a.passphrase, a.username, params);
  lap('kdf');
  const published = native
    ? await P.decodePublicKeysAsync(a.published, a.username, a.userId)
    : P.decodePublicKeys(a.published, a.username, a.userId);
  lap('ownRecord');
  const opened = native
    ? await P.openKeyBundleAsync(a.sealed, wrapKey, a.username, published)
    : P.openKeyBundle(a.sealed, wrapKey, a.username, published);
  lap('bundle');
  const seed = P.kemSeedOf(opened.extensions);
  const me = P.addKemKeys(opened.identity, seed);
  lap('kemKeys');
  const roomKeys = [];
  for (const c of a.conversations) {
    const theirs = native
      ? await P.decodePublicKeysAsync(c.contactRecord, c.contactName, c.contactId)
      : P.decodePublicKeys(c.contactRecord, c.contactName, c.contactId);
    lap('contacts');
    const wrapper = { id: c.contactId, signPublicKey: theirs.signPublicKey, boxPublicKey: theirs.boxPublicKey };
    const expected = { roomId: c.roomId, epoch: EPOCH, memberId: a.userId };
    roomKeys.push(
      native
        ? await P.openRoomKeyAsync(c.record, expected, me, wrapper)
        : P.openRoomKey(c.record, expected, me, wrapper),
    );
    lap('roomKeys');
  }
  const totalMs = now() - t0;
  if (authKey.length !== 32) throw new Error('no auth key');
  if (!P.equalBytes(me.signPublicKey, a.signPublicKey) || !P.equalBytes(me.kem.publicKey, a.kemPublicKey)) {
    throw new Error(`the opened identity is not the account's (${path})`);
  }
  if (!P.equalBytes(published.kemPublicKey, a.kemPublicKey)) throw new Error('own record lost its ML-KEM key');
  roomKeys.forEach((opened, i) => {
    if (!opened.hybrid || !P.equalBytes(opened.roomKey, a.conversations[i].roomKey)) {
      throw new Error(`room key ${i} did not open to the wrapped key (${path})`);
    }
  });
  return { totalMs, parts };
}

// ---------------------------------------------------------------------------------
// d. Files

const MIB = 1024 * 1024;
let plainFile = null;
const encrypted = new Map();

function plaintext(bytes) {
  if (!plainFile || plainFile.length < bytes) {
    plainFile = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(plainFile.subarray(i, Math.min(bytes, i + 65536)));
  }
  return plainFile.subarray(0, bytes);
}

/** Encrypts `mib` MiB chunk by chunk, awaiting each chunk before the next, as the client's file engine does. */
async function encryptFile({ version, mib }) {
  const plain = plaintext(mib * MIB);
  const key = P.newFileKey();
  const chunks = [];
  const t0 = now();
  const encryptor = P.createFileEncryptor(key, { version });
  for (let start = 0; !encryptor.done;) {
    const end = Math.min(start + P.FILE_CHUNK_BYTES, plain.length);
    chunks.push(await encryptor.encryptChunk(plain.subarray(start, end), end === plain.length));
    start = end;
  }
  const ms = now() - t0;
  encrypted.set(version, { key, header: encryptor.header, chunks, bytes: plain.length });
  return { ms, mib: plain.length / MIB, chunks: chunks.length };
}

/** Decrypts what encryptFile last made for `version`, chunk by chunk, and checks every byte. */
async function decryptFile({ version }) {
  const file = encrypted.get(version);
  const out = new Uint8Array(file.bytes);
  const t0 = now();
  const decryptor = P.createFileDecryptor(file.key, file.header);
  for (const [i, chunk] of file.chunks.entries()) {
    out.set(await decryptor.decryptChunk(chunk, i === file.chunks.length - 1), i * P.FILE_CHUNK_BYTES);
  }
  decryptor.finish();
  const ms = now() - t0;
  if (!sameWords(out, plaintext(file.bytes))) throw new Error(`file v${version} decrypted to other bytes`);
  return { ms, mib: file.bytes / MIB };
}

function sameWords(a, b) {
  if (a.length !== b.length || a.length % 4 !== 0) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length / 4);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length / 4);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

globalThis.onionBench = {
  info,
  prepareMessages,
  openPage,
  responsiveness,
  sealRuns,
  loadLogin,
  login,
  encryptFile,
  decryptFile,
  versions: { FILE_VERSION_SECRETBOX: P.FILE_VERSION_SECRETBOX, FILE_VERSION_AES_GCM: P.FILE_VERSION_AES_GCM },
};
globalThis.onionBenchReady = true;
