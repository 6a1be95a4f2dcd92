// `npm start`: install, build, migrate and run OnionChat on 127.0.0.1, published as an
// onion service when tor is installed. Uses DATABASE_URL when set, an embedded
// PostgreSQL under .data/ (ONIONCHAT_DATA_DIR) otherwise. BUILD=0 skips installing and
// building, for a tree that is already built.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureInstalled } from './lib/install.mjs';
import { build } from './lib/build.mjs';
import { dataDir, repoRoot } from './lib/paths.mjs';
import {
  createTorReport,
  extraTorrcLines,
  onionAddressLines,
  publishWaitSeconds,
  torAbsence,
} from './lib/tor-report.mjs';

async function main() {
  if (process.env.BUILD !== '0') {
    await ensureInstalled();
    await build();
  }
  const { openDatabase } = await import('./lib/database.mjs');
  const { migrate } = await import('@onionchat/db');
  const db = await openDatabase({ dataDir });
  const dbDir = path.relative(process.cwd(), path.join(dataDir, 'postgres')) || '.';
  console.log(db.embedded ? `Database: embedded PostgreSQL (data in ${dbDir})` : 'Database: DATABASE_URL');
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
  const turnedOff = process.env.TOR === '0';
  const absence = torAbsence({ turnedOff, installed: turnedOff || findTor() !== null });
  if (absence) {
    console.log(absence);
    return null;
  }
  const waitSeconds = publishWaitSeconds(process.env.TOR_PUBLISH_WAIT_SECONDS);
  // Events can come before the address is known; they are replayed once it is.
  const early = [];
  let report = null;
  const onion = await startOnionService({
    dataDir: path.join(dataDir, 'tor'),
    appPort: Number(onionPort()),
    socksPort: Number(process.env.TOR_SOCKS_PORT ?? 0),
    extraTorrc: operatorTorrc(),
    onStatus: (event) => (report ? print(report.update(event)) : early.push(event)),
  });
  const keysDir = path.relative(process.cwd(), path.join(dataDir, 'tor', 'hidden-service'));
  console.log(`\n${onionAddressLines(onion.hostname, keysDir).join('\n')}\n`);
  if (!onion.powDefense) console.warn(`${POW_MISSING_WARNING}\n`);
  report = createTorReport({ hostname: onion.hostname, localOrigin: localOrigin() });
  for (const event of early) print(report.update(event));
  // Start-up does not wait for tor: the server serves on loopback at once, and this says
  // later why the onion is not reachable if it is still not published by then.
  setTimeout(() => print(report.notYetPublished()), waitSeconds * 1000).unref();
  return onion;
}

function print(lines) {
  for (const line of lines) console.log(line);
}

/** Torrc lines from the file TOR_EXTRA_TORRC names (bridges, a proxy). */
function operatorTorrc() {
  const file = process.env.TOR_EXTRA_TORRC;
  return file ? extraTorrcLines(readFileSync(file, 'utf8')) : [];
}

/** Where the server answers for local use (PORT on loopback). */
function localOrigin() {
  return `http://127.0.0.1:${process.env.PORT ?? '8080'}/`;
}

/** The server's port for tor (ONION_PORT, default 8082); PORT stays for local use. */
function onionPort() {
  return process.env.ONION_PORT ?? '8082';
}

main().catch((err) => {
  console.error(`\nOnionChat could not start: ${err.message}`);
  process.exit(1);
});
