// The port tor's HiddenServicePort points at. Every connection must come from a
// trusted peer (tor) and begin with tor's PROXY header naming the circuit it came on;
// the circuit is recorded on the socket (client-key.ts) and the rest of the stream
// goes to the same HTTP server as the plain port, WebSocket upgrades included.
import type { Server as HttpServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Logger } from '@nestjs/common';
import { setCircuit } from './client-key.js';
import { headerEnd, parseTorProxyHeader, ProxyHeaderError } from './proxy-header.js';
import type { PeerCheck } from './trusted-peers.js';

export type OnionListenerOptions = {
  host: string;
  port: number;
  /** Whether a connection's remote address may speak for tor. */
  trusted: PeerCheck;
  /** A connection that has not sent its whole header by then is closed. */
  headerTimeoutMs: number;
};

const logger = new Logger('OnionListener');

/** Listens on host:port and hands every accepted stream to `http`; closes with it. */
export async function listenOnion(http: HttpServer, options: OnionListenerOptions): Promise<net.Server> {
  // Circuit ids count up from 1 in every tor process, and several instances behind
  // Onionbalance share their budgets in Redis: a prefix per listener keeps one
  // instance's circuit 42 from spending another's.
  const scope = randomBytes(4).toString('hex');
  // Paused: nothing is read before the peer is known to be tor.
  const server = net.createServer({ pauseOnConnect: true }, (socket) => void accept(http, socket, scope, options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      // An accept error (e.g. out of file descriptors) must not end the process.
      server.on('error', (err: NodeJS.ErrnoException) => logger.error(`onion port: ${err.code ?? err.name}`));
      resolve();
    });
  });
  // Whoever closes the HTTP server (Nest's app.close, shutdown hooks) closes this port too.
  const closeHttp = http.close.bind(http);
  http.close = (callback?: (err?: Error) => void) => {
    server.close();
    return closeHttp(callback);
  };
  return server;
}

async function accept(
  http: HttpServer,
  socket: net.Socket,
  scope: string,
  options: OnionListenerOptions,
): Promise<void> {
  const refuse = (reason: string): void => {
    // The reason only: the peer's address is nobody's business in the logs.
    logger.debug(`closed a connection on the onion port: ${reason}`);
    socket.destroy();
  };
  const onError = (): void => void socket.destroy();
  socket.on('error', onError);
  const timer = setTimeout(() => refuse('no PROXY header in time'), options.headerTimeoutMs);
  socket.once('close', () => clearTimeout(timer));
  if (!(await options.trusted(socket.remoteAddress))) return refuse('the peer is not in ONION_TRUSTED_PEERS');
  if (socket.destroyed) return;

  let received = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    received = Buffer.concat([received, chunk]);
    try {
      const end = headerEnd(received);
      if (end === undefined) return;
      setCircuit(socket, `${scope}.${parseTorProxyHeader(received.subarray(0, end).toString('latin1'))}`);
      socket.pause();
      socket.off('data', onData);
      clearTimeout(timer);
      socket.off('error', onError);
      // The bytes after the header are the client's: give them back to the stream.
      if (end < received.length) socket.unshift(received.subarray(end));
      http.emit('connection', socket);
      socket.resume();
    } catch (err) {
      if (!(err instanceof ProxyHeaderError)) throw err;
      refuse(err.message);
    }
  };
  socket.on('data', onData);
  socket.resume();
}
