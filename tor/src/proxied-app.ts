// For tests: an HTTP app behind tor's PROXY header, as the production torrc makes tor
// send it (HiddenServiceExportCircuitID haproxy). The real server checks the header
// strictly (server/src/onion); this stand-in only takes the first line off each stream
// and keeps it, so tests can see what tor sent.
import http from 'node:http';
import net from 'node:net';

export type ProxiedApp = {
  /** The port to give tor as appPort. */
  port: number;
  /** The PROXY lines received, one per stream, CRLF removed. */
  headers: string[];
  close(): Promise<void>;
};

export async function startProxiedApp(handler: http.RequestListener): Promise<ProxiedApp> {
  const app = http.createServer(handler);
  const headers: string[] = [];
  const server = net.createServer((socket) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      socket.pause();
      headers.push(received.subarray(0, end).toString('latin1'));
      socket.unshift(received.subarray(end + 2));
      app.emit('connection', socket);
      socket.resume();
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    headers,
    close: async () => {
      app.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
