// The web build is reproducible: the same sources, copied to another folder and built
// there, give web/out byte for byte, every file (pages, chunks, the gzip and brotli
// copies, the build manifest). `npm run verify-instance` relies on it: whoever builds
// a commit gets the bytes an honest instance of that commit serves. One extra build:
// the other one is the web/out that `npm test` built before running the tests.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { sourceBuildId } from '../web/scripts/build-id.mjs';
import { buildWebCopy } from './lib/web-copy.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(repoRoot, 'web', 'out');
const BUILD_FIRST = 'build the web client first with `npm run build` (npm test does), then run this test again';

let copy: string | null = null;

afterAll(() => {
  // node_modules there is hard links: removing them leaves this checkout's untouched.
  if (copy) rmSync(copy, { recursive: true, force: true });
}, 300_000);

function listFiles(dir: string, relative = ''): string[] {
  return readdirSync(path.join(dir, relative), { withFileTypes: true }).flatMap((entry) => {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return listFiles(dir, child);
    return entry.isFile() ? [child] : [];
  });
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

it('builds the same bytes from the same sources in another folder', { timeout: 900_000 }, async () => {
  expect(existsSync(path.join(outDir, 'index.html')), `there is no web/out: ${BUILD_FIRST}`).toBe(true);
  expect(existsSync(path.join(outDir, 'build-manifest.json')), `web/out has no build manifest: ${BUILD_FIRST}`).toBe(
    true,
  );
  const builtFrom = readdirSync(path.join(outDir, '_next', 'static')).filter(
    (name) => name !== 'chunks' && name !== 'media',
  );
  expect(builtFrom, `web/out was built from other sources than these: ${BUILD_FIRST}`).toEqual([
    sourceBuildId(repoRoot),
  ]);

  copy = mkdtempSync(path.join(tmpdir(), 'onionchat-reproducible-'));
  const copyOut = await buildWebCopy(repoRoot, path.join(copy, 'onionchat'));

  const here = listFiles(outDir).sort();
  const there = listFiles(copyOut).sort();
  expect(there, 'the two builds wrote different files').toEqual(here);
  const differing = here.filter((file) => sha256(path.join(outDir, file)) !== sha256(path.join(copyOut, file)));
  expect(differing, 'files whose bytes differ between the two builds').toEqual([]);
  expect(here.length).toBeGreaterThan(100);
});
