// Builds what is out of date: the TypeScript packages (incremental, so cheap when
// nothing changed: protocol, the wire contract, the client core, tor, the server), the
// Prisma client, and the static web client.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { npm, run } from './run.mjs';
import { repoRoot } from './paths.mjs';
import { sourceBuildId } from '../../web/scripts/build-id.mjs';

function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'out' || entry.name === '.next' || entry.name === 'dist')
      continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function webIsStale() {
  const built = path.join(repoRoot, 'web', 'out', 'index.html');
  if (!existsSync(built)) return true;
  // The web export bundles the client core and what it imports (protocol, contract).
  const sources = Math.max(
    newestMtime(path.join(repoRoot, 'web')),
    newestMtime(path.join(repoRoot, 'protocol', 'src')),
    newestMtime(path.join(repoRoot, 'contract', 'src')),
    newestMtime(path.join(repoRoot, 'client', 'src')),
  );
  // The build id is a hash of the sources (package-lock.json among them): another id, another build.
  const current = existsSync(path.join(repoRoot, 'web', 'out', '_next', 'static', sourceBuildId(repoRoot)));
  const manifest = existsSync(path.join(repoRoot, 'web', 'out', 'build-manifest.json'));
  return !current || !manifest || sources > statSync(built).mtimeMs;
}

export async function build({ web = true } = {}) {
  const opts = { cwd: repoRoot };
  // In dependency order: protocol, contract, client, the terminal client, prisma, tor, server, then web.
  await run(npm, ['run', '--silent', 'build', '-w', 'protocol'], opts);
  await run(npm, ['run', '--silent', 'build', '-w', 'contract'], opts);
  await run(npm, ['run', '--silent', 'build', '-w', 'client'], opts);
  await run(npm, ['run', '--silent', 'build', '-w', 'cli'], opts);
  await run(npm, ['run', '--silent', 'build', '-w', 'prisma'], {
    ...opts,
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  await run(npm, ['run', '--silent', 'build', '-w', 'tor'], opts);
  await run(npm, ['run', '--silent', 'build', '-w', 'server'], opts);
  if (web && webIsStale()) {
    console.log('Building the web client…');
    await run(npm, ['run', '--silent', 'build', '-w', 'web'], {
      ...opts,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
  }
}
