// `npm run invite`: the operator makes a single-use invite link. Uses DATABASE_URL, or
// the embedded PostgreSQL under .data/ (started for the moment if the service is down).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from './lib/paths.mjs';
import { openDatabase, runningEmbeddedUrl } from './lib/database.mjs';

async function database() {
  const running = !process.env.DATABASE_URL && runningEmbeddedUrl(dataDir);
  if (running) return { url: running, stop: async () => {} };
  const db = await openDatabase({ dataDir });
  const { migrate } = await import('@onionchat/db');
  await migrate(db.url);
  return db;
}

async function main() {
  // Links point at the onion when `npm start` has published one.
  const hostname = path.join(dataDir, 'tor', 'hidden-service', 'hostname');
  if (!process.env.PUBLIC_ORIGIN && existsSync(hostname)) process.env.ONION_HOSTNAME_FILE ??= hostname;
  const { createOperatorInvite } = await import('../server/dist/invites/operator-invite.js');
  const db = await database();
  try {
    const { link, hours } = await createOperatorInvite(db.url);
    console.log(`Single-use invite link (valid ${hours} h):\n\n  ${link}\n`);
  } finally {
    await db.stop();
  }
}

main().catch((err) => {
  console.error(`Could not create an invite: ${err.message}`);
  process.exit(1);
});
