// `npm start`: install, build, migrate and run OnionChat on 127.0.0.1, published as an
// onion service when tor is installed. Uses DATABASE_URL when set, an embedded
// PostgreSQL under .data/ otherwise.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureInstalled } from './lib/install.mjs';
import { build } from './lib/build.mjs';
import { dataDir, repoRoot } from './lib/paths.mjs';

async function main() {
  await ensureInstalled();
  await build();
  const { openDatabase } = await import('./lib/database.mjs');
  const { migrate } = await import('@onionchat/db');
  const db = await openDatabase({ dataDir });
  console.log(db.embedded ? 'Database: embedded PostgreSQL (data in .data/postgres)' : 'Database: DATABASE_URL');
  await migrate(db.url);
  const onion = await startTor();

  const env = { ...process.env, DATABASE_URL: db.url };
  if (onion && !env.PUBLIC_ORIGIN) env.PUBLIC_ORIGIN = `http://${onion.hostname}`;
  // tor's streams arrive on their own port, each beginning with the circuit it came on.
  if (onion) env.ONION_PORT = onionPort();
  const server = spawn(process.execPath, [path.join(repoRoot, 'server', 'dist', 'main.js')], { stdio: 'inherit', env });
  let stopping = false;
  const stop = (signal) => {
    stopping = true;
    server.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  onion?.exited.then(() => {
    if (stopping) return;
    console.error(
      '\ntor stopped unexpectedly; stopping OnionChat so it is not left running without its onion service.',
    );
    stop('SIGTERM');
    process.exitCode = 1;
  });
  server.on('exit', async (code) => {
    stopping = true;
    await onion?.stop();
    await db.stop();
    process.exit(process.exitCode ?? (code === 0 || code === null ? 0 : code));
  });
}

/** The onion service, when tor is installed (TOR=0 turns it off). */
async function startTor() {
  const { findTor, startOnionService, POW_MISSING_WARNING } = await import('@onionchat/tor');
  if (process.env.TOR === '0' || !findTor()) {
    console.log('tor is not installed (Debian: apt-get install tor), so no onion service: serving on loopback only.');
    return null;
  }
  const onion = await startOnionService({
    dataDir: path.join(dataDir, 'tor'),
    appPort: Number(onionPort()),
    socksPort: Number(process.env.TOR_SOCKS_PORT ?? 0),
  });
  console.log(`\nOnion address: http://${onion.hostname}/  (keys in .data/tor/hidden-service: back them up)\n`);
  if (!onion.powDefense) console.warn(`${POW_MISSING_WARNING}\n`);
  return onion;
}

/** The server's port for tor (ONION_PORT, default 8082); PORT stays for local use. */
function onionPort() {
  return process.env.ONION_PORT ?? '8082';
}

main().catch((err) => {
  console.error(`\nOnionChat could not start: ${err.message}`);
  process.exit(1);
});
