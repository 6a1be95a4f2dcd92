#!/usr/bin/env node
// File transfer benchmark: encrypt + upload and download + decrypt of a large file
// through the real server over loopback, against a plain HTTP upload and download of
// the same number of bytes to a minimal server in the same run, and the server's
// resident memory during the transfer (it must stay flat: streamed, never buffered).
//
// Usage (after `npm run build`): node bench/files.mjs [--mib 256] [--json]
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { machine } from './lib/machine.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchClient, befriend, protocol } from './lib/client.mjs';
import { freePort, memoryOf, startService } from './lib/service.mjs';

const MIB = 1024 * 1024;
const REQUEST_BYTES = 8 * MIB;
const args = process.argv.slice(2);
const SIZE = (args.includes('--mib') ? Number(args[args.indexOf('--mib') + 1]) : 256) * MIB;
const JSON_OUT = args.includes('--json');
const here = path.dirname(fileURLToPath(import.meta.url));

/** Plaintext made on the fly from one random MiB (chunks are 64 KiB, so they tile it). */
const block = randomBytes(MIB);
function plainChunk(index, size) {
  const start = (index * protocol.FILE_CHUNK_BYTES) % MIB;
  return block.subarray(start, start + size);
}

function sampler(pid) {
  const idle = memoryOf(pid).rss;
  let peak = idle;
  const timer = setInterval(() => (peak = Math.max(peak, memoryOf(pid).rss)), 20);
  return { idle, stop: () => (clearInterval(timer), peak) };
}

async function putAll(put, total, nextBytes) {
  let offset = 0;
  while (offset < total) {
    const body = await nextBytes(Math.min(REQUEST_BYTES, total - offset));
    await put(offset, body);
    offset += body.length;
  }
}

/** Encrypted bytes produced on demand, request by request, whole chunks at a time. */
function encryptingSource(key) {
  const encryptor = protocol.createFileEncryptor(key);
  const hasher = protocol.createFileHasher(encryptor.header);
  const chunks = protocol.fileChunkCount(SIZE);
  let index = 0;
  let pending = Buffer.from(encryptor.header);
  return {
    hasher,
    async next(max) {
      const parts = [pending];
      let length = pending.length;
      while (index < chunks && length + protocol.FILE_CHUNK_CIPHER_BYTES <= max) {
        const last = index === chunks - 1;
        const size = last ? SIZE - index * protocol.FILE_CHUNK_BYTES : protocol.FILE_CHUNK_BYTES;
        const cipher = await encryptor.encryptChunk(plainChunk(index, size), last);
        await hasher.update(cipher);
        parts.push(Buffer.from(cipher));
        length += cipher.length;
        index++;
      }
      const all = Buffer.concat(parts);
      pending = all.subarray(max);
      return all.subarray(0, Math.min(max, all.length));
    },
  };
}

async function readStream(res, onBytes) {
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    await onBytes(value);
  }
}

