#!/usr/bin/env node
// After the export and its compressed copies (precompress.mjs): writes out/build-manifest.json,
// every file the server serves from the export with its SHA-256. The SHA-256 of the
// manifest's own bytes is the build hash: the account page shows it as served, and
// `npm run verify-instance` compares every file an instance serves with a local build.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MANIFEST_NAME = 'build-manifest.json';

function* files(dir, relative = '') {
  for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* files(dir, child);
    else if (entry.isFile()) yield child;
  }
}

/** The manifest's bytes for an export folder: paths sorted by code unit, one JSON layout. */
export function manifestOf(outDir) {
  const list = [...files(outDir)].filter((file) => file !== MANIFEST_NAME).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const entries = list.map((file) => {
    const sha256 = createHash('sha256')
      .update(readFileSync(path.join(outDir, file)))
      .digest('hex');
    return `    ${JSON.stringify(file)}: ${JSON.stringify(sha256)}`;
  });
  return `{\n  "version": 1,\n  "files": {\n${entries.join(',\n')}\n  }\n}\n`;
}

export function writeManifest(outDir) {
  // Compressed copies of an earlier manifest too (precompress.mjs rerun on a built folder).
  for (const suffix of ['', '.gz', '.br']) rmSync(path.join(outDir, MANIFEST_NAME + suffix), { force: true });
  const text = manifestOf(outDir);
  writeFileSync(path.join(outDir, MANIFEST_NAME), text);
  return createHash('sha256').update(text).digest('hex');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out'));
  console.log(`Build hash ${writeManifest(outDir)} (${path.relative(process.cwd(), outDir) || '.'}/${MANIFEST_NAME})`);
}
