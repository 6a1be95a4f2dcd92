// Runs a short-lived helper program (tor-gencert, tor --list-fingerprint) and
// returns its output, failing with the program's own words on error.
import { spawn } from 'node:child_process';

export function runCommand(file: string, args: string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (err) => reject(new Error(`cannot run ${file}: ${err.message}`)));
    child.once('close', (code, signal) => {
      const out = Buffer.concat(stdout).toString('utf8');
      if (code === 0) return resolve(out);
      const err = Buffer.concat(stderr).toString('utf8');
      reject(new Error(`${file} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${err}${out}`.trimEnd()));
    });
    // A program that exits without reading its input (or never starts) makes this EPIPE;
    // its exit status already tells what happened.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
