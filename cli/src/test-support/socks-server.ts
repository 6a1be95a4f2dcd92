// A tiny SOCKS5 server for tests: records what each client asked to reach (a name, as
// socks5h sends it, or an address) and connects every request to one local port.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface SocksRequest {
  /** 'name' for a host name handed to the proxy (socks5h), 'address' for an IP resolved by the client. */
  kind: 'name' | 'address';
  host: string;
  port: number;
}

export interface FakeSocks {
  url: string;
  requests: SocksRequest[];
  close: () => Promise<void>;
}

export async function startFakeSocks(targetPort: number): Promise<FakeSocks> {
  const requests: SocksRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    void handshake(client, targetPort, requests, sockets);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `socks5h://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function handshake(client: Socket, targetPort: number, requests: SocksRequest[], sockets: Set<Socket>) {
  const read = reader(client);
  const greeting = await read(2);
  await read(greeting[1]!);
  client.write(Buffer.from([5, 0]));
  const head = await read(4);
  const kind = head[3];
  let host: string;
  if (kind === 3) host = (await read((await read(1))[0]!)).toString('latin1');
  else if (kind === 1) host = [...(await read(4))].join('.');
  else host = (await read(16)).toString('hex');
  const port = (await read(2)).readUInt16BE(0);
  requests.push({ kind: kind === 3 ? 'name' : 'address', host, port });
  const upstream = connect(targetPort, '127.0.0.1', () => {
    client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
    const rest = read.rest();
    if (rest.length > 0) upstream.write(rest);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  sockets.add(upstream);
  upstream.once('close', () => sockets.delete(upstream));
  upstream.on('error', () => client.destroy());
}

/** Reads exactly n bytes at a time from a socket (paused between reads). */
function reader(socket: Socket) {
  let buffered = Buffer.alloc(0);
  let waiting: { n: number; resolve: (bytes: Buffer) => void } | null = null;
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    settle();
  };
  const settle = () => {
    if (waiting && buffered.length >= waiting.n) {
      const { n, resolve } = waiting;
      waiting = null;
      const bytes = buffered.subarray(0, n);
      buffered = buffered.subarray(n);
      resolve(bytes);
    }
  };
  socket.on('data', onData);
  const read = (n: number) =>
    new Promise<Buffer>((resolve) => {
      waiting = { n, resolve };
      settle();
    });
  read.rest = () => {
    socket.off('data', onData);
    const rest = buffered;
    buffered = Buffer.alloc(0);
    return rest;
  };
  return read;
}
