// Next's build id, from the sources the export is made of rather than a random one.
// Next writes the id into every page and into the path /_next/static/<id>/, so a random
// id made every build differ; with this one two builds of the same sources, in any
// folder on any machine, give the same bytes, which `npm run verify-instance` relies on.
// A change to any input gives a new id, so the immutable caching of /_next/static/ holds.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What the export is built from, relative to the repository root. */
const INPUTS = [
  'package-lock.json',
  'tsconfig.base.json',
  'web/package.json',
  'web/next.config.ts',
  'web/tsconfig.json',
  'web/src',
  'web/scripts',
  'web/public',
  ...['protocol', 'contract', 'client'].flatMap((name) => [
    `${name}/package.json`,
    `${name}/tsconfig.json`,
    `${name}/src`,
  ]),
];

function* files(root, relative) {
  const full = path.join(root, relative);
  for (const entry of readdirSync(full, { withFileTypes: true })) {
    const child = `${relative}/${entry.name}`;
    if (entry.isDirectory()) yield* files(root, child);
    else if (entry.isFile()) yield child;
  }
}

function listInputs(repoRoot) {
  const list = [];
  for (const input of INPUTS) {
    const full = path.join(repoRoot, input);
    if (!existsSync(full)) continue;
    if (statSync(full).isDirectory()) list.push(...files(repoRoot, input));
    else list.push(input);
  }
  // Sorted by code unit, so the order never depends on the file system or the locale.
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** 20 hex digits of SHA-256 over every input's path and contents. */
export function sourceBuildId(repoRoot) {
  const hash = createHash('sha256');
  for (const file of listInputs(repoRoot)) {
    const digest = createHash('sha256')
      .update(readFileSync(path.join(repoRoot, file)))
      .digest('hex');
    hash.update(`${file}\0${digest}\n`);
  }
  return hash.digest('hex').slice(0, 20);
}
