// One tor child process: spawned with a torrc file, its output kept (last lines)
// for error messages, its exit observable, and stoppable by PID.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { onProcessExit } from './exit-cleanup.js';

export type TorExit = { code: number | null; signal: NodeJS.Signals | null };
export type LogFn = (line: string) => void;

export type TorProcess = {
  name: string;
  pid: number;
  exited: Promise<TorExit>;
  /** True once the process has exited. */
  hasExited(): boolean;
  /** The last lines tor printed (stdout and stderr), oldest first. */
  tail(): string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
};

const TAIL_LINES = 30;
const DEFAULT_GRACE_MS = 3000;

/** Starts `tor -f <torrcPath>`; rejects if the binary cannot be executed. */
export async function launchTor(options: {
  name: string;
  torBinary: string;
  torrcPath: string;
  log?: LogFn;
  /**
   * Sees every line first; returning true marks it as read for the caller only, so it
   * is neither kept in the tail nor passed to `log`.
   */
  observe?: (line: string) => boolean;
}): Promise<TorProcess> {
  const { name, torBinary, torrcPath, log, observe } = options;
  // --ignore-missing-torrc is not used: the torrc we wrote must exist.
  // The defaults torrc is disabled so a system-wide /etc/tor/torrc-defaults cannot leak in.
  const child = spawn(torBinary, ['-f', torrcPath, '--defaults-torrc', '/dev/null'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err) => reject(new Error(`cannot run ${torBinary}: ${err.message}`)));
  });
  const pid = child.pid as number;

  const lines: string[] = [];
  const keep = (line: string): void => {
    if (observe?.(line)) return;
    lines.push(line);
    if (lines.length > TAIL_LINES) lines.shift();
    log?.(`[${name}] ${line}`);
  };
  collectLines(child.stdout, keep);
  collectLines(child.stderr, keep);

  // Killed with SIGKILL if Node exits first; the registration is dropped on exit.
  const unregister = onProcessExit(() => killQuietly(pid, 'SIGKILL'));
  let done = false;
  // 'close' (not 'exit') so that the output is fully read before `exited` settles.
  const exited = new Promise<TorExit>((resolve) => {
    child.once('close', (code, signal) => {
      done = true;
      unregister();
      resolve({ code, signal });
    });
  });

  const stop = async (graceMs = DEFAULT_GRACE_MS): Promise<void> => {
    if (done) return;
    killQuietly(pid, 'SIGTERM');
    const timer = setTimeout(() => killQuietly(pid, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  return { name, pid, exited, hasExited: () => done, tail: () => [...lines], stop };
}

/** Formats a process's last output lines for an error message. */
export function describeTail(tor: TorProcess): string {
  const tail = tor.tail();
  const body = tail.length > 0 ? tail.map((l) => `    ${l}`).join('\n') : '    (no output)';
  return `  ${tor.name} (pid ${tor.pid}${tor.hasExited() ? ', exited' : ''}):\n${body}`;
}

function collectLines(stream: Readable, onLine: (line: string) => void): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
