// The real server published as an onion service of a private Tor network on loopback,
// as the onion and Firefox suites need it: the server learns its onion name from the
// file tor writes, as in the Docker setup.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestnet, type Testnet } from '@onionchat/tor';
import { freePort, startServer, type ServerProcess } from './server.js';

export const TOR_TIMEOUT = 120_000;

export interface OnionSite {
  server: ServerProcess;
  testnet: Testnet;
  /** http://<name>.onion */
  origin: string;
  /** Stops tor and the server (which runs the privacy scan), and removes the network's files. */
  stop(): Promise<void>;
}

export async function startOnionSite(name: string): Promise<OnionSite> {
  const dir = mkdtempSync(path.join(tmpdir(), `onionchat-${name}-e2e-`));
  const workDir = path.join(dir, 'net');
  const port = await freePort();
  // tor reaches the server on its onion port, which reads tor's PROXY line (the circuit).
  const onionPort = await freePort();
  const hostnameFile = path.join(workDir, 'onion', 'hidden-service', 'hostname');
  const [server, testnet] = await Promise.all([
    startServer(
      { REGISTRATION: 'open', ONION_HOSTNAME_FILE: hostnameFile, ONION_PORT: String(onionPort) },
      { port, healthTimeoutMs: TOR_TIMEOUT },
    ),
    startTestnet({ appPort: onionPort, workDir, timeoutMs: TOR_TIMEOUT }),
  ]);
  return {
    server,
    testnet,
    origin: `http://${testnet.onionHostname}`,
    async stop() {
      await testnet.stop();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
