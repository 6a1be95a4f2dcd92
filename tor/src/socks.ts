// Minimal SOCKS5 client (RFC 1928; RFC 1929 user/password only to pick circuits) for reaching onion
// services through a tor SocksPort. The hostname is sent to the proxy
// unresolved (like curl's socks5h://): only tor can resolve .onion names, and
// resolving locally would leak the name to the system resolver.
import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';

const SOCKS_VERSION = 5;
const NO_AUTH = 0;
const USER_PASSWORD = 2;
const CMD_CONNECT = 1;
const ATYP_IPV4 = 1;
const ATYP_DOMAIN = 3;
const ATYP_IPV6 = 4;
const DEFAULT_TIMEOUT_MS = 30_000;

// RFC 1928 replies, plus tor's onion-specific ones (SocksPort flag ExtendedErrors).
const REPLY_MEANINGS: Record<number, string> = {
  0x01: 'general SOCKS server failure',
  0x02: 'connection not allowed by ruleset',
  0x03: 'network unreachable',
  0x04: 'host unreachable',
  0x05: 'connection refused',
  0x06: 'TTL expired',
  0x07: 'command not supported',
  0x08: 'address type not supported',
  0xf0: 'onion service descriptor not found',
  0xf1: 'onion service descriptor is invalid',
  0xf2: 'onion service introduction failed',
  0xf3: 'onion service rendezvous failed',
  0xf4: 'onion service requires client authorization',
  0xf5: 'onion service rejected the client authorization',
  0xf6: 'invalid onion address',
  0xf7: 'onion service introduction timed out',
};

/** The proxy refused the CONNECT; `reply` is the SOCKS reply code. */
export class SocksError extends Error {
  constructor(
    message: string,
    readonly reply?: number,
  ) {
    super(message);
    this.name = 'SocksError';
  }
}

export type SocksOptions = {
  /** Gives up on the proxy handshake after this long (default 30 s). */
  timeoutMs?: number;
  /**
   * Sent as SOCKS user name and password: tor (IsolateSOCKSAuth, on by default) never
   * puts streams with different credentials on one circuit, so each value is a client
   * of its own as far as the onion service can tell.
   */
  isolation?: string;
};

/**
 * Opens a TCP stream to host:port through the SOCKS5 proxy on 127.0.0.1:socksPort.
 * Resolves with the socket once the proxy reports the stream connected; the
 * socket then carries the application's bytes as is.
 */
export async function socks5Connect(
  socksPort: number,
  host: string,
  port: number,
  options: SocksOptions = {},
): Promise<net.Socket> {
  const hostBytes = Buffer.from(host, 'utf8');
  if (hostBytes.length === 0 || hostBytes.length > 255) throw new SocksError(`invalid host name "${host}"`);
  const socket = net.connect({ host: '127.0.0.1', port: socksPort });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(
    () => socket.destroy(new SocksError(`SOCKS connect to ${host}:${port} timed out after ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    await connected(socket);
    await negotiate(socket, options.isolation);
    await requestConnect(socket, hostBytes, port, host);
    return socket;
  } catch (err) {
    socket.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export type SocksHttpResponse = { status: number; headers: IncomingHttpHeaders; body: string };

/**
 * GET http://<host><path> through the SOCKS5 proxy (Host header = host, as a
 * browser sends it for an onion). Resolves with any HTTP status; rejects when
 * no response arrives (SOCKS failure, closed stream, timeout).
 */
export function socksHttpGet(
  socksPort: number,
  host: string,
  path: string,
  options: SocksOptions = {},
): Promise<SocksHttpResponse> {
  return socksHttpRequest(socksPort, host, { method: 'GET', path }, options);
}

export type SocksHttpRequest = { method: string; path: string; json?: unknown };

/** Like socksHttpGet, for any method, with an optional JSON body. */
export function socksHttpRequest(
  socksPort: number,
  host: string,
  { method, path, json }: SocksHttpRequest,
  options: SocksOptions = {},
): Promise<SocksHttpResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const body = json === undefined ? undefined : JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const request = http.request({
      host,
      port: 80,
      method,
      path,
      // As a browser sends it for port 80 (node:http would append ":80" here).
      headers: {
        Host: host,
        Connection: 'close',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      // Without an `agent` option, node:http uses this socket factory (here in
      // its asynchronous callback form). `agent: false` would bypass it and
      // resolve the onion name locally.
      createConnection: (_opts, onSocket) => {
        socks5Connect(socksPort, host, 80, { timeoutMs, isolation: options.isolation }).then(
          (socket) => onSocket(null, socket),
          (err: Error) => onSocket(err, undefined as unknown as net.Socket),
        );
        return undefined as unknown as net.Socket;
      },
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`${method} http://${host}${path} timed out`)));
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    request.end(body);
  });
}

function connected(socket: net.Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve();
    });
    socket.once('error', reject);
  });
}

