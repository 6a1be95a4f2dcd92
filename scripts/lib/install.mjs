// Installs npm dependencies when they are missing or older than the lockfile.
// Only the npm registry is used; nothing downloads binaries from elsewhere.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { npm, run } from './run.mjs';
import { repoRoot } from './paths.mjs';

export async function ensureInstalled() {
  const lock = path.join(repoRoot, 'package-lock.json');
  const marker = path.join(repoRoot, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('Installing dependencies (npm ci)…');
  await run(npm, ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot });
}
