// The built terminal client (cli/dist/main.js) as a real process, as a person or a bot
// runs it: for the integration tests against the real server.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CLI_ENTRY = path.join(repoRoot, 'cli/dist/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  stdin?: string;
}

export interface RunningCli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  done: Promise<CliResult>;
}

/** Starts `onionchat <args>` with a clean environment (no HOME config, no TTY). */
export function startCli(args: string[], options: CliOptions): RunningCli {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: options.cwd, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (data: Buffer) => (stdout += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
  child.stdin!.end(options.stdin ?? '');
  const done = new Promise<CliResult>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Resolves once `check` finds what it wants in the output, or rejects after `timeoutMs`. */
export async function waitForOutput(
  read: () => string,
  check: (text: string) => boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check(read())) {
    if (Date.now() > deadline) throw new Error(`timed out; output so far:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
