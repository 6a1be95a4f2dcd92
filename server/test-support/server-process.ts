// The built server (server/dist/main.js) as its own process, exactly as `npm start` runs
// it: for tests that need a real process boundary (browsers, crashes, several instances).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER_ENTRY = path.join(repoRoot, 'server/dist/main.js');
const KILL_GRACE_MS = 15_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface SpawnOptions {
  /** The database the server uses (it is not created or dropped here). */
  dbUrl: string;
  env?: Record<string, string>;
  port?: number;
  healthTimeoutMs?: number;
  /** Flags for node itself, before the server's entry point. */
  nodeArgs?: string[];
}

export interface RunningServer {
  origin: string;
  port: number;
  pid: number;
  /** Everything the process printed so far (stdout and stderr). */
  output: () => string;
  /** Sends the signal and waits for the process to exit. */
  kill: (signal?: NodeJS.Signals) => Promise<void>;
  exited: () => boolean;
}

async function waitForHealth(origin: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited early:\n${output()}`);
    try {
      if ((await fetch(`${origin}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become healthy:\n${output()}`);
}

/** Starts the built server on 127.0.0.1 and resolves once its health check answers. */
export async function spawnServer(options: SpawnOptions): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER_ENTRY], {
    env: { ...process.env, DATABASE_URL: options.dbUrl, PORT: String(port), HOST: '127.0.0.1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const output = () => log;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  await waitForHealth(origin, child, output, options.healthTimeoutMs ?? 30_000);
  return {
    origin,
    port,
    pid: child.pid!,
    output,
    exited,
    kill: async (signal = 'SIGTERM') => {
      if (!exited()) child.kill(signal);
      // A server that cannot shut down cleanly (say, its database is gone) must not hang
      // the test run: after a grace period it is killed outright.
      const grace = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      await exit;
      clearTimeout(grace);
    },
  };
}
