// The real app behind its onion port, fed tor's PROXY headers over raw TCP: anonymous
// budgets are counted per circuit, so one circuit's flood leaves the others alone.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { openOnionPort } from '../app.js';
import { freePort } from '../../test-support/server-process.js';

const KDF_BUDGET = 3;

let t: TestApp;
let onionPort: number;
beforeAll(async () => {
  t = await startTestApp({ RATE_KDF_PER_MINUTE: String(KDF_BUDGET) });
  // As main.ts opens it, on a port of its own (the default trusted peers: loopback).
  const onion = await openOnionPort(t.app, { ...t.config, ONION_PORT: await freePort() });
  onionPort = (onion!.address() as net.AddressInfo).port;
});
afterAll(() => t.close());

/** POSTs JSON over a new stream that begins with tor's header for `circuit`. */
function postOnCircuit(circuit: number, path: string, body: unknown): Promise<number> {
  const header = `PROXY TCP6 fc00:dead:beef:4dad::0:${circuit.toString(16)} ::1 ${circuit} 80\r\n`;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: onionPort,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', connection: 'close' },
        createConnection: () => {
          const socket = net.connect(onionPort, '127.0.0.1');
          socket.write(header);
          return socket;
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('budgets per tor circuit', () => {
  it('answers 429 to the circuit that spent its budget, and serves another circuit and loopback', async () => {
    const kdf = { username: 'someone' };
    const flood: number[] = [];
    for (let i = 0; i <= KDF_BUDGET; i++) flood.push(await postOnCircuit(0x101, '/api/auth/kdf', kdf));
    expect(flood).toEqual([...Array<number>(KDF_BUDGET).fill(200), 429]);

    expect(await postOnCircuit(0x202, '/api/auth/kdf', kdf)).toBe(200);
    expect((await t.client().post('/api/auth/kdf', kdf)).status).toBe(200);
    // The flooding circuit stays limited.
    expect(await postOnCircuit(0x101, '/api/auth/kdf', kdf)).toBe(429);
  });
});