async function negotiate(socket: net.Socket, isolation: string | undefined): Promise<void> {
  const wanted = isolation === undefined ? NO_AUTH : USER_PASSWORD;
  socket.write(Buffer.from([SOCKS_VERSION, 1, wanted]));
  const [version, method] = await readBytes(socket, 2);
  if (version !== SOCKS_VERSION) throw new SocksError('the proxy does not speak SOCKS5');
  if (method !== wanted) throw new SocksError('the SOCKS proxy refused our authentication method');
  if (isolation !== undefined) await sendCredentials(socket, isolation);
}

/** RFC 1929: user name and password, here the same isolation token. */
async function sendCredentials(socket: net.Socket, token: string): Promise<void> {
  const bytes = Buffer.from(token, 'utf8');
  if (bytes.length === 0 || bytes.length > 255) throw new SocksError('SOCKS isolation token must be 1-255 bytes');
  const field = Buffer.concat([Buffer.from([bytes.length]), bytes]);
  socket.write(Buffer.concat([Buffer.from([1]), field, field]));
  const [, status] = await readBytes(socket, 2);
  if (status !== 0) throw new SocksError('the SOCKS proxy rejected the user name and password');
}

async function requestConnect(socket: net.Socket, hostBytes: Buffer, port: number, host: string): Promise<void> {
  const portBytes = Buffer.from([port >> 8, port & 0xff]);
  socket.write(
    Buffer.concat([Buffer.from([SOCKS_VERSION, CMD_CONNECT, 0, ATYP_DOMAIN, hostBytes.length]), hostBytes, portBytes]),
  );
  const [version, reply, , addressType] = await readBytes(socket, 4);
  if (version !== SOCKS_VERSION) throw new SocksError('malformed SOCKS5 reply');
  if (reply !== 0) {
    const meaning = REPLY_MEANINGS[reply as number] ?? 'unknown error';
    throw new SocksError(`SOCKS connect to ${host}:${port} failed: ${meaning} (0x${reply?.toString(16)})`, reply);
  }
  // Skip the bound address, whose content is of no use to us.
  await readBytes(socket, (await boundAddressLength(socket, addressType)) + 2);
}

async function boundAddressLength(socket: net.Socket, addressType: number | undefined): Promise<number> {
  if (addressType === ATYP_IPV4) return 4;
  if (addressType === ATYP_IPV6) return 16;
  if (addressType === ATYP_DOMAIN) return (await readBytes(socket, 1))[0] as number;
  throw new SocksError(`unknown address type ${addressType} in SOCKS5 reply`);
}

/**
 * Reads exactly n bytes in paused mode, so anything the proxy sends after the
 * handshake stays buffered in the socket for whoever uses it next.
 */
function readBytes(socket: net.Socket, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const finish = (err: Error | null, bytes?: Buffer): void => {
      socket.off('readable', tryRead);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', finish);
      if (err) reject(err);
      else resolve(bytes as Buffer);
    };
    const onEnd = (): void => finish(new SocksError('the SOCKS proxy closed the connection'));
    function tryRead(): void {
      const bytes = socket.read(n) as Buffer | null;
      if (bytes === null) return;
      if (bytes.length < n) onEnd();
      else finish(null, bytes);
    }
    socket.on('readable', tryRead);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', finish);
    tryRead();
  });
}
