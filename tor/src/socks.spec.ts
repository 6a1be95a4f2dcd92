// The SOCKS5 client against a scripted fake proxy: no tor needed.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SocksError, socks5Connect, socksHttpGet } from './socks.js';

type FakeProxy = { port: number; requests: Buffer[]; close(): Promise<void> };
const proxies: FakeProxy[] = [];
afterEach(async () => Promise.all(proxies.splice(0).map((p) => p.close())));

/** A SOCKS5 proxy that answers CONNECT with `reply` and then runs `serve`. */
async function fakeProxy(reply: number, serve: (socket: net.Socket) => void = () => {}): Promise<FakeProxy> {
  const requests: Buffer[] = [];
  const server = net.createServer((socket) => {
    let stage = 0;
    socket.on('data', (chunk) => {
      if (stage++ === 0) return void socket.write(Buffer.from([5, 0]));
      if (stage !== 2) return;
      requests.push(chunk);
      // Reply with a domain-type bound address to exercise variable-length parsing.
      socket.write(Buffer.from([5, reply, 0, 3, 3, 0x61, 0x62, 0x63, 0, 80]));
      if (reply === 0) serve(socket);
      else socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy = {
    port: (server.address() as net.AddressInfo).port,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  proxies.push(proxy);
  return proxy;
}

describe('socks5Connect', () => {
  it('sends the host name unresolved and hands over the stream', async () => {
    // The greeting is written together with the reply: it must not be lost.
    const proxy = await fakeProxy(0, (socket) => socket.write('greeting'));
    const socket = await socks5Connect(proxy.port, 'example.onion', 8080);
    const received = await new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
    socket.destroy();
    expect(received).toBe('greeting');
    const name = Buffer.from('example.onion');
    expect(proxy.requests[0]).toEqual(
      Buffer.concat([Buffer.from([5, 1, 0, 3, name.length]), name, Buffer.from([0x1f, 0x90])]),
    );
  });

  it("explains tor's extended error codes", async () => {
    const proxy = await fakeProxy(0xf0);
    const error = await socks5Connect(proxy.port, 'x.onion', 80).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(SocksError);
    expect((error as SocksError).reply).toBe(0xf0);
    expect((error as SocksError).message).toMatch(/descriptor not found/);
  });

  it('fails cleanly when nothing listens', async () => {
    const proxy = await fakeProxy(0);
    await proxy.close();
    await expect(socks5Connect(proxy.port, 'x.onion', 80)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('socksHttpGet', () => {
  it('sends Host: <name> and returns status and body', async () => {
    let request = '';
    const proxy = await fakeProxy(0, (socket) => {
      socket.on('data', (chunk) => {
        request += chunk.toString();
        if (request.includes('\r\n\r\n')) socket.end('HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok');
      });
    });
    const response = await socksHttpGet(proxy.port, 'abc.onion', '/path?q=1');
    expect(response.status).toBe(201);
    expect(response.body).toBe('ok');
    expect(request).toMatch(/^GET \/path\?q=1 HTTP\/1\.1\r\n/);
    expect(request).toMatch(/\r\nHost: abc\.onion\r\n/);
  });
});

describe('circuit isolation by SOCKS credentials', () => {
  /** A proxy that takes user/password (RFC 1929), records what it got, then CONNECTs. */
  async function authProxy(accept: boolean): Promise<{ port: number; received: Buffer[]; close(): Promise<void> }> {
    const received: Buffer[] = [];
    const server = net.createServer((socket) => {
      let stage = 0;
      socket.on('data', (chunk) => {
        received.push(chunk);
        stage++;
        if (stage === 1) socket.write(Buffer.from([5, chunk.includes(2) ? 2 : 0xff]));
        else if (stage === 2) socket.write(Buffer.from([1, accept ? 0 : 1]));
        else if (stage === 3) socket.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 80]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = {
      port: (server.address() as net.AddressInfo).port,
      received,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
    proxies.push(proxy as FakeProxy & typeof proxy);
    return proxy;
  }

  it('offers user/password and sends the token as both', async () => {
    const proxy = await authProxy(true);
    const socket = await socks5Connect(proxy.port, 'x.onion', 80, { isolation: 'circuit-a' });
    socket.destroy();
    expect(proxy.received[0]).toEqual(Buffer.from([5, 1, 2]));
    const token = Buffer.from('circuit-a');
    const field = Buffer.concat([Buffer.from([token.length]), token]);
    expect(proxy.received[1]).toEqual(Buffer.concat([Buffer.from([1]), field, field]));
  });

  it('fails when the proxy rejects the credentials', async () => {
    const proxy = await authProxy(false);
    await expect(socks5Connect(proxy.port, 'x.onion', 80, { isolation: 'x' })).rejects.toThrow(/rejected the user/);
  });
});
