// The production onion service against the real tor binary. There is no
// Internet here: tor never bootstraps, but the address comes from local keys.
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePorts } from './free-ports.js';
import { onionServiceTorrc } from './onion-torrc.js';
import { ONION_HOSTNAME, startOnionService, type OnionService } from './onion-service.js';
import { findTor } from './tor-binary.js';
import { launchTor } from './tor-process.js';

const torBinary = findTor();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const mode = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;

// Without tor these cannot run; CI installs tor, so there they must.
describe.skipIf(!torBinary && !process.env.CI)('startOnionService', () => {
  let root: string;
  let app: http.Server;
  let appPort: number;
  const running: OnionService[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'onionchat-tor-spec-'));
    app = http.createServer((_req, res) => res.end('app'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appPort = (app.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    await Promise.all(running.map((service) => service.stop()));
    await new Promise((resolve) => app.close(resolve));
    await rm(root, { recursive: true, force: true });
  });

  async function start(dataDir: string, socksPort = 0): Promise<OnionService> {
    const service = await startOnionService({ dataDir, appPort, socksPort });
    running.push(service);
    return service;
  }

  it('publishes a stable v3 address from private directories, and stops', async () => {
    const dataDir = path.join(root, 'stable');
    // Too permissive on purpose: tor would refuse it, so it must be fixed.
    await mkdir(dataDir, { mode: 0o755 });
    await chmod(dataDir, 0o755);

    const first = await start(dataDir);
    expect(first.hostname).toMatch(ONION_HOSTNAME);
    // Debian's tor has the pow module, so the PoW defence stays in the torrc.
    expect(first.powDefense).toBe(true);
    expect(await readFile(path.join(dataDir, 'torrc'), 'utf8')).toMatch(/^HiddenServicePoWDefensesEnabled 1$/m);
    expect(await mode(dataDir)).toBe(0o700);
    expect(await mode(path.join(dataDir, 'hidden-service'))).toBe(0o700);
    await first.stop();
    expect(isAlive(first.pid)).toBe(false);

    // The keys persist, so a restart publishes the same address.
    const [socksPort] = (await findFreePorts(1)) as [number];
    const second = await start(dataDir, socksPort);
    expect(second.hostname).toBe(first.hostname);
    expect(second.pid).not.toBe(first.pid);
    await expect(connects(socksPort)).resolves.toBe(true);
    await second.stop();
    expect(isAlive(second.pid)).toBe(false);
  });

  it('warns and publishes without the PoW options when tor lacks the pow module', async () => {
    // The real tor, except that it lists its modules as a tor built without pow does.
    const wrapper = path.join(root, 'tor-without-pow');
    await writeFile(
      wrapper,
      `#!/bin/sh\nif [ "$1" = --list-modules ]; then printf 'relay: yes\\npow: no\\n'; exit 0; fi\nexec ${torBinary} "$@"\n`,
    );
    await chmod(wrapper, 0o755);
    const dataDir = path.join(root, 'no-pow');
    const logged: string[] = [];
    const service = await startOnionService({
      dataDir,
      appPort,
      socksPort: 0,
      torBinary: wrapper,
      log: (line) => logged.push(line),
    });
    running.push(service);
    expect(service.powDefense).toBe(false);
    expect(logged.join('\n')).toMatch(/no proof-of-work module .* WITHOUT its PoW defence/);
    const torrc = await readFile(path.join(dataDir, 'torrc'), 'utf8');
    expect(torrc).not.toMatch(/^HiddenServicePoW/m);
    expect(torrc).toMatch(/^HiddenServiceEnableIntroDoSDefense 1$/m);
  });

  it('reports tor dying through `exited`', async () => {
    const service = await start(path.join(root, 'killed'));
    process.kill(service.pid, 'SIGKILL');
    await expect(service.exited).resolves.toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('rejects with tor’s own words when tor cannot start', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const socksPort = (busy.address() as net.AddressInfo).port;
      const error = await start(path.join(root, 'busy'), socksPort).catch((err: Error) => err);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/tor exited before publishing the onion address/);
      expect((error as Error).message).toMatch(/Address already in use/);
    } finally {
      busy.close();
    }
  });

  it('makes tor exit by itself when its owning process dies', { timeout: 40_000 }, async () => {
    // Stands in for a supervisor that is SIGKILLed and so cannot stop tor.
    const owner = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((resolve) => owner.once('spawn', resolve));
    const dataDir = path.join(root, 'owned');
    await mkdir(path.join(dataDir, 'hs'), { recursive: true, mode: 0o700 });
    const torrcPath = path.join(dataDir, 'torrc');
    const torrc = await onionServiceTorrc({
      dataDir,
      hiddenServiceDir: path.join(dataDir, 'hs'),
      appPort,
      socksPort: 0,
      owningPid: owner.pid as number,
    });
    await writeFile(torrcPath, torrc);
    const tor = await launchTor({ name: 'owned', torBinary: torBinary as string, torrcPath });
    try {
      owner.kill('SIGKILL');
      // Tor polls the owner every 15 s.
      const exit = await Promise.race([tor.exited, new Promise((resolve) => setTimeout(resolve, 20_000, 'timeout'))]);
      expect(exit).not.toBe('timeout');
      expect(tor.tail().join('\n')).toMatch(/Owning controller process has vanished/);
    } finally {
      await tor.stop();
    }
  });
});

/** Whether something accepts connections on 127.0.0.1:port (tor opens it at start-up). */
async function connects(port: number, attempts = 20): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
