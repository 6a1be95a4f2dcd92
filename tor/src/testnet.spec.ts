// End to end through a private Tor network: the app must answer as an onion
// site, fetched by a Tor client over SOCKS, with its .onion name as Host.
import { stat } from 'node:fs/promises';
import { ONION_HOSTNAME } from './onion-service.js';
import { startProxiedApp, type ProxiedApp } from './proxied-app.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socksHttpGet } from './socks.js';
import { startTestnet, type Testnet } from './testnet.js';
import { findTor } from './tor-binary.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Without tor these cannot run; CI installs tor, so there they must.
describe.skipIf(!findTor() && !process.env.CI)('startTestnet', () => {
  let app: ProxiedApp;
  let testnet: Testnet | undefined;
  const hosts: string[] = [];

  beforeAll(async () => {
    app = await startProxiedApp((req, res) => {
      hosts.push(req.headers.host ?? '');
      res.end(`hello from ${req.url}`);
    });
  });

  afterAll(async () => {
    await testnet?.stop();
    await app.close();
  });

  it('serves the app as an onion site, then stops every tor', async () => {
    const started = Date.now();
    testnet = await startTestnet({ appPort: app.port });
    console.log(`private Tor network: onion reachable ${((Date.now() - started) / 1000).toFixed(1)} s after launch`);
    expect(testnet.onionHostname).toMatch(ONION_HOSTNAME);
    expect(testnet.pids).toHaveLength(7);

    const fetched = Date.now();
    const response = await socksHttpGet(testnet.socksPort, testnet.onionHostname, '/page');
    console.log(`repeat fetch: ${Date.now() - fetched} ms`);
    expect(response.status).toBe(200);
    expect(response.body).toBe('hello from /page');
    expect(hosts.at(-1)).toBe(testnet.onionHostname);
    // The production torrc makes tor name each stream's circuit (HiddenServiceExportCircuitID).
    expect(app.headers.at(-1)).toMatch(/^PROXY TCP6 fc00:dead:beef:4dad::[0-9a-f]{1,4}:[0-9a-f]{1,4} ::1 \d+ 80$/);

    const { pids } = testnet;
    const workDir = await workDirOf(pids);
    await testnet.stop();
    testnet = undefined;
    expect(pids.filter(isAlive)).toEqual([]);
    await expect(stat(workDir)).rejects.toThrow(/ENOENT/);
  }, 200_000);
});

/** The network's directory, read from a tor's command line (-f <dir>/<node>/torrc). */
async function workDirOf(pids: number[]): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const args = (await readFile(`/proc/${pids[0]}/cmdline`, 'utf8')).split('\0');
  const torrc = args[args.indexOf('-f') + 1] as string;
  return torrc.split('/').slice(0, -2).join('/');
}
