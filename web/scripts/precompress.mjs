#!/usr/bin/env node
// After `next build`: writes a gzip (-9) and a brotli (quality 11) copy next to every
// compressible file of the static export (web/out/), so the server can send the
// compressed bytes without compressing on each request (server/src/web/precompressed.ts).
// Onion circuits are slow: a page's scripts shrink to about a third.
// A copy is kept only when it is smaller than the file; a rerun starts afresh.
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(?:html|js|mjs|css|txt|json|svg|map|ts)$/;
/** Below this, headers cost more than compression saves. */
const MIN_BYTES = 256;

const outDir = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out'));

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

let count = 0;
let before = 0;
let gzipped = 0;
// Copies from an earlier run go first (their originals may be gone or changed).
for (const file of [...files(outDir)]) if (file.endsWith('.gz') || file.endsWith('.br')) rmSync(file);

for (const file of [...files(outDir)]) {
  if (!COMPRESSIBLE.test(file) || statSync(file).size < MIN_BYTES) continue;
  const bytes = readFileSync(file);
  const gz = gzipSync(bytes, { level: 9 });
  const br = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  if (gz.length < bytes.length) writeFileSync(`${file}.gz`, gz);
  if (br.length < bytes.length) writeFileSync(`${file}.br`, br);
  count += 1;
  before += bytes.length;
  gzipped += Math.min(gz.length, bytes.length);
}
console.log(
  `Precompressed ${count} files in ${path.relative(process.cwd(), outDir) || '.'}: ${(before / 1e6).toFixed(2)} MB, ${(gzipped / 1e6).toFixed(2)} MB gzipped.`,
);
