// Runs tor as a child process publishing the app as a v3 onion service.
// The onion keys live in <dataDir>/hidden-service and are reused on every
// start, so the address never changes while that directory is kept.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { onionServiceTorrc } from './onion-torrc.js';
import { ensurePrivateDir } from './private-dir.js';
import { findTor } from './tor-binary.js';
import { listTorModules, POW_MISSING_WARNING, withoutPowDefense } from './tor-modules.js';
import { describeTail, launchTor, type LogFn, type TorExit, type TorProcess } from './tor-process.js';
import { isInfoLine, parseTorLine, PUBLICATION_LOG_TORRC, type TorStatusEvent } from './tor-status.js';
import { pollUntil } from './wait.js';

export type { TorStatusEvent } from './tor-status.js';

export type OnionServiceOptions = {
  /** Tor's DataDirectory; the onion keys go in its `hidden-service` subdirectory. */
  dataDir: string;
  /**
   * The app's onion port (ONION_PORT) on 127.0.0.1, served as port 80 of the onion.
   * Tor begins every stream to it with a PROXY header naming the circuit.
   */
  appPort: number;
  /** SOCKS port on 127.0.0.1 for local clients (default 9050); 0 disables it. */
  socksPort?: number;
  /** Default: findTor(). */
  torBinary?: string;
  /** How long to wait for the onion address (default 30 s). */
  timeoutMs?: number;
  /** Receives every line tor prints, prefixed with "[onion-service]", and start-up warnings. */
  log?: LogFn;
  /**
   * Tor's progress as it comes: bootstrap steps and problems, and each upload of the
   * service's descriptor (the onion is reachable from the first one on).
   */
  onStatus?: (event: TorStatusEvent) => void;
  /** Lines the operator adds to the torrc (bridges, a proxy), after OnionChat's own. */
  extraTorrc?: string[];
};

export type OnionService = {
  /** The service's address, e.g. "abc…xyz.onion" (56 base32 characters). */
  hostname: string;
  pid: number;
  /** Whether tor has the pow module, so the proof-of-work defence is on (tor-modules.ts). */
  powDefense: boolean;
  /** Settles when tor exits, for whatever reason. */
  exited: Promise<TorExit>;
  stop(): Promise<void>;
};

export const ONION_HOSTNAME = /^[a-z2-7]{56}\.onion$/;

const DEFAULT_SOCKS_PORT = 9050;
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Starts tor and resolves once the onion address is known. The address comes
 * from the keys alone: tor writes it before (and whether or not) it reaches the
 * Tor network, so this does not wait for bootstrapping.
 */
export async function startOnionService(options: OnionServiceOptions): Promise<OnionService> {
  const { hostname, tor, powDefense } = await launchOnionService(options, options.extraTorrc ?? []);
  return { hostname, pid: tor.pid, powDefense, exited: tor.exited, stop: () => tor.stop() };
}

/**
 * startOnionService with `extraTorrc` lines appended to the production torrc:
 * the test network runs the very same configuration, plus what joins it to
 * the private network.
 */
export async function launchOnionService(
  options: OnionServiceOptions,
  extraTorrc: string[],
): Promise<{ hostname: string; tor: TorProcess; powDefense: boolean }> {
  const socksPort = options.socksPort ?? DEFAULT_SOCKS_PORT;
  assertPort('appPort', options.appPort, 1);
  assertPort('socksPort', socksPort, 0);
  const torBinary = options.torBinary ?? findTor();
  if (!torBinary) throw new Error('tor is not installed (install the "tor" package or set TOR_BINARY)');

  const dirs = await prepareDirectories(options.dataDir);
  const powDefense = (await listTorModules(torBinary)).pow === true;
  if (!powDefense) options.log?.(`[onion-service] ${POW_MISSING_WARNING}`);
  const torrc = await onionServiceTorrc({
    dataDir: dirs.dataDir,
    hiddenServiceDir: dirs.hiddenServiceDir,
    appPort: options.appPort,
    socksPort,
    owningPid: process.pid,
  });
  const extra =
    `\n## Added by OnionChat: tor logs each upload of the service's descriptor only at info level.\n` +
    `${PUBLICATION_LOG_TORRC}\n` +
    (extraTorrc.length > 0 ? `\n## Added by the caller\n${extraTorrc.join('\n')}\n` : '');
  const torrcPath = path.join(dirs.dataDir, 'torrc');
  // A tor without the pow module refuses the PoW options: leave them out (and warn, above).
  const config = powDefense ? torrc : withoutPowDefense(torrc);
  await writeFile(torrcPath, config + extra, { mode: 0o600 });

  const tor = await launchTor({
    name: 'onion-service',
    torBinary,
    torrcPath,
    log: options.log,
    observe: (line) => {
      const event = parseTorLine(line);
      if (event) options.onStatus?.(event);
      return isInfoLine(line);
    },
  });
  try {
    const hostname = await waitForHostname(tor, dirs.hostnameFile, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return { hostname, tor, powDefense };
  } catch (err) {
    await tor.stop();
    throw err;
  }
}

async function prepareDirectories(
  requested: string,
): Promise<{ dataDir: string; hiddenServiceDir: string; hostnameFile: string }> {
  const dataDir = path.resolve(requested);
  const hiddenServiceDir = path.join(dataDir, 'hidden-service');
  const hostnameFile = path.join(hiddenServiceDir, 'hostname');
  await ensurePrivateDir(dataDir);
  await ensurePrivateDir(hiddenServiceDir);
  // Tor rewrites this file from the keys at every start; removing the old copy
  // makes its reappearance proof that this tor accepted the configuration.
  await rm(hostnameFile, { force: true });
  return { dataDir, hiddenServiceDir, hostnameFile };
}

async function waitForHostname(tor: TorProcess, hostnameFile: string, timeoutMs: number): Promise<string> {
  return pollUntil({
    attempt: () => readHostname(hostnameFile),
    intervalMs: 100,
    deadline: Date.now() + timeoutMs,
    abort: () =>
      tor.hasExited() ? `tor exited before publishing the onion address:\n${describeTail(tor)}` : undefined,
    timeoutMessage: () => `tor did not write ${hostnameFile} within ${timeoutMs} ms:\n${describeTail(tor)}`,
  });
}

async function readHostname(file: string): Promise<string | undefined> {
  try {
    const hostname = (await readFile(file, 'utf8')).trim();
    return ONION_HOSTNAME.test(hostname) ? hostname : undefined;
  } catch {
    return undefined;
  }
}

function assertPort(name: string, port: number, min: number): void {
  if (!Number.isInteger(port) || port < min || port > 65535) {
    throw new Error(`${name} must be an integer from ${min} to 65535, got ${port}`);
  }
}
