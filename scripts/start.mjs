// `npm start`: install, build, migrate and run OnionChat on 127.0.0.1.
// Uses DATABASE_URL when set, an embedded PostgreSQL under .data/ otherwise.
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

  const server = spawn(process.execPath, [path.join(repoRoot, 'server', 'dist', 'main.js')], {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: db.url },
  });
  let stopping = false;
  const stop = (signal) => {
    stopping = true;
    server.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  server.on('exit', async (code) => {
    await db.stop();
    process.exit(stopping ? 0 : (code ?? 1));
  });
}

main().catch((err) => {
  console.error(`\nOnionChat could not start: ${err.message}`);
  process.exit(1);
});
