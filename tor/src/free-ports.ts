// Finds unused TCP ports on 127.0.0.1 by binding to port 0 and letting the
// kernel choose. All probes stay open until every port is known, so one call
// never returns the same port twice; `avoid` lists ports already promised to
// something that is not listening yet (an app started at the same time).
import net from 'node:net';

export async function findFreePorts(count: number, avoid: readonly number[] = []): Promise<number[]> {
  const probes: net.Server[] = [];
  const ports: number[] = [];
  try {
    while (ports.length < count) {
      const server = await listenOnAnyPort();
      probes.push(server);
      const port = (server.address() as net.AddressInfo).port;
      if (!avoid.includes(port)) ports.push(port);
    }
  } finally {
    await Promise.all(probes.map((server) => new Promise((resolve) => server.close(resolve))));
  }
  return ports;
}

function listenOnAnyPort(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => resolve(server));
  });
}
