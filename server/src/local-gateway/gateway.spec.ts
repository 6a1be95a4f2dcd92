// The local gateway between a browser and a fake onion: a SOCKS server on loopback that
// connects every request to a local HTTP server standing in for the onion service. The
// refusals need no tor; forwarding through a real tor network is covered by the onion
// end-to-end test.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createServer, request, type IncomingHttpHeaders, type OutgoingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { startFakeSocks, type FakeSocks } from '../../../cli/src/test-support/socks-server.js';
import { SESSION_COOKIE } from '../access/session-cookie.js';
import { loadGatewayConfig } from './gateway.config.js';
import { startGateway, type Gateway } from './gateway.js';

const ONION = 'abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion';
const SANDBOX = "sandbox; default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** What the fake onion received, and what it answers next. */
const onion = {
  seen: [] as Seen[],
  answer: { status: 200, headers: { 'content-type': 'application/json' } as OutgoingHttpHeaders, body: '{}' },
  upgradeHeaders: [] as string[],
};
let onionServer: Server;
const onionSockets = new Set<Duplex>();
let socks: FakeSocks;
let gateway: Gateway;
let offline: Gateway;
let webDir: string;
let host: string;

function startOnion(): Promise<Server> {
  const server = createServer((req, res) => {
    onion.seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    req.resume();
    res.writeHead(onion.answer.status, onion.answer.headers);
    res.end(onion.answer.body);
  });
  server.on('upgrade', (req, socket) => {
    onionSockets.add(socket);
    onion.seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    const accept = createHash('sha1')
      .update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    const head = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade'];
    socket.write([...head, `Sec-WebSocket-Accept: ${accept}`, ...onion.upgradeHeaders, '', ''].join('\r\n'));
    socket.on('data', (d) => socket.write(d)); // an echo, so the tunnel shows both ways
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), 'onionchat-gw-'));
  writeFileSync(path.join(webDir, 'index.html'), '<html><script>boot()</script></html>');
  mkdirSync(path.join(webDir, '_next', 'static', 'chunks'), { recursive: true });
  writeFileSync(path.join(webDir, '_next', 'static', 'chunks', 'app.js'), 'boot();');
  onionServer = await startOnion();
  socks = await startFakeSocks((onionServer.address() as { port: number }).port);
  const settings = { GATEWAY_ONION: ONION, GATEWAY_PORT: '0', WEB_DIR: webDir };
  gateway = await startGateway(loadGatewayConfig({ ...settings, GATEWAY_SOCKS: socks.url }));
  // Nothing listens on this SOCKS port: any forwarding attempt fails fast.
  offline = await startGateway(loadGatewayConfig({ ...settings, GATEWAY_SOCKS: 'socks5h://127.0.0.1:9' }));
  host = `127.0.0.1:${gateway.port}`;
});
afterAll(async () => {
  await Promise.all([gateway.close(), offline.close(), socks.close()]);
  for (const socket of onionSockets) socket.destroy();
  onionServer.closeAllConnections();
  await new Promise((r) => onionServer.close(r));
  rmSync(webDir, { recursive: true, force: true });
});
beforeEach(() => {
  onion.seen = [];
  onion.answer = { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
  onion.upgradeHeaders = [];
});

/** What a page of the gateway's own origin sends with fetch(). */
const fromOwnPage = (): Record<string, string> => ({
  host,
  origin: gateway.origin,
  'sec-fetch-site': 'same-origin',
  'sec-fetch-mode': 'cors',
  'sec-fetch-dest': 'empty',
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(
  pathname: string,
  headers: Record<string, string>,
  { method = 'GET', body, to = gateway }: { method?: string; body?: string; to?: Gateway } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: to.port, path: pathname, method, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

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

/** A WebSocket handshake; resolves with the answer's head (and, once open, an echo of "ping"). */
function handshake(headers: Record<string, string>): Promise<{ head: string; echo: string }> {
  const lines = Object.entries({
    host,
    upgrade: 'websocket',
    connection: 'Upgrade',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'sec-websocket-version': '13',
    ...headers,
  }).map(([name, value]) => `${name}: ${value}`);
  return new Promise((resolve, reject) => {
    const socket = connect(gateway.port, '127.0.0.1', () =>
      socket.write(`GET /api/socket/?EIO=4&transport=websocket HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`),
    );
    let text = '';
    const parts = () => {
      const at = text.indexOf('\r\n\r\n');
      return { head: text.slice(0, at), echo: text.slice(at + 4) };
    };
    socket.on('data', (d) => {
      const opened = text.includes('\r\n\r\n');
      text += d.toString();
      if (!opened && text.startsWith('HTTP/1.1 101') && text.includes('\r\n\r\n')) socket.write('ping');
      if (parts().echo === 'ping') socket.destroy();
    });
    socket.on('close', () => resolve(parts()));
    socket.on('error', reject);
  });
}

const headerNames = (headers: IncomingHttpHeaders) =>
  Object.keys(headers)
    .filter((name) => name !== 'connection')
    .sort();

describe('local gateway: what it answers', () => {
  it('serves the local client with its page policy', async () => {
    const res = await send('/', { host });
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
  });

  it('refuses other hosts, absolute URLs and CONNECT: it is not an open proxy', async () => {
    expect((await send('/', { host: 'example.com' })).status).toBe(421);
    expect((await send('/api/health', { ...fromOwnPage(), host: 'evil.example' })).status).toBe(421);
    expect(await raw(`GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n`)).toMatch(
      /^HTTP\/1.1 421/,
    );
    expect(
      await raw(`GET http://${ONION}/api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
    ).toMatch(/^HTTP\/1.1 421/);
    expect(await raw('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')).toMatch(/^HTTP\/1.1 405/);
    expect(onion.seen).toEqual([]);
  });

  it('answers only as its own origin: another loopback name or port is refused', async () => {
    const other = await send('/api/health', { ...fromOwnPage(), host: `localhost:${gateway.port}` });
    expect(other.status).toBe(421);
    expect(JSON.parse(other.body).message).toContain(gateway.origin);
    expect((await send('/', { host: `127.0.0.1:${gateway.port + 1}` })).status).toBe(421);
  });

  it('answers 502 with a clear message when tor cannot reach the onion', async () => {
    const headers = { ...fromOwnPage(), host: `127.0.0.1:${offline.port}`, origin: offline.origin };
    const res = await send('/api/health', headers, { to: offline });
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body).message).toMatch(/could not be reached through tor/);
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

describe('local gateway: what reaches the onion', () => {
  it('forwards only the headers the API needs, and of the cookies only the session', async () => {
    const res = await send('/api/files/f1/content', {
      ...fromOwnPage(),
      cookie: `other_app=secret; ${SESSION_COOKIE}=token123; theme=dark`,
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
      'accept-language': 'de-CH,de;q=0.9',
      'accept-encoding': 'gzip, br',
      'sec-ch-ua': '"Chromium";v="140"',
      'sec-ch-ua-platform': '"Linux"',
      referer: `${gateway.origin}/chat/`,
      'x-forwarded-for': '192.0.2.7',
      dnt: '1',
      'cache-control': 'no-cache',
      accept: 'application/octet-stream',
      range: 'bytes=100-',
    });
    expect(res.status).toBe(200);
    expect(socks.requests.at(-1)).toEqual({ kind: 'name', host: ONION, port: 80 });
    const [seen] = onion.seen;
    expect(headerNames(seen!.headers)).toEqual(['accept', 'cookie', 'host', 'origin', 'range']);
    expect(seen!.headers).toMatchObject({
      host: ONION,
      origin: `http://${ONION}`,
      cookie: `${SESSION_COOKIE}=token123`,
      range: 'bytes=100-',
    });
  });

  it('forwards a body with its type and length', async () => {
    const body = JSON.stringify({ username: 'cat' });
    await send(
      '/api/auth/kdf',
      { ...fromOwnPage(), 'content-type': 'application/json', 'content-length': String(body.length) },
      { method: 'POST', body },
    );
    expect(headerNames(onion.seen[0]!.headers)).toEqual(['content-length', 'content-type', 'host', 'origin']);
  });

  it("sends no cookie at all when the browser has no session, whatever other apps' cookies it holds", async () => {
    await send('/api/health', { ...fromOwnPage(), cookie: 'oc_session_old=1; other=2' });
    expect(onion.seen[0]!.headers.cookie).toBeUndefined();
  });
});

describe('local gateway: what comes back from the onion', () => {
  it("keeps only the headers the client reads and puts its own sandbox over the onion's", async () => {
    onion.answer = {
      status: 206,
      headers: {
        'content-type': 'text/html',
        'content-range': 'bytes 0-1/2',
        'retry-after': '5',
        'content-security-policy': "script-src 'unsafe-inline'",
        'x-content-type-options': 'sniff',
        'service-worker-allowed': '/',
        'clear-site-data': '"*"',
        link: '</evil.js>; rel=preload',
        refresh: '0; url=/api/evil',
        'access-control-allow-origin': '*',
        'x-custom': 'tracking',
        'set-cookie': [`${SESSION_COOKIE}=fresh; Path=/; HttpOnly; SameSite=Strict`, 'tracker=1; Path=/'],
      },
      body: '<script>navigator.serviceWorker.register("/api/sw.js")</script>',
    };
    const res = await send('/api/anything', fromOwnPage());
    expect(res.status).toBe(206);
    expect(res.headers['content-security-policy']).toBe(SANDBOX);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['set-cookie']).toEqual([`${SESSION_COOKIE}=fresh; Path=/; HttpOnly; SameSite=Strict`]);
    for (const name of ['service-worker-allowed', 'clear-site-data', 'link', 'refresh', 'x-custom'])
      expect(res.headers[name]).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers).toMatchObject({
      'content-range': 'bytes 0-1/2',
      'retry-after': '5',
      'cache-control': 'no-store',
    });
  });
});

describe('local gateway: /api is for its own page only', () => {
  it('refuses to show an /api address as a page, with a page that says why', async () => {
    const res = await send('/api/users/me', {
      host,
      'sec-fetch-site': 'none',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document',
      'sec-fetch-user': '?1',
    });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toBe(SANDBOX);
    expect(res.body).toContain(`Open ${gateway.origin}/ to use OnionChat`);
    expect(onion.seen).toEqual([]);
  });

  it('refuses /api in frames, images, scripts and other embedding', async () => {
    for (const [mode, dest] of [
      ['navigate', 'iframe'],
      ['no-cors', 'image'],
      ['no-cors', 'script'],
      ['cors', 'style'],
      ['no-cors', 'object'],
    ] as const) {
      const res = await send('/api/users/me', { ...fromOwnPage(), 'sec-fetch-mode': mode, 'sec-fetch-dest': dest });
      expect(res.status, dest).toBe(403);
    }
    expect(onion.seen).toEqual([]);
  });

  it('refuses /api requests without Fetch Metadata: a navigation could not be told from a fetch', async () => {
    const res = await send('/api/users/me', { host, origin: gateway.origin });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).code).toBe('gateway_needs_fetch_metadata');
    expect(onion.seen).toEqual([]);
  });

  it('refuses requests from other origins, even other ports on loopback', async () => {
    const body = '{}';
    const post = { method: 'POST', body };
    const json = { 'content-type': 'application/json', 'content-length': '2' };
    const otherPort = `http://127.0.0.1:${gateway.port + 1}`;
    for (const headers of [
      { ...fromOwnPage(), ...json, origin: otherPort, 'sec-fetch-site': 'same-site' },
      { ...fromOwnPage(), ...json, origin: otherPort }, // a browser that misreports the site
      { ...fromOwnPage(), ...json, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
      { ...fromOwnPage(), ...json, origin: 'null' },
    ]) {
      const res = await send('/api/friends/requests', headers, post);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).message).toMatch(/another page/);
    }
    // Browsers leave Origin out of a same-origin GET; Fetch Metadata still tells who sent it.
    const { origin: _none, ...noOrigin } = fromOwnPage();
    expect((await send('/api/health', { ...noOrigin, 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect(onion.seen).toEqual([]);
    expect((await send('/api/health', noOrigin)).status).toBe(200);
    expect(onion.seen[0]!.headers.origin).toBeUndefined();
  });

  it('refuses dot segments and encoded dots that would leave /api on the onion', async () => {
    for (const pathname of ['/api/../index.html', '/api/%2e%2e/index.html', '/api\\..\\x'])
      expect(
        await raw(
          `GET ${pathname} HTTP/1.1\r\nHost: ${host}\r\nSec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: cors\r\n` +
            'Sec-Fetch-Dest: empty\r\nConnection: close\r\n\r\n',
        ),
      ).toMatch(/^HTTP\/1.1 (400|404)/);
    expect(onion.seen).toEqual([]);
  });
});

describe('local gateway: the live connection', () => {
  it('opens the socket for its own page, with only the handshake headers and the session cookie', async () => {
    onion.upgradeHeaders = ['Set-Cookie: tracker=1', 'X-Custom: tracking'];
    const { head, echo } = await handshake({
      origin: gateway.origin,
      cookie: `other=1; ${SESSION_COOKIE}=token123`,
      'user-agent': 'Mozilla/5.0',
      'accept-language': 'de',
    });
    expect(head).toMatch(/^HTTP\/1.1 101/);
    expect(head).not.toMatch(/set-cookie|x-custom/i);
    expect(echo).toBe('ping');
    const [seen] = onion.seen;
    expect(seen!.headers).toMatchObject({ origin: `http://${ONION}`, cookie: `${SESSION_COOKIE}=token123` });
    expect(headerNames(seen!.headers)).toEqual([
      'cookie',
      'host',
      'origin',
      'sec-websocket-key',
      'sec-websocket-version',
      'upgrade',
    ]);
  });

  it('refuses the socket to another origin and to a handshake without Origin', async () => {
    const refused: Record<string, string>[] = [
      { origin: `http://127.0.0.1:${gateway.port + 1}` },
      { origin: 'http://evil.example' },
      { origin: gateway.origin, 'sec-fetch-site': 'cross-site' },
      {},
    ];
    for (const headers of refused) {
      const { head } = await handshake(headers);
      expect(head).toMatch(/^HTTP\/1.1 403/);
    }
    expect(onion.seen).toEqual([]);
  });
});

describe('local gateway: no service worker', () => {
  it('serves pages with a worker-src that admits only the build’s own scripts', async () => {
    const csp = String((await send('/', { host })).headers['content-security-policy']);
    const workers = csp.split('; ').filter((d) => d.startsWith('worker-src'));
    expect(workers).toEqual([`worker-src ${gateway.origin}/_next/static/ blob:`]);
  });

  it('hands no script out as a service worker, local or from the onion', async () => {
    const asServiceWorker = {
      ...fromOwnPage(),
      'service-worker': 'script',
      'sec-fetch-mode': 'same-origin',
      'sec-fetch-dest': 'serviceworker',
    };
    expect((await send('/_next/static/chunks/app.js', { host })).status).toBe(200);
    expect((await send('/_next/static/chunks/app.js', asServiceWorker)).status).toBe(403);
    expect((await send('/api/sw.js', asServiceWorker)).status).toBe(403);
    expect(onion.seen).toEqual([]);
  });
});
