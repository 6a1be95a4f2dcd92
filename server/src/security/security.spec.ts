import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { connectSocket } from '../../test-support/social.js';
import { signUp } from '../../test-support/accounts.js';
import { hostnameOf } from './host-check.js';
import { pagePolicy } from './csp.js';
import { KEEP_ALIVE_MS } from '../app.js';

const ONION = 'abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion';
const INLINE = 'self.__boot=1';

let t: TestApp;
let webDir: string;
beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), 'onionchat-web-'));
  writeFileSync(
    path.join(webDir, 'index.html'),
    `<html><body><script>${INLINE}</script><script src="/a.js"></script></body></html>`,
  );
  mkdirSync(path.join(webDir, 'login'));
  writeFileSync(path.join(webDir, 'login', 'index.html'), '<html><body><script>other()</script></body></html>');
  t = await startTestApp({ WEB_DIR: webDir, PUBLIC_ORIGIN: `http://${ONION}` });
});
afterAll(async () => {
  await t.close();
  rmSync(webDir, { recursive: true, force: true });
});

function get(
  pathname: string,
  host: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  const { port } = new URL(t.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: pathname, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('host names', () => {
  it('answers the onion name (with or without a port) and loopback, and nothing else', async () => {
    const { port } = new URL(t.baseUrl);
    for (const host of [ONION, `${ONION}:80`, `127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await get('/api/health', host)).status, host).toBe(200);
    }
    for (const host of ['evil.example', `evil.example:${port}`, '10.0.0.5', 'other.onion']) {
      expect((await get('/api/health', host)).status, host).toBe(421);
    }
  });

  it('refuses a WebSocket handshake for a foreign host', async () => {
    const client = t.client();
    await signUp(client, 'hosty');
    await expect(connectSocket(t.baseUrl, client, { host: 'evil.example' })).rejects.toThrow();
    const ok = await connectSocket(t.baseUrl, client);
    ok.close();
  });

  it('parses host headers', () => {
    expect(hostnameOf('Example.onion:8080')).toBe('example.onion');
    expect(hostnameOf('[::1]:80')).toBe('[::1]');
    expect(hostnameOf('a:b:c')).toBe('');
  });
});

describe('connections', () => {
  it('keeps idle connections open for 30 s, announcing a whole second less than it waits', async () => {
    const res = await get('/api/health', ONION);
    expect(res.headers['keep-alive']).toBe('timeout=30');
    expect(t.app.getHttpServer().keepAliveTimeout).toBe(KEEP_ALIVE_MS);
    expect(KEEP_ALIVE_MS).toBeGreaterThan(30_000);
  });
});

describe('security headers', () => {
  it('sends strict headers on API responses', async () => {
    const res = await get('/api/health', ONION);
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it("gives each page a policy with exactly its inline scripts' hashes and no unsafe-inline for scripts", async () => {
    const res = await get('/', ONION);
    const csp = String(res.headers['content-security-policy']);
    const hash = createHash('sha256').update(INLINE).digest('base64');
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    const login = String((await get('/login/', ONION)).headers['content-security-policy']);
    expect(login).not.toContain(hash);
  });

  it('hashes every inline script, none of the external ones', () => {
    const policy = pagePolicy(
      '<script>a()</script><script type="x">b()</script><script src="/c.js"></script><script async src="/d.js"></script>',
    );
    expect(policy.match(/'sha256-/g)).toHaveLength(2);
  });
});
