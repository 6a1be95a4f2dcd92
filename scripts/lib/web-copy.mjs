// Builds the web client from a copy of this working tree in another folder, to show
// that the build is reproducible (the same sources give the same bytes wherever they
// are built). The copy takes what the export is built from, not node_modules, which is
// hard-linked: Next's bundler compiles nothing outside the project's root, so a symlink
// back to this checkout would not do, and a full copy would cost 800 MB.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sourceBuildId } from '../../web/scripts/build-id.mjs';
import { npm, run } from './run.mjs';

const ROOT_FILES = ['package.json', 'package-lock.json', 'tsconfig.base.json'];
const PACKAGES = ['protocol', 'contract', 'client', 'web'];
/** Build output and local state, never sources (dist/ of the packages stays: the web bundles it). */
const SKIP = new Set(['node_modules', 'out', '.next', 'e2e']);

export async function buildWebCopy(repoRoot, dest) {
  mkdirSync(dest, { recursive: true });
  for (const file of ROOT_FILES) cpSync(path.join(repoRoot, file), path.join(dest, file));
  for (const name of PACKAGES) {
    cpSync(path.join(repoRoot, name), path.join(dest, name), {
      recursive: true,
      filter: (source) => !SKIP.has(path.basename(source)) && !source.endsWith('.tsbuildinfo'),
    });
  }
  if (sourceBuildId(dest) !== sourceBuildId(repoRoot)) {
    throw new Error('the sources changed while they were copied (or the copy missed one): try again');
  }
  // The workspace links in node_modules/@onionchat are relative, so in the copy they name the copied packages.
  await run('cp', ['-al', path.join(repoRoot, 'node_modules'), path.join(dest, 'node_modules')]);
  if (!existsSync(path.join(dest, 'node_modules', '@onionchat', 'web', 'package.json'))) {
    writeFileSync(path.join(dest, 'COPY-INCOMPLETE'), 'node_modules/@onionchat does not link the copied packages\n');
    throw new Error(`the copy in ${dest} does not link its own workspace packages`);
  }
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  await run(npm, ['run', '--silent', 'build', '-w', 'web'], { cwd: dest, env });
  await run(process.execPath, [path.join(dest, 'web', 'scripts', 'build-manifest.mjs')], { cwd: dest });
  return path.join(dest, 'web', 'out');
}