async function onionChat(service) {
  const [alice, bob] = [
    await new BenchClient(service.origin).signUp('bench_alice'),
    await new BenchClient(service.origin).signUp('bench_bob'),
  ];
  const { roomId } = await befriend(alice, bob);
  const encSize = protocol.encryptedFileSize(SIZE);
  const { file } = await alice.json('POST', `/api/rooms/${roomId}/files`, { size: encSize });
  const key = protocol.newFileKey();
  const source = encryptingSource(key);
  const memory = sampler(service.pid);
  let started = performance.now();
  await putAll(
    async (offset, body) => {
      const res = await alice.request('PUT', `/api/files/${file.id}/content?offset=${offset}`, body);
      if (!res.ok) throw new Error(`upload: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    },
    encSize,
    (max) => source.next(max),
  );
  const upload = (performance.now() - started) / 1000;
  const digest = await source.hasher.digest();

  started = performance.now();
  const res = await bob.request('GET', `/api/files/${file.id}/content`);
  let buffer = Buffer.alloc(0);
  let decryptor = null;
  let hasher = null;
  let consumed = 0;
  let plainBytes = 0;
  await readStream(res, async (bytes) => {
    buffer = buffer.length ? Buffer.concat([buffer, bytes]) : Buffer.from(bytes);
    if (!decryptor && buffer.length >= protocol.FILE_HEADER_BYTES) {
      const header = buffer.subarray(0, protocol.FILE_HEADER_BYTES);
      decryptor = protocol.createFileDecryptor(key, header);
      hasher = protocol.createFileHasher(header);
      buffer = buffer.subarray(protocol.FILE_HEADER_BYTES);
      consumed = protocol.FILE_HEADER_BYTES;
    }
    while (decryptor && buffer.length > 0) {
      const last = consumed + buffer.length === encSize && buffer.length <= protocol.FILE_CHUNK_CIPHER_BYTES;
      if (!last && buffer.length < protocol.FILE_CHUNK_CIPHER_BYTES) break;
      const cipher = buffer.subarray(0, last ? buffer.length : protocol.FILE_CHUNK_CIPHER_BYTES);
      await hasher.update(cipher);
      plainBytes += (await decryptor.decryptChunk(cipher, last)).length;
      consumed += cipher.length;
      buffer = buffer.subarray(cipher.length);
    }
  });
  decryptor.finish();
  const download = (performance.now() - started) / 1000;
  const peak = memory.stop();
  if (plainBytes !== SIZE) throw new Error(`decrypted ${plainBytes} bytes, expected ${SIZE}`);
  if (Buffer.compare(Buffer.from(await hasher.digest()), Buffer.from(digest)) !== 0) throw new Error('digest mismatch');
  return { upload, download, idleRss: memory.idle, peakRss: peak, encSize };
}

async function plainHttp(bytes) {
  const port = await freePort();
  const child = fork(path.join(here, 'lib/plain-server.mjs'), {
    env: { ...process.env, PORT: String(port) },
    stdio: 'ignore',
  });
  await new Promise((r) => child.once('message', r));
  const origin = `http://127.0.0.1:${port}`;
  const payload = randomBytes(REQUEST_BYTES);
  let started = performance.now();
  await putAll(
    async (offset, body) => {
      const res = await fetch(`${origin}/x?offset=${offset}`, { method: 'PUT', body });
      await res.arrayBuffer();
    },
    bytes,
    async (max) => payload.subarray(0, max),
  );
  const upload = (performance.now() - started) / 1000;
  started = performance.now();
  let received = 0;
  await readStream(await fetch(`${origin}/x`), (chunk) => (received += chunk.length));
  const download = (performance.now() - started) / 1000;
  child.kill('SIGTERM');
  if (received !== bytes) throw new Error('baseline download incomplete');
  return { upload, download };
}

const service = await startService({
  FILE_MAX_BYTES: String(4 * 1024 * MIB),
  FILE_QUOTA_BYTES: String(8 * 1024 * MIB),
  UPLOAD_REQUEST_MAX_BYTES: String(REQUEST_BYTES),
});
try {
  const ours = await onionChat(service);
  const plain = await plainHttp(ours.encSize);
  const mibps = (seconds) => SIZE / MIB / seconds;
  const result = {
    machine: machine(),
    fileMiB: SIZE / MIB,
    onionchat: {
      uploadMiBps: mibps(ours.upload),
      downloadMiBps: mibps(ours.download),
      uploadSeconds: ours.upload,
      downloadSeconds: ours.download,
    },
    plainHttp: { uploadMiBps: mibps(plain.upload), downloadMiBps: mibps(plain.download) },
    ratio: { upload: plain.upload / ours.upload, download: plain.download / ours.download },
    serverMemoryMiB: {
      idle: ours.idleRss / MIB,
      peak: ours.peakRss / MIB,
      growth: (ours.peakRss - ours.idleRss) / MIB,
    },
  };
  if (JSON_OUT) console.log(JSON.stringify(result, null, 2));
  else {
    const f = (n) => n.toFixed(1);
    console.log(
      `File transfer, ${result.fileMiB} MiB over loopback (${result.machine.logicalCpus} × ${result.machine.cpu}, node ${result.machine.node})`,
    );
    console.log(`                          upload MiB/s   download MiB/s`);
    console.log(
      `OnionChat (encrypt+up)      ${f(result.onionchat.uploadMiBps).padStart(8)}       ${f(result.onionchat.downloadMiBps).padStart(8)}   (down includes decrypt)`,
    );
    console.log(
      `plain HTTP, same bytes      ${f(result.plainHttp.uploadMiBps).padStart(8)}       ${f(result.plainHttp.downloadMiBps).padStart(8)}`,
    );
    console.log(
      `OnionChat / plain           ${f(result.ratio.upload * 100).padStart(7)}%       ${f(result.ratio.download * 100).padStart(7)}%`,
    );
    console.log(
      `server RSS: idle ${f(result.serverMemoryMiB.idle)} MiB, peak ${f(result.serverMemoryMiB.peak)} MiB, growth ${f(result.serverMemoryMiB.growth)} MiB (limit 100)`,
    );
  }
  if (result.serverMemoryMiB.growth > 100) process.exitCode = 1;
} finally {
  await service.stop();
}
