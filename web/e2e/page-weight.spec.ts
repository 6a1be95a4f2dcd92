// Page weight budget: over an onion circuit every kilobyte is slow, so the first load of
// each page (the JS and CSS its HTML makes the browser fetch before the page can be
// used, gzipped as the server sends it to Tor Browser) has a budget. What counts is
// defined in bench/lib/page-weight.mjs (`node bench/page-weight.mjs` prints it all).
// Sizes are deterministic for a given build, so this is an ordinary test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describePage, exportedPages, kb, KB, pageWeight } from '../../bench/lib/page-weight.mjs';
import { startServer, type ServerProcess } from './support/server.js';

/**
 * The budget of every page's first load: JS + CSS, gzip -9 (what Tor Browser gets on an http onion address).
 * 200 KB until the interface spoke six languages: i18next, react-i18next and the English catalogue are
 * needed by every page and cost about 22 KB gzipped; the other catalogues (about 3.5 KB each) are fetched
 * from the site's own origin only when someone picks that language, so they are not counted here, and the
 * messenger's own words come with the messenger's chunk (docs/BENCHMARKS.md, "Page weight").
 */
const FIRST_LOAD_BUDGET_GZIP = 220 * KB;
/** The pages people open first over Tor; their first load is also fetched from the running server. */
const KEY_PAGES = ['/login/', '/signup/', '/chat/'];
/** What Tor Browser (Firefox) offers on an http onion address: no brotli there. */
const TOR_BROWSER_ACCEPT_ENCODING = 'gzip, deflate';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'out');

function over(route: string): string | null {
  const weight = pageWeight(outDir, route);
  if (weight.total.gzip <= FIRST_LOAD_BUDGET_GZIP && !weight.files.some((f) => f.missing)) return null;
  return `${route}: first load ${kb(weight.total.gzip)} gzipped, budget ${kb(FIRST_LOAD_BUDGET_GZIP)}\n${describePage(weight)}`;
}

describe('first-load budget', () => {
  it('has a built export to weigh', () => {
    expect(existsSync(path.join(outDir, 'index.html')), 'build the web client first (npm run build -w web)').toBe(true);
    const routes = exportedPages(outDir).map((p) => p.route);
    for (const route of KEY_PAGES) expect(routes).toContain(route);
  });

  it.each(KEY_PAGES)('keeps the first load of %s within the budget', (route) => {
    const problem = over(route);
    if (problem) console.error(problem);
    expect(problem).toBeNull();
  });

  it('keeps every other page within the budget too', () => {
    const problems = exportedPages(outDir)
      .map((p) => p.route)
      .filter((route) => !KEY_PAGES.includes(route))
      .map(over)
      .filter((problem): problem is string => problem !== null);
    if (problems.length > 0) console.error(problems.join('\n\n'));
    expect(problems).toEqual([]);
  });

  it('counts a real first load: scripts and styles, no nomodule polyfills, no chunks loaded later', () => {
    const weight = pageWeight(outDir, '/chat/');
    expect(weight.files.some((f) => f.path.endsWith('.css'))).toBe(true);
    expect(weight.files.filter((f) => f.path.endsWith('.js')).length).toBeGreaterThan(3);
    for (const f of weight.files) expect(f.missing, f.path).toBeFalsy();
    // The messenger is only shown with unlocked keys, which a first load never has.
    expect(weight.onDemand.length).toBeGreaterThan(0);
    const firstLoad = new Set(weight.files.map((f) => f.path));
    for (const f of [...weight.onDemand, ...weight.nomodule]) expect(firstLoad.has(f.path)).toBe(false);
  });
});

describe('first load as the server delivers it', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    expect(
      existsSync(path.join(outDir, 'login', 'index.html.gz')),
      'no compressed copies in web/out: build it with `npm run build -w web` (`next build` alone does not write them)',
    ).toBe(true);
    server = await startServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  function fetchRaw(pathname: string, acceptEncoding: string | null) {
    const { hostname, port } = new URL(server.origin);
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
      (resolve, reject) => {
        const headers: Record<string, string> = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {};
        const req = request({ host: hostname, port, path: pathname, headers }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (part: Buffer) => parts.push(part));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
          );
        });
        req.on('error', reject);
        req.end();
      },
    );
  }

  it.each(KEY_PAGES)('sends the first load of %s gzipped to Tor Browser, byte for byte the files', async (route) => {
    const weight = pageWeight(outDir, route);
    const page = `/${weight.html.path.replace(/index\.html$/, '')}`;
    let sent = 0;
    for (const url of [page, ...weight.files.map((f) => `/${f.path}`)]) {
      const gzipped = await fetchRaw(url, TOR_BROWSER_ACCEPT_ENCODING);
      expect(gzipped.status, url).toBe(200);
      expect(gzipped.headers['content-encoding'], url).toBe('gzip');
      expect(String(gzipped.headers['vary']).toLowerCase(), url).toContain('accept-encoding');
      const onDisk = readFileSync(path.join(outDir, url.endsWith('/') ? `${url}index.html` : url));
      expect(gunzipSync(gzipped.body).equals(onDisk), url).toBe(true);
      const plain = await fetchRaw(url, null);
      expect(plain.headers['content-encoding'], url).toBeUndefined();
      expect(plain.headers['content-type'], url).toBe(gzipped.headers['content-type']);
      expect(plain.body.equals(onDisk), url).toBe(true);
      if (url !== page) sent += gzipped.body.length;
    }
    // What the budget counts is what goes over the wire.
    expect(sent).toBe(weight.total.gzip);
    expect(sent).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_GZIP);
  });
});
