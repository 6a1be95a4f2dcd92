#!/usr/bin/env node
// Page weight: what the first load of each page of the static web export costs over the
// wire (Tor Browser over an onion circuit, where every kilobyte is slow).
//
// For every page of the export: the JS and CSS its HTML makes the browser fetch before
// the page can be used (script src, stylesheets, preloads, the chunks its inline RSC
// payload names), in raw bytes, gzip -9 and brotli; the HTML itself; and apart, not
// counted, the nomodule polyfills (never fetched by a browser with ES modules) and the
// chunks its code loads later on demand (dynamic imports, the file worker). What exactly
// counts is documented in bench/lib/page-weight.mjs.
//
// Usage (from the repo root, after `npm run build`):
//   node bench/page-weight.mjs [web/out] [BASELINE_OUT] [--detail] [--json]
//     BASELINE_OUT   another export (e.g. one built from the commit before a change) to
//                    compare with, page by page
//     --detail       every file of every page (first load, nomodule and on demand)
//     --json         the figures as JSON
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describePage, exportedPages, kb, pageWeight } from './lib/page-weight.mjs';

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const dirs = args.filter((a) => !a.startsWith('--'));
const outDir = path.resolve(dirs[0] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'out'));
const baseDir = dirs[1] ? path.resolve(dirs[1]) : null;

for (const dir of [outDir, baseDir].filter(Boolean)) {
  if (!existsSync(path.join(dir, 'index.html'))) {
    console.error(`${dir} is not a static export (no index.html): build it with \`npm run build -w web\`.`);
    process.exit(1);
  }
}

const routes = exportedPages(outDir).map((p) => p.route);
const current = routes.map((route) => pageWeight(outDir, route));
const baseRoutes = baseDir ? new Set(exportedPages(baseDir).map((p) => p.route)) : new Set();
const baseline = new Map(
  baseDir ? routes.filter((r) => baseRoutes.has(r)).map((route) => [route, pageWeight(baseDir, route)]) : [],
);

if (flags.has('--json')) {
  console.log(
    JSON.stringify({ outDir, baseDir, pages: current, baseline: baseDir ? [...baseline.values()] : null }, null, 2),
  );
  process.exit(0);
}

const pad = (s, n) => String(s).padStart(n);
const delta = (now, before) => {
  const d = now - before;
  return `${d > 0 ? '+' : ''}${(d / 1000).toFixed(1)}`;
};

console.log(`First load of each page: JS + CSS the HTML loads (KB = 1000 bytes)`);
console.log(`  ${outDir}${baseDir ? `\n  compared with ${baseDir}` : ''}\n`);
const header = baseDir
  ? `${'page'.padEnd(22)}${pad('gzip', 10)}${pad('before', 10)}${pad('Δ', 8)}${pad('brotli', 10)}${pad('before', 10)}${pad('raw', 10)}${pad('before', 10)}${pad('+HTML gz', 10)}${pad('on demand gz', 14)}`
  : `${'page'.padEnd(22)}${pad('gzip', 10)}${pad('brotli', 10)}${pad('raw', 10)}${pad('+HTML gz', 10)}${pad('on demand gz', 14)}`;
console.log(header);
for (const w of current) {
  const b = baseline.get(w.route);
  const cells = [w.route.padEnd(22), pad(kb(w.total.gzip), 10)];
  if (baseDir) {
    cells.push(
      b ? pad(kb(b.total.gzip), 10) : pad('-', 10),
      b ? pad(delta(w.total.gzip, b.total.gzip), 8) : pad('', 8),
    );
  }
  cells.push(pad(kb(w.total.brotli), 10));
  if (baseDir) cells.push(b ? pad(kb(b.total.brotli), 10) : pad('-', 10));
  cells.push(pad(kb(w.total.raw), 10));
  if (baseDir) cells.push(b ? pad(kb(b.total.raw), 10) : pad('-', 10));
  cells.push(pad(kb(w.total.gzip + w.html.gzip), 10), pad(kb(w.onDemandTotal.gzip), 14));
  console.log(cells.join(''));
}

if (flags.has('--detail')) {
  for (const w of current) {
    console.log(`\n${describePage(w)}`);
    for (const f of [...w.onDemand].sort((a, c) => c.gzip - a.gzip))
      console.log(`  ${pad(f.raw, 9)} ${pad(f.gzip, 9)} ${pad(f.brotli, 9)}  ${f.path}  [on demand]`);
  }
}
