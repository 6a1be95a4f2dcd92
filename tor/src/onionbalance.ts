// Onionbalance (Debian package "onionbalance", 0.2.x): one onion address in front of
// several app instances. Each instance's tor publishes its own onion service marked
// `HiddenServiceOnionbalanceInstance 1`; Onionbalance, through a management tor's
// control port, fetches their descriptors and publishes one frontend descriptor that
// lists all of their introduction points. deploy/onionbalance/ holds the production files.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { onProcessExit } from './exit-cleanup.js';
import type { LogFn } from './tor-process.js';
import { renderTorrc } from './torrc.js';

const run = promisify(execFile);
const SEARCH = ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin'];
const STOP_GRACE_MS = 3000;
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((file) => existsSync(file));

export type OnionbalanceBinaries = { onionbalance: string; config: string };

/** The installed onionbalance and onionbalance-config, if both are there. */
export function findOnionbalance(): OnionbalanceBinaries | undefined {
  const find = (name: string) => SEARCH.map((dir) => path.join(dir, name)).find((file) => existsSync(file));
  const [onionbalance, config] = [find('onionbalance'), find('onionbalance-config')];
  return onionbalance && config ? { onionbalance, config } : undefined;
}

/**
 * Makes the frontend's identity key with onionbalance-config (as an operator would) and
 * returns its file and the frontend's address, the one users are given.
 */
export async function createFrontendKey(
  binaries: OnionbalanceBinaries,
  dir: string,
): Promise<{ keyFile: string; address: string }> {
  await run(binaries.config, ['--hs-version', 'v3', '--no-interactive', '--output', dir, '-n', '1']);
  const key = (await readdir(dir)).find((name) => /^[a-z2-7]{56}\.key$/.test(name));
  if (!key) throw new Error(`onionbalance-config wrote no frontend key into ${dir}`);
  return { keyFile: path.join(dir, key), address: `${key.slice(0, -'.key'.length)}.onion` };
}

// The files shipped for deployment, so what is tested is what operators run.
const DEPLOY_DIR = new URL('../../deploy/onionbalance/', import.meta.url);
const deployFile = (name: string) => readFile(new URL(name, DEPLOY_DIR), 'utf8');

/** Onionbalance's config.yaml: the frontend's key, the instances' onion addresses behind it. */
export async function onionbalanceConfig(keyFile: string, instances: string[]): Promise<string> {
  const values = Object.fromEntries(instances.map((address, i) => [`instance${i + 1}`, address]));
  return renderTorrc(await deployFile('config.yaml.template'), { frontendKey: keyFile, ...values });
}

/** The management tor's torrc: a client with a cookie-authenticated control port. */
export async function managementTorrc(values: { dataDir: string; controlPort: number; owningPid: number }) {
  return renderTorrc(await deployFile('torrc.template'), values);
}

/** The file `ob_config` in an instance's HiddenServiceDir: which frontend it serves. */
export function instanceObConfig(frontendAddress: string): string {
  return `MasterOnionAddress ${frontendAddress}\n`;
}

/** Added to an instance's torrc, after its HiddenServiceDir and HiddenServicePort lines. */
export async function instanceTorrcLines(): Promise<string[]> {
  const snippet = await deployFile('instance-torrc.snippet');
  return snippet.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

export type OnionbalanceProcess = {
  pid: number;
  /** The last lines it printed, for error messages. */
  tail(): string[];
  hasExited(): boolean;
  stop(): Promise<void>;
};

export type OnionbalanceOptions = {
  binaries: OnionbalanceBinaries;
  configFile: string;
  /** The management tor's control port on 127.0.0.1 (cookie authentication). */
  controlPort: number;
  /** Test network timing (20 s votes, short descriptor lifetimes). */
  testnet?: boolean;
  /** Seconds before the first fetch and publish; Onionbalance itself waits 45. */
  startDelaySeconds?: number;
  log?: LogFn;
};

/** Starts Onionbalance; it is killed with this process if not stopped before. */
export async function launchOnionbalance(options: OnionbalanceOptions): Promise<OnionbalanceProcess> {
  const args = ['-c', options.configFile, '-i', '127.0.0.1', '-p', String(options.controlPort), '-v', 'info'];
  if (options.testnet) args.push('--is-testnet');
  const command =
    options.startDelaySeconds === undefined
      ? [options.binaries.onionbalance, ...args]
      : [interpreterOf(options.binaries.onionbalance), '-c', withStartDelay(options.startDelaySeconds), ...args];
  // Python cannot watch its parent the way tor does (__OwningControllerProcess): where
  // util-linux's setpriv is installed, the kernel kills Onionbalance when we die.
  const guarded = SETPRIV ? [SETPRIV, '--pdeathsig', 'KILL', '--', ...command] : command;
  const child = spawn(guarded[0]!, guarded.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err) => reject(new Error(`cannot run onionbalance: ${err.message}`)));
  });
  const pid = child.pid as number;
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (lines.length > 30) lines.shift();
      options.log?.(`[onionbalance] ${line}`);
    });
  }
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let done = false;
  void exited.then(() => (done = true));
  const unregister = onProcessExit(() => {
    if (!done) killQuietly(pid, 'SIGKILL');
  });
  return {
    pid,
    tail: () => [...lines],
    hasExited: () => done,
    // SIGTERM, then SIGKILL if it is still busy after the grace period.
    stop: async () => {
      if (!done) killQuietly(pid, 'SIGTERM');
      const grace = setTimeout(() => done || killQuietly(pid, 'SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(grace);
      unregister();
    },
  };
}

/** Runs Onionbalance's own entry point with its fixed start-up delay shortened. */
function withStartDelay(seconds: number): string {
  return [
    'import sys',
    'from onionbalance.hs_v3 import params',
    `params.INITIAL_CALLBACK_DELAY = ${seconds}`,
    'from onionbalance.manager import main',
    "sys.argv[0] = 'onionbalance'",
    'sys.exit(main())',
  ].join('\n');
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** The Python that runs the installed onionbalance script (its #! line). */
function interpreterOf(script: string): string {
  const first = readFileSync(script, 'utf8').split('\n', 1)[0] ?? '';
  return first.startsWith('#!') ? first.slice(2).trim().split(/\s+/)[0]! : 'python3';
}

/** Writes the config where Onionbalance expects to read it. */
export async function writeOnionbalanceConfig(file: string, keyFile: string, instances: string[]): Promise<void> {
  await writeFile(file, await onionbalanceConfig(keyFile, instances), { mode: 0o600 });
}
