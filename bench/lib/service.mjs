// Starts the built OnionChat server for a benchmark, on loopback, with its own
// database (embedded PostgreSQL in a temporary directory, or BENCH_DATABASE_URL as an
// admin connection) and its own file directory. Reports the server's memory.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../scripts/lib/database.mjs';
import { migrate } from '@onionchat/db';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resident and peak resident memory of a process, in bytes (Linux). */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/**
 * An empty, migrated database `name`, on BENCH_DATABASE_URL or an embedded server in `dir`
 * (started with the server settings `pgFlags`, e.g. ['-c', 'shared_preload_libraries=...']).
 */
export async function startDatabase(dir, name = `onionchat_bench_${process.pid}`, pgFlags = []) {
  let adminUrl = process.env.BENCH_DATABASE_URL;
  let stop = async () => {};
  if (!adminUrl) {
    const embedded = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: await freePort(), flags: pgFlags });
    adminUrl = embedded.adminUrl;
    stop = embedded.stop;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  if (process.env.BENCH_DATABASE_URL) {
    // A shared server: leave it as it was found.
    stop = async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    };
  }
  return { url: url.toString(), stop };
}

export async function startService(env = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'onionchat-bench-'));
  const db = await startDatabase(dir);
  const server = await startServer(db.url, path.join(dir, 'files'), env);
  return {
    origin: server.origin,
    pid: server.pid,
    filesDir: path.join(dir, 'files'),
    async stop() {
      await server.stop();
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One server process on an existing database (several may share it); `nodeArgs` go to
 * node (e.g. --cpu-prof); `checkout` is the repository whose built server runs (another
 * checkout's, to compare with an earlier version in the same run).
 */
export async function startServer(dbUrl, filesDir, env = {}, nodeArgs = [], checkout = repoRoot) {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, path.join(checkout, 'server/dist/main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      PORT: String(port),
      REGISTRATION: 'open',
      FILES_DIR: filesDir,
      LOG_LEVEL: 'warn',
      RATE_SIGNUP_PER_HOUR: '100000',
      RATE_AUTH_PER_MINUTE: '100000',
      RATE_KDF_PER_MINUTE: '100000',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error('the server exited during start-up');
    if (
      await fetch(`${origin}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    origin,
    pid: child.pid,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
