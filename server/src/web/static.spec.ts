// The exported web client over HTTP: compressed copies written by the web build
// (web/scripts/precompress.mjs) are sent to clients that accept them, with the original's
// type, policy and caching; everyone else gets the file as it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { pagePolicy, SCRIPT_CSP } from '../security/csp.js';
import { chooseEncoding, exportPath } from './precompressed.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CHUNK = '/_next/static/chunks/0abc123def.js';
const PAGE_HTML = `<!DOCTYPE html><html><head><script src="${CHUNK}" async></script></head><body>${'<p>Log in to OnionChat.</p>'.repeat(40)}<script>self.__boot=1</script></body></html>`;
// Something like a minified chunk: repetitive enough to compress well, as real ones do.
const CHUNK_JS = Array.from(
  { length: 400 },
  (_, i) => `function f${i}(e,t){return e.map(n=>n*${i}+t).filter(Boolean)}`,
).join(';');

let t: TestApp;
let webDir: string;

beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), 'onionchat-web-'));
  mkdirSync(path.join(webDir, 'login'));
  mkdirSync(path.join(webDir, '_next', 'static', 'chunks'), { recursive: true });
  writeFileSync(path.join(webDir, 'index.html'), '<html><body>home</body></html>');
  writeFileSync(path.join(webDir, 'login', 'index.html'), PAGE_HTML);
  writeFileSync(path.join(webDir, CHUNK.slice(1)), CHUNK_JS);
  writeFileSync(path.join(webDir, 'tiny.js'), 'x()');
  // The web build's own step, as `npm run build -w web` runs it.
  execFileSync(process.execPath, [path.join(repoRoot, 'web', 'scripts', 'precompress.mjs'), webDir]);
  t = await startTestApp({ WEB_DIR: webDir });
});

afterAll(async () => {
  await t.close();
  rmSync(webDir, { recursive: true, force: true });
});

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request whose answer is read byte for byte (fetch would undo the compression). */
function raw(pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawAnswer> {
  const { port } = new URL(t.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: pathname, method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const vary = (answer: RawAnswer) =>
  String(answer.headers['vary'] ?? '')
    .toLowerCase()
    .split(/\s*,\s*/);

describe('compressed static files', () => {
  it("sends a script gzipped to Tor Browser on an onion address (gzip, deflate), with the file's own headers", async () => {
    const plain = await raw(CHUNK);
    const gzip = await raw(CHUNK, { 'accept-encoding': 'gzip, deflate' });
    expect(plain.status).toBe(200);
    expect(gzip.status).toBe(200);

    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(Buffer.from(CHUNK_JS))).toBe(true);

    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    expect(gzip.body.length).toBeLessThan(plain.body.length / 3);
    expect(Number(gzip.headers['content-length'])).toBe(gzip.body.length);
    expect(gzip.body.equals(readFileSync(path.join(webDir, `${CHUNK.slice(1)}.gz`)))).toBe(true);

    for (const answer of [plain, gzip]) {
      expect(answer.headers['content-type']).toMatch(/^(text|application)\/javascript; charset=utf-8$/);
      expect(vary(answer)).toContain('accept-encoding');
      expect(answer.headers['content-security-policy']).toBe(SCRIPT_CSP);
      // Named by content: cached for good, never asked about again over a slow circuit.
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
    expect(gzip.headers['content-type']).toBe(plain.headers['content-type']);
    // Two representations, two validators.
    expect(gzip.headers['etag']).toBeTruthy();
    expect(gzip.headers['etag']).not.toBe(plain.headers['etag']);
  });

  it('prefers brotli when offered, and falls back to the plain file when nothing usable is', async () => {
    const br = await raw(CHUNK, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(CHUNK_JS);

    for (const header of ['identity', 'deflate', 'gzip;q=0, br;q=0', 'compress']) {
      const answer = await raw(CHUNK, { 'accept-encoding': header });
      expect(answer.headers['content-encoding'], header).toBeUndefined();
      expect(answer.body.toString(), header).toBe(CHUNK_JS);
    }
    expect((await raw(CHUNK, { 'accept-encoding': 'br;q=0, *' })).headers['content-encoding']).toBe('gzip');
  });

  it('sends pages compressed with their own policy, at their directory URL', async () => {
    const plain = await raw('/login/');
    const gzip = await raw('/login/', { 'accept-encoding': 'gzip' });
    expect(gzip.status).toBe(200);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(PAGE_HTML);
    expect(gzip.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(gzip.headers['content-type']).toBe(plain.headers['content-type']);
    expect(gzip.headers['content-security-policy']).toBe(pagePolicy(PAGE_HTML));
    expect(plain.headers['content-security-policy']).toBe(pagePolicy(PAGE_HTML));
    // Pages keep their names when the site changes: always revalidated.
    expect(gzip.headers['cache-control']).toBe('public, max-age=0');
    // The directory without its slash still redirects, as before.
    expect((await raw('/login', { 'accept-encoding': 'gzip' })).status).toBe(301);
  });

  it('answers a conditional request for the compressed copy with 304, and HEAD without a body', async () => {
    const first = await raw(CHUNK, { 'accept-encoding': 'gzip' });
    const again = await raw(CHUNK, { 'accept-encoding': 'gzip', 'if-none-match': String(first.headers['etag']) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);

    const head = await raw(CHUNK, { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('gzip');
    expect(Number(head.headers['content-length'])).toBe(first.body.length);
    expect(head.body.length).toBe(0);
  });

  it('leaves files without a copy (too small to gain) and unknown paths as they were', async () => {
    const tiny = await raw('/tiny.js', { 'accept-encoding': 'gzip' });
    expect(tiny.status).toBe(200);
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body.toString()).toBe('x()');

    // The copies themselves are files like any other; a path outside the export is not found.
    expect((await raw(`${CHUNK}.gz`)).status).toBe(200);
    const outside = await raw('/_next/%2e%2e/%2e%2e/%2e%2e/etc/passwd', { 'accept-encoding': 'gzip' });
    expect(outside.status).toBe(404);
  });

  it('reads Accept-Encoding and request paths carefully', () => {
    const both = new Set(['br', 'gzip'] as const);
    expect(chooseEncoding(undefined, both)).toBeNull();
    expect(chooseEncoding('gzip, deflate', both)).toBe('gzip');
    expect(chooseEncoding('GZIP;q=0.5', both)).toBe('gzip');
    expect(chooseEncoding('br;q=0.1, gzip', both)).toBe('br');
    expect(chooseEncoding('br', new Set(['gzip'] as const))).toBeNull();
    expect(chooseEncoding('*;q=0', both)).toBeNull();
    expect(exportPath('/login/')).toBe('login/index.html');
    expect(exportPath('/_next/static/chunks/a.js')).toBe('_next/static/chunks/a.js');
    expect(exportPath('/a/../b.js')).toBeNull();
    expect(exportPath('/.env')).toBeNull();
    expect(exportPath('/%E0%A4%A')).toBeNull();
  });
});
