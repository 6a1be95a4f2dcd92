// The onion port against raw TCP, as tor speaks to it: a PROXY header, then HTTP.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientKey } from './client-key.js';
import { listenOnion } from './onion-listener.js';
import type { PeerCheck } from './trusted-peers.js';

const header = (circuit: number) =>
  `PROXY TCP6 fc00:dead:beef:4dad::${(circuit >>> 16).toString(16)}:${(circuit & 0xffff).toString(16)} ::1 ${circuit & 0xffff} 80\r\n`;
const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x.onion\r\n\r\n`;

type Listening = { port: number; close: () => Promise<void> };

/** An HTTP server answering with the caller's client key, behind an onion port. */
async function onionServer(options: { trusted?: PeerCheck; headerTimeoutMs?: number } = {}): Promise<Listening> {
  const app = http.createServer((req, res) => res.end(`${req.url} ${clientKey(req)}`));
  app.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
    socket.end(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n${clientKey(req)}`);
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const onion = await listenOnion(app, {
    host: '127.0.0.1',
    port: 0,
    trusted: options.trusted ?? (async () => true),
    headerTimeoutMs: options.headerTimeoutMs ?? 10_000,
  });
  return {
    port: (onion.address() as net.AddressInfo).port,
    close: () => new Promise((resolve) => app.close(() => resolve())),
  };
}

/** Writes each chunk in turn, then collects everything until the server closes. */
async function exchange(port: number, chunks: string[], endAfter = false): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const received: Buffer[] = [];
  socket.on('data', (b: Buffer) => received.push(b));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  for (const chunk of chunks) {
    socket.write(chunk);
    // Separate TCP segments, as tor may deliver them.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (endAfter) socket.end();
  await closed;
  return Buffer.concat(received).toString('latin1');
}

const close = 'Connection: close\r\n';
const getClosing = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x.onion\r\n${close}\r\n`;

describe('the onion listener', () => {
  let server: Listening;
  beforeAll(async () => {
    server = await onionServer();
  });
  afterAll(() => server.close());

  it('tells requests on two circuits apart by the circuit id in their PROXY headers', async () => {
    const [a, b] = await Promise.all([
      exchange(server.port, [header(0x1a2b) + getClosing('/a')]),
      exchange(server.port, [header(0x20001) + getClosing('/b')]),
    ]);
    expect(a).toMatch(/^HTTP\/1\.1 200/);
    expect(a).toMatch(/\/a circuit:[0-9a-f]{8}\.6699$/);
    expect(b).toMatch(/\/b circuit:[0-9a-f]{8}\.131073$/);
  });

  it('serves keep-alive requests on one stream, all under its circuit, with the header split anywhere', async () => {
    const h = header(7);
    const reply = await exchange(server.port, [
      h.slice(0, 3),
      h.slice(3, 20),
      h.slice(20) + get('/1'),
      getClosing('/2'),
    ]);
    expect(reply).toMatch(/\/1 circuit:([0-9a-f]{8})\.7(?!\d)[\s\S]*\/2 circuit:\1\.7$/);
  });

  it('hands upgrades (WebSocket) over with the circuit', async () => {
    const upgrade = `GET /ws HTTP/1.1\r\nHost: x.onion\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n`;
    const reply = await exchange(server.port, [header(42) + upgrade]);
    expect(reply).toMatch(/^HTTP\/1\.1 101/);
    expect(reply).toMatch(/circuit:[0-9a-f]{8}\.42$/);
  });

  it.each([
    ['no header at all', [get('/')]],
    ['a malformed header', ['PROXY TCP4 127.0.0.1 127.0.0.1 1 80\r\n' + get('/')]],
    ['a header too long', [`PROXY TCP6 ${'f'.repeat(120)}\r\n` + get('/')]],
    ['a header without its end', ['PROXY TCP6 fc00:dead:beef:4dad::0:1 ::1 1 80']],
  ])('closes the connection, answering nothing, on %s', async (_what, chunks) => {
    expect(await exchange(server.port, chunks, true)).toBe('');
  });
});

describe('the onion listener’s gatekeeping', () => {
  it('closes connections from peers it does not trust before reading anything', async () => {
    const untrusted = await onionServer({ trusted: async () => false });
    try {
      expect(await exchange(untrusted.port, [header(1) + getClosing('/')])).toBe('');
    } finally {
      await untrusted.close();
    }
  });

  it('closes a connection that sends no header', async () => {
    const impatient = await onionServer({ headerTimeoutMs: 50 });
    try {
      // The client sends nothing and never ends: only the server's timer can close it.
      expect(await exchange(impatient.port, [])).toBe('');
    } finally {
      await impatient.close();
    }
  });

  it('stops listening when the HTTP server closes', async () => {
    const closing = await onionServer();
    await closing.close();
    await expect(exchange(closing.port, [header(1)])).rejects.toThrow(/ECONNREFUSED/);
  });
});
