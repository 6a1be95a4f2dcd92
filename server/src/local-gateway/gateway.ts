// The local gateway: serves this checkout's built web client on 127.0.0.1 and forwards
// /api (HTTP and the WebSocket) to one pinned onion service through tor's SOCKS port.
// A user who does not want to run JavaScript served by the server uses this instead.
// It is not a proxy for anything else: other hosts, absolute URLs and CONNECT are refused.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { SocksProxyAgent } from 'socks-proxy-agent';
import express from 'express';
import { pagePolicies, API_CSP, SCRIPT_CSP } from '../security/csp.js';
import { hostnameOf, LOOPBACK_NAMES } from '../security/host-check.js';
import type { GatewayConfig } from './gateway.config.js';

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade'];
const LOCAL_NAMES = new Set(LOOPBACK_NAMES);

export interface Gateway {
  server: Server;
  port: number;
  close: () => Promise<void>;
}

/** Headers for the onion: the browser's, addressed to the onion instead of the gateway. */
function upstreamHeaders(req: IncomingMessage, onion: string, keepUpgrade: boolean) {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || (!keepUpgrade && HOP_BY_HOP.includes(name))) continue;
    headers[name] = value;
  }
  headers['host'] = onion;
  if (headers['origin']) headers['origin'] = `http://${onion}`;
  delete headers['referer'];
  return headers;
}

/** Only requests meant for this gateway itself: origin-form paths on a loopback name. */
function refusal(req: IncomingMessage): string | null {
  if (!req.url?.startsWith('/')) return 'The gateway is not a proxy.';
  if (!LOCAL_NAMES.has(hostnameOf(req.headers.host ?? '')))
    return 'The gateway answers only for its own loopback address.';
  return null;
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-security-policy': API_CSP });
  res.end(JSON.stringify({ statusCode: status, error: 'Refused', code: 'gateway_refused', message }));
}

function forwardHttp(config: GatewayConfig, agent: SocksProxyAgent, req: IncomingMessage, res: ServerResponse): void {
  const upstream = request(
    {
      host: config.GATEWAY_ONION,
      port: 80,
      path: req.url,
      method: req.method,
      headers: upstreamHeaders(req, config.GATEWAY_ONION, false),
      agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent)
      refuse(res, 502, 'The onion service could not be reached through tor. Try again in a moment.');
    else res.destroy();
  });
  req.pipe(upstream);
}

function forwardUpgrade(
  config: GatewayConfig,
  agent: SocksProxyAgent,
  req: IncomingMessage,
  client: Duplex,
  head: Buffer,
): void {
  const upstream = request({
    host: config.GATEWAY_ONION,
    port: 80,
    path: req.url,
    method: req.method,
    headers: upstreamHeaders(req, config.GATEWAY_ONION, true),
    agent,
  });
  upstream.on('upgrade', (answer, socket, upstreamHead) => {
    const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
    for (let i = 0; i < answer.rawHeaders.length; i += 2)
      lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
    client.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upstreamHead.length) client.write(upstreamHead);
    if (head.length) socket.write(head);
    socket.pipe(client).pipe(socket);
    socket.on('error', () => client.destroy());
    client.on('error', () => socket.destroy());
  });
  upstream.on('response', (answer) => {
    client.end(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\n\r\n`);
  });
  upstream.on('error', () => client.destroy());
  upstream.end();
}

function staticClient(webDir: string) {
  const policies = pagePolicies(webDir);
  const app = express();
  app.disable('x-powered-by');
  app.use(
    express.static(webDir, {
      index: 'index.html',
      setHeaders: (res, file) => {
        res.setHeader('Content-Security-Policy', policies.get(file) ?? (file.endsWith('.js') ? SCRIPT_CSP : API_CSP));
        res.setHeader('Referrer-Policy', 'no-referrer');
        res.setHeader('X-Frame-Options', 'DENY');
        res.setHeader('X-Content-Type-Options', 'nosniff');
      },
    }),
  );
  app.use((_req, res) => refuse(res, 404, 'Not found.'));
  return app;
}

export function startGateway(config: GatewayConfig): Promise<Gateway> {
  const agent = new SocksProxyAgent(config.GATEWAY_SOCKS);
  const client = staticClient(config.WEB_DIR);
  const server = createServer((req, res) => {
    const refused = refusal(req);
    if (refused) return refuse(res, 421, refused);
    if (req.url!.startsWith('/api/')) return forwardHttp(config, agent, req, res);
    client(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    if (refusal(req) || !req.url!.startsWith('/api/')) return void socket.destroy();
    forwardUpgrade(config, agent, req, socket, head);
  });
  server.on('connect', (_req, socket) => socket.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n'));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.GATEWAY_PORT, config.GATEWAY_HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.GATEWAY_PORT;
      resolve({ server, port, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
