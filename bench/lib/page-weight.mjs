// What a page of the static web export (web/out/) makes the browser download, read
// from the export itself: shared by bench/page-weight.mjs and the budget test
// (web/e2e/page-weight.spec.ts).
//
// First load (counted): every script and stylesheet the page's HTML names (script src,
// link rel=stylesheet / preload / modulepreload) and every chunk its inline React
// Server Components payload names (React loads those before it can hydrate the page).
// Not counted: `nomodule` scripts (the legacy polyfills; a browser with ES modules,
// as every Tor Browser is, never fetches them) and chunks only reachable from the
// first-load chunks' own code (dynamic imports and workers, fetched when the code asks
// for them), which are reported apart as "on demand".
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TAG = /<(script|link)\b([^>]*)>/gi;
const ATTR = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;
const FLIGHT_PUSH = /self\.__next_f\.push\(\[1,("(?:[^"\\]|\\.)*")\]\)/g;
const ASSET = /\/?_next\/static\/[\w./@~-]+?\.(?:js|css)\b/g;
const CHUNK_REF = /static\/(?:chunks|media)\/[\w.@~-]+\.(?:js|css|ts|mjs)\b/g;

/** Compressed sizes as a server would send them: gzip -9 and brotli at its best. */
export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

// Pages share most of their files, and brotli at its best is slow: each file is weighed once.
const weighed = new Map();

function sizesOf(full) {
  const { size, mtimeMs } = statSync(full);
  const key = `${full}\0${size}\0${mtimeMs}`;
  if (!weighed.has(key)) weighed.set(key, sizes(readFileSync(full)));
  return weighed.get(key);
}

function attributes(text) {
  const out = {};
  for (const m of text.matchAll(ATTR)) out[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  return out;
}

/** "/_next/static/chunks/a.js" (or without the leading slash) → "_next/static/chunks/a.js"; null for other origins. */
function localPath(url) {
  if (/^[a-z]+:\/\//i.test(url) || url.startsWith('//')) return null;
  return url.replace(/^\//, '').split(/[?#]/)[0];
}

/** Every page of the export: route ("/login/") → its HTML file. */
export function exportedPages(outDir) {
  const pages = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '_next') walk(full);
      } else if (entry.name.endsWith('.html')) {
        const rel = path.relative(outDir, full).split(path.sep).join('/');
        const route = rel === 'index.html' ? '/' : rel.endsWith('/index.html') ? `/${rel.slice(0, -10)}` : `/${rel}`;
        pages.push({ route, file: full });
      }
    }
  };
  walk(outDir);
  return pages.sort((a, b) => a.route.localeCompare(b.route));
}

/** The assets a page's HTML makes the browser fetch at once, and how (script, stylesheet, …). */
export function htmlAssets(html) {
  const first = new Map();
  const nomodule = new Set();
  const add = (url, how) => {
    const local = localPath(url);
    if (local && /\.(js|css)$/.test(local) && !first.has(local)) first.set(local, how);
  };
  for (const m of html.matchAll(TAG)) {
    const tag = m[1].toLowerCase();
    const attrs = attributes(m[2]);
    if (tag === 'script' && attrs.src !== undefined) {
      const local = localPath(attrs.src);
      if ('nomodule' in attrs) {
        if (local) nomodule.add(local);
      } else add(attrs.src, attrs.type === 'module' ? 'module script' : 'script');
    } else if (tag === 'link' && attrs.href !== undefined) {
      const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
      if (rel.includes('stylesheet')) add(attrs.href, 'stylesheet');
      else if (rel.includes('modulepreload')) add(attrs.href, 'modulepreload');
      else if (rel.includes('preload') && ['script', 'style'].includes(attrs.as))
        add(attrs.href, `preload ${attrs.as}`);
    }
  }
  // The RSC payload inlined for hydration: client components name the chunks they live
  // in (I[id,[chunks…],name]) and stylesheets come as hints (:HL[…]).
  for (const script of html.matchAll(INLINE_SCRIPT)) {
    for (const push of (script[1] ?? '').matchAll(FLIGHT_PUSH)) {
      let text;
      try {
        text = JSON.parse(push[1]);
      } catch {
        continue;
      }
      for (const asset of text.matchAll(ASSET)) add(asset[0], 'RSC payload');
    }
  }
  for (const local of nomodule) first.delete(local);
  return { first, nomodule };
}

/**
 * One page's first load: the HTML, the files it loads at once (with sizes), the
 * nomodule scripts and the chunks its code can load later, with totals.
 */
export function pageWeight(outDir, route) {
  const page = exportedPages(outDir).find((p) => p.route === route);
  if (!page) throw new Error(`${outDir} has no page ${route}`);
  const { first, nomodule } = htmlAssets(readFileSync(page.file, 'utf8'));
  const file = (rel, how) => {
    const full = path.join(outDir, rel);
    if (!existsSync(full) || !statSync(full).isFile())
      return { path: rel, how, missing: true, raw: 0, gzip: 0, brotli: 0 };
    return { path: rel, how, ...sizesOf(full) };
  };
  const files = [...first].map(([rel, how]) => file(rel, how));

  // Whatever the first-load code can fetch later: chunk paths named inside it, followed on.
  const seen = new Set(first.keys());
  const onDemand = [];
  const queue = [...first.keys()].filter((rel) => rel.endsWith('.js'));
  while (queue.length > 0) {
    const rel = queue.shift();
    const full = path.join(outDir, rel);
    if (!existsSync(full)) continue;
    const text = readFileSync(full, 'utf8');
    for (const m of text.matchAll(CHUNK_REF)) {
      const next = `_next/${m[0]}`;
      if (seen.has(next) || nomodule.has(next)) continue;
      seen.add(next);
      onDemand.push(file(next, 'on demand'));
      if (!next.endsWith('.css')) queue.push(next);
    }
  }
  const sum = (list) =>
    list.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }), {
      raw: 0,
      gzip: 0,
      brotli: 0,
    });
  return {
    route,
    html: { path: path.relative(outDir, page.file).split(path.sep).join('/'), ...sizesOf(page.file) },
    files,
    total: sum(files),
    nomodule: [...nomodule].map((rel) => file(rel, 'nomodule')),
    onDemand,
    onDemandTotal: sum(onDemand),
  };
}

export const KB = 1000;

export function kb(bytes) {
  return `${(bytes / KB).toFixed(1)} KB`;
}

/** A per-file table of one page's first load, for people. */
export function describePage(weight) {
  const row = (name, s) =>
    `  ${String(s.raw).padStart(9)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}  ${name}`;
  const lines = [`${weight.route}  (bytes: raw, gzip -9, brotli)`];
  for (const f of [...weight.files].sort((a, b) => b.gzip - a.gzip))
    lines.push(row(`${f.path}  [${f.how}${f.missing ? ', MISSING' : ''}]`, f));
  lines.push(row('= first-load JS + CSS', weight.total));
  lines.push(row(`+ the HTML itself (${weight.html.path})`, weight.html));
  const withHtml = {
    raw: weight.total.raw + weight.html.raw,
    gzip: weight.total.gzip + weight.html.gzip,
    brotli: weight.total.brotli + weight.html.brotli,
  };
  lines.push(row('= with the HTML', withHtml));
  for (const f of weight.nomodule) lines.push(row(`${f.path}  [nomodule: not fetched, not counted]`, f));
  if (weight.onDemand.length > 0)
    lines.push(row(`on demand, not counted: ${weight.onDemand.length} files`, weight.onDemandTotal));
  return lines.join('\n');
}
