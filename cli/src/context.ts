// What every command gets: the global options as parsed, and where to read and write
// (the process's streams, or a test's).

import type { Readable, Writable } from 'node:stream';

export interface GlobalOptions {
  onion?: string;
  socks?: string;
  torBrowser?: boolean;
  allowAnyOrigin?: boolean;
  user?: string;
  passphraseFd?: number;
  passphraseEnv?: string;
}

export interface Io {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export interface Context {
  options: GlobalOptions;
  io: Io;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** One line on stdout (results) or stderr (progress, warnings). */
export function say(stream: Writable, line: string): void {
  stream.write(`${line}\n`);
}
