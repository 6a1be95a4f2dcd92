// The gateway's refusals need no tor: it must never act as a general proxy. Forwarding
// through a real tor network is covered by the onion end-to-end test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGatewayConfig } from './gateway.config.js';
import { startGateway, type Gateway } from './gateway.js';

const ONION = 'abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion';
let gateway: Gateway;
let webDir: string;

beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), 'onionchat-gw-'));
  writeFileSync(path.join(webDir, 'index.html'), '<html><script>boot()</script></html>');
  // Nothing listens on this SOCKS port: any forwarding attempt fails fast.
  gateway = await startGateway(
    loadGatewayConfig({
      GATEWAY_ONION: ONION,
      GATEWAY_SOCKS: 'socks5h://127.0.0.1:9',
      GATEWAY_PORT: '0',
      WEB_DIR: webDir,
    }),
  );
});
afterAll(async () => {
  await gateway.close();
  rmSync(webDir, { recursive: true, force: true });
});

function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(gateway.port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

function get(pathname: string, host: string): Promise<{ status: number; csp: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: gateway.port, path: pathname, headers: { host } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, csp: res.headers['content-security-policy'] as string | undefined });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('local gateway', () => {
  it('serves the local client with its page policy', async () => {
    const res = await get('/', `127.0.0.1:${gateway.port}`);
    expect(res.status).toBe(200);
    expect(res.csp).toMatch(/script-src 'self' 'sha256-/);
  });

  it('refuses other hosts, absolute URLs and CONNECT: it is not an open proxy', async () => {
    expect((await get('/', 'example.com')).status).toBe(421);
    expect((await get('/api/health', 'evil.example')).status).toBe(421);
    expect(await raw(`GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n`)).toMatch(
      /^HTTP\/1.1 421/,
    );
    expect(
      await raw(`GET http://${ONION}/api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
    ).toMatch(/^HTTP\/1.1 421/);
    expect(await raw('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')).toMatch(/^HTTP\/1.1 405/);
  });

  it('answers 502 with a clear message when tor cannot reach the onion', async () => {
    const res = await get('/api/health', `localhost:${gateway.port}`);
    expect(res.status).toBe(502);
  });

  it('refuses a non-loopback listen address, a non-onion target and a remote or non-socks5h proxy', () => {
    expect(() => loadGatewayConfig({ GATEWAY_ONION: ONION, GATEWAY_HOST: '0.0.0.0' })).toThrow(/loopback/);
    expect(() => loadGatewayConfig({ GATEWAY_ONION: 'example.com' })).toThrow(/onion/);
    expect(() => loadGatewayConfig({ GATEWAY_ONION: ONION, GATEWAY_SOCKS: 'socks5h://10.0.0.1:9050' })).toThrow(
      /loopback/,
    );
    expect(() => loadGatewayConfig({ GATEWAY_ONION: ONION, GATEWAY_SOCKS: 'socks5://127.0.0.1:9050' })).toThrow(
      /socks5h/,
    );
  });
});
