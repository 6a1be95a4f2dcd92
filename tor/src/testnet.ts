// A private Tor network on 127.0.0.1 for tests: 3 directory authorities,
// 2 relays, our onion service and a client with a SOCKS port. Reaching the
// onion through the client proves the app works as an onion site, with no
// access to the real Tor network.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fetchConsensus, missingFlag } from './consensus.js';
import { onProcessExit } from './exit-cleanup.js';
import { findFreePorts } from './free-ports.js';
import { launchOnionService } from './onion-service.js';
import { ensurePrivateDir } from './private-dir.js';
import { socksHttpGet } from './socks.js';
import { findTor, findTorGencert } from './tor-binary.js';
import { describeTail, launchTor, type LogFn, type TorProcess } from './tor-process.js';
import { createAuthorityKeys, createRelayIdentity } from './testnet-keys.js';
import { authorityTorrc, clientTorrc, networkLines, relayTorrc, type AuthorityInfo } from './testnet-torrc.js';
import { pollUntil } from './wait.js';

export type TestnetOptions = {
  /** Port of the app on 127.0.0.1, published as port 80 of the onion. */
  appPort: number;
  /**
   * Directory for the network's files: created (it must not exist or be empty)
   * and removed by stop(). Default: a new directory under the system temp dir.
   */
  workDir?: string;
  /** Receives harness progress ("[testnet] …") and every line each tor prints. */
  log?: LogFn;
  /** Launch-to-reachable limit (default 90 s). */
  timeoutMs?: number;
  /**
   * The authorities' voting interval (default 10 s). Onionbalance's test-network mode
   * assumes 20 s (chutney's), since tor derives onion time periods from it.
   */
  votingIntervalSeconds?: number;
};

export type Testnet = {
  /** The onion service's address ("….onion"), reachable through socksPort. */
  onionHostname: string;
  /** The client's SOCKS5 port on 127.0.0.1. */
  socksPort: number;
  /** PIDs of all 7 tor processes. */
  pids: number[];
  /** torrc lines that make another tor (e.g. an extra onion service) join this network. */
  joinLines(nickname: string): string[];
  /** Kills every tor process of this network and removes its files. */
  stop(): Promise<void>;
};

const AUTHORITIES = ['auth0', 'auth1', 'auth2'];
const RELAYS = ['relay0', 'relay1'];
/** Usually 15–20 s; a busy machine running other tests beside it has needed more than 90. */
const DEFAULT_TIMEOUT_MS = 150_000;

type Context = {
  torBinary: string;
  gencert: string;
  workDir: string;
  deadline: number;
  processes: TorProcess[];
  log: LogFn;
  votingIntervalSeconds?: number;
};

