// The local gateway: serves this checkout's built web client on 127.0.0.1 and forwards
// /api (HTTP and the WebSocket) to one pinned onion service through tor's SOCKS port.
// A user who does not want to run JavaScript served by the server uses this instead.
// It is not a proxy for anything else: other hosts, absolute URLs and CONNECT are refused.
// Inside its origin only the local build runs: the onion's answers come back sandboxed,
// with only the headers the client reads, and only the gateway's own page may use /api.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { SocksProxyAgent } from 'socks-proxy-agent';
import express from 'express';
import { API_CSP, SCRIPT_CSP } from '../security/csp.js';
import { gatewayPagePolicies } from './client-policy.js';
import { downstreamHeaders, upgradeAnswerHead, upstreamHeaders } from './forwarded-headers.js';
import type { GatewayConfig } from './gateway.config.js';
import { ownOrigin, type OwnOrigin } from './own-origin.js';
import { refuse, refuseUpgrade } from './refusals.js';
import { addressRefusal, apiRefusal, isApiPath, serviceWorkerRefusal, upgradeRefusal } from './request-policy.js';

export interface Gateway {
  server: Server;
  port: number;
  /** e.g. http://127.0.0.1:8081: the one origin whose pages may use /api. */
  origin: string;
  close: () => Promise<void>;
}

interface Upstream {
  onion: string;
  agent: SocksProxyAgent;
  own: OwnOrigin;
  /** Open WebSocket tunnels: the http server no longer tracks them once upgraded. */
  tunnels: Set<Duplex>;
}

const UNREACHABLE = {
  status: 502,
  code: 'gateway_unreachable',
  message: 'The onion service could not be reached through tor. Try again in a moment.',
};

function forwardHttp(to: Upstream, req: IncomingMessage, res: ServerResponse): void {
  const sameOrigin = req.headers.origin === to.own.origin;
  const upstream = request(
    {
      host: to.onion,
      port: 80,
      path: req.url,
      method: req.method,
      headers: upstreamHeaders(req, to.onion, { upgrade: false, sameOrigin }),
      agent: to.agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, downstreamHeaders(answer.headers));
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) refuse(res, UNREACHABLE);
    else res.destroy();
  });
  req.pipe(upstream);
}

function forwardUpgrade(to: Upstream, req: IncomingMessage, client: Duplex, head: Buffer): void {
  const upstream = request({
    host: to.onion,
    port: 80,
    path: req.url,
    method: req.method,
    headers: upstreamHeaders(req, to.onion, { upgrade: true, sameOrigin: true }),
    agent: to.agent,
  });
  upstream.on('upgrade', (answer, socket, upstreamHead) => {
    client.write(upgradeAnswerHead(answer));
    if (upstreamHead.length) client.write(upstreamHead);
    if (head.length) socket.write(head);
    socket.pipe(client).pipe(socket);
    to.tunnels.add(client).add(socket);
    const closeBoth = () => {
      client.destroy();
      socket.destroy();
      to.tunnels.delete(client);
      to.tunnels.delete(socket);
    };
    for (const side of [client, socket]) side.on('error', closeBoth).on('close', closeBoth);
  });
  upstream.on('response', (answer) => {
    answer.resume();
    client.end(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\nconnection: close\r\n\r\n`);
  });
  upstream.on('error', () => client.destroy());
  upstream.end();
}

function staticClient(webDir: string, own: OwnOrigin) {
  const policies = gatewayPagePolicies(webDir, own.origin);
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
  app.use((_req, res) => refuse(res, { status: 404, code: 'not_found', message: 'Not found.' }));
  return app;
}

function answer(to: Upstream, client: ReturnType<typeof staticClient>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const refused = addressRefusal(req, to.own) ?? serviceWorkerRefusal(req);
    if (refused) return refuse(res, refused);
    if (!isApiPath(req.url!)) return client(req, res);
    const apiRefused = apiRefusal(req, to.own);
    if (apiRefused) return refuse(res, apiRefused);
    forwardHttp(to, req, res);
  };
}

function answerUpgrade(to: Upstream) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refused =
      addressRefusal(req, to.own) ??
      (isApiPath(req.url!)
        ? upgradeRefusal(req, to.own)
        : { status: 404, code: 'not_found', message: 'Only /api/ has a live connection.' });
    if (refused) return refuseUpgrade(socket, refused);
    forwardUpgrade(to, req, socket, head);
  };
}

function listen(server: Server, config: GatewayConfig): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.GATEWAY_PORT, config.GATEWAY_HOST, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : config.GATEWAY_PORT);
    });
  });
}

export async function startGateway(config: GatewayConfig): Promise<Gateway> {
  const server = createServer();
  server.on('connect', (_req, socket) => socket.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n'));
  // Handlers are attached once the port (and so the gateway's own origin) is known; nothing
  // is answered before that.
  const port = await listen(server, config);
  const own = ownOrigin(config.GATEWAY_HOST, port);
  const agent = new SocksProxyAgent(config.GATEWAY_SOCKS);
  const to: Upstream = { onion: config.GATEWAY_ONION, agent, own, tunnels: new Set() };
  server.on('request', answer(to, staticClient(config.WEB_DIR, own)));
  server.on('upgrade', answerUpgrade(to));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const tunnel of to.tunnels) tunnel.destroy();
      agent.destroy();
    });
  return { server, port, origin: own.origin, close };
}
