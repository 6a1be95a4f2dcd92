// `npm run invite`: the operator makes a single-use invite link. Uses DATABASE_URL, or
// the embedded PostgreSQL under .data/ (started for the moment if the service is down).
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