export async function startTestnet(options: TestnetOptions): Promise<Testnet> {
  const started = Date.now();
  const torBinary = findTor();
  const gencert = torBinary && findTorGencert(torBinary);
  if (!torBinary || !gencert) throw new Error('the test network needs tor and tor-gencert (Debian package "tor")');
  const log = options.log ?? (() => {});
  const workDir = await createWorkDir(options.workDir);
  const ctx: Context = {
    torBinary,
    gencert,
    workDir,
    deadline: started + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    processes: [],
    log,
    votingIntervalSeconds: options.votingIntervalSeconds,
  };

  // If Node exits before stop(): kill the tors first, so none writes into the
  // directory while it is being removed.
  const unregister = onProcessExit(() => {
    for (const tor of ctx.processes) killQuietly(tor.pid);
    rmSync(workDir, { recursive: true, force: true });
  });
  const stop = async (): Promise<void> => {
    await Promise.all(ctx.processes.map((tor) => tor.stop()));
    await rm(workDir, { recursive: true, force: true });
    unregister();
  };

  try {
    // The app may not be listening yet (it starts alongside): never hand out its port.
    const ports = await findFreePorts(1 + RELAYS.length + 2 * AUTHORITIES.length, [options.appPort]);
    const socksPort = ports.pop() as number;
    const relayPorts = ports.splice(0, RELAYS.length);
    // What remains: an ORPort and a DirPort per authority.
    const authorities = await prepareKeys(ctx, ports);
    log(`[testnet] keys ready after ${elapsed(started)}`);
    await startBackbone(ctx, authorities, relayPorts);
    log(`[testnet] consensus ready after ${elapsed(started)}`);
    const onionHostname = await startEdges(ctx, authorities, options.appPort, socksPort);
    log(`[testnet] ${onionHostname} reachable after ${elapsed(started)}`);
    const joinLines = (nickname: string) => networkLines(nickname, authorities);
    return { onionHostname, socksPort, pids: ctx.processes.map((tor) => tor.pid), joinLines, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** All nodes' identity keys, made in parallel (~1 s of CPU per key). */
async function prepareKeys(ctx: Context, authorityPorts: number[]): Promise<AuthorityInfo[]> {
  // The relays' fingerprints appear in no torrc: tor would make these keys at
  // start-up anyway, but doing it now overlaps with the authorities' keys.
  const [authorities] = await Promise.all([
    prepareAuthorities(ctx, authorityPorts),
    Promise.all(RELAYS.map((nick) => createRelayIdentity(ctx.torBinary, nodeDir(ctx, nick)))),
  ]);
  return authorities;
}

/**
 * Stage 1: authorities and relays, until the consensus has the flags that onion
 * services need (clients started earlier get stranded on an unusable consensus).
 */
async function startBackbone(ctx: Context, authorities: AuthorityInfo[], relayPorts: number[]): Promise<void> {
  await Promise.all([
    ...authorities.map((self) =>
      launchNode(
        ctx,
        self.nickname,
        authorityTorrc(node(ctx, self.nickname), self, authorities, process.pid, ctx.votingIntervalSeconds),
      ),
    ),
    ...RELAYS.map((nick, i) =>
      launchNode(ctx, nick, relayTorrc(node(ctx, nick), relayPorts[i] as number, authorities, process.pid)),
    ),
  ]);
  await waitForConsensus(ctx, authorities[0] as AuthorityInfo);
}

/**
 * Stage 2: the onion service (the production torrc plus the network's lines)
 * and the client; resolves with the onion's hostname once it answers HTTP.
 */
async function startEdges(
  ctx: Context,
  authorities: AuthorityInfo[],
  appPort: number,
  socksPort: number,
): Promise<string> {
  const onion = await launchOnionService(
    {
      dataDir: nodeDir(ctx, 'onion'),
      appPort,
      socksPort: 0,
      torBinary: ctx.torBinary,
      timeoutMs: remaining(ctx),
      log: ctx.log,
    },
    networkLines('onion', authorities),
  );
  ctx.processes.push(onion.tor);
  await launchNode(ctx, 'client', clientTorrc(node(ctx, 'client'), socksPort, authorities, process.pid));
  await waitForOnion(ctx, socksPort, onion.hostname);
  return onion.hostname;
}

async function prepareAuthorities(ctx: Context, ports: number[]): Promise<AuthorityInfo[]> {
  return Promise.all(
    AUTHORITIES.map(async (nickname, i) => {
      const [orPort, dirPort] = [ports[2 * i] as number, ports[2 * i + 1] as number];
      const dir = nodeDir(ctx, nickname);
      const fingerprint = await createRelayIdentity(ctx.torBinary, dir);
      const v3ident = await createAuthorityKeys(ctx.gencert, dir, dirPort);
      return { nickname, orPort, dirPort, v3ident, fingerprint };
    }),
  );
}

async function launchNode(ctx: Context, nickname: string, torrc: string): Promise<void> {
  const dir = nodeDir(ctx, nickname);
  await ensurePrivateDir(dir);
  const torrcPath = path.join(dir, 'torrc');
  await writeFile(torrcPath, torrc, { mode: 0o600 });
  ctx.processes.push(await launchTor({ name: nickname, torBinary: ctx.torBinary, torrcPath, log: ctx.log }));
}

function waitForConsensus(ctx: Context, authority: AuthorityInfo): Promise<true> {
  let missing = 'no consensus yet';
  return pollUntil({
    attempt: async () => {
      const flags = await fetchConsensus(authority.dirPort);
      if (!flags) return undefined;
      const noHSDir = missingFlag(flags, RELAYS, 'HSDir');
      const noGuard = missingFlag(flags, AUTHORITIES, 'Guard');
      missing = `without HSDir: [${noHSDir.join(', ')}], without Guard: [${noGuard.join(', ')}]`;
      return noHSDir.length === 0 && noGuard.length === 0 ? true : undefined;
    },
    intervalMs: 250,
    deadline: ctx.deadline,
    abort: () => exitedMessage(ctx),
    timeoutMessage: () => failure(ctx, `the consensus did not get ready (${missing})`),
  });
}

function waitForOnion(ctx: Context, socksPort: number, hostname: string): Promise<true> {
  let lastError = 'no attempt finished';
  return pollUntil({
    attempt: async () => {
      try {
        // Any HTTP status proves the whole path: client, circuits, service, app.
        await socksHttpGet(socksPort, hostname, '/', { timeoutMs: Math.max(1000, Math.min(15_000, remaining(ctx))) });
        return true;
      } catch (err) {
        // "descriptor not found" is normal until the service has published it.
        lastError = (err as Error).message;
        return undefined;
      }
    },
    intervalMs: 250,
    deadline: ctx.deadline,
    abort: () => exitedMessage(ctx),
    timeoutMessage: () => failure(ctx, `the onion did not answer through the client (last error: ${lastError})`),
  });
}

function exitedMessage(ctx: Context): string | undefined {
  const dead = ctx.processes.filter((tor) => tor.hasExited());
  return dead.length > 0 ? failure(ctx, `tor exited unexpectedly: ${dead.map((t) => t.name).join(', ')}`) : undefined;
}

function failure(ctx: Context, reason: string): string {
  return `private Tor network failed: ${reason}\nLast lines of each tor:\n${ctx.processes.map(describeTail).join('\n')}`;
}

async function createWorkDir(requested: string | undefined): Promise<string> {
  if (!requested) return mkdtemp(path.join(os.tmpdir(), 'onionchat-testnet-'));
  const dir = path.resolve(requested);
  await mkdir(dir, { recursive: true });
  // stop() deletes the directory, so it must not hold anything of the caller's.
  if ((await readdir(dir)).length > 0) throw new Error(`testnet workDir ${dir} is not empty`);
  await ensurePrivateDir(dir);
  return dir;
}

function node(ctx: Context, nickname: string): { nickname: string; dataDir: string } {
  return { nickname, dataDir: nodeDir(ctx, nickname) };
}

function nodeDir(ctx: Context, nickname: string): string {
  return path.join(ctx.workDir, nickname);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function remaining(ctx: Context): number {
  return Math.max(0, ctx.deadline - Date.now());
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
