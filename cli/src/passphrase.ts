// Where a passphrase comes from: typed on the terminal without echo, or, only when the
// person asks for it (automation), a file descriptor or an environment variable. Never
// a command-line argument (other users can read those) and never stored anywhere.

import { readFileSync } from 'node:fs';
import { sayPassphraseProblem } from '@onionchat/client';
import { read } from 'read';
import type { Io } from './context.js';
import { CliError, EXIT, usageError } from './exit-codes.js';

export interface PassphraseSource {
  /** Read the passphrase from this open file descriptor (one line). */
  fd?: number;
  /** Read the passphrase from this environment variable. */
  env?: string;
}

export type PassphraseIo = Pick<Io, 'stdin' | 'stderr' | 'env'>;

const STD_IO: PassphraseIo = { stdin: process.stdin, stderr: process.stderr, env: process.env };

/** The passphrase to log in with. */
export async function askPassphrase(source: PassphraseSource, prompt = 'Passphrase: ', io = STD_IO): Promise<string> {
  const given = fromAutomation(source, io);
  if (given !== null) return given;
  return fromTerminal(prompt, io);
}

/**
 * A new passphrase (sign-up, change): typed twice on a terminal and checked with the
 * protocol's rules; from automation it is checked once.
 */
export async function askNewPassphrase(
  source: PassphraseSource,
  username: string,
  io = STD_IO,
  prompt = 'New passphrase: ',
): Promise<string> {
  const given = fromAutomation(source, io);
  const passphrase = given ?? (await fromTerminal(prompt, io));
  const problem = sayPassphraseProblem(passphrase, username);
  if (problem) throw new CliError(problem, EXIT.failure);
  if (given === null && (await fromTerminal('Again, to be sure: ', io)) !== passphrase) {
    throw new CliError('The two passphrases were not the same. Nothing was changed.', EXIT.failure);
  }
  return passphrase;
}

/** The passphrase from --passphrase-fd or --passphrase-env, or null when neither was given. */
export function fromAutomation(source: PassphraseSource, io: Pick<PassphraseIo, 'env'> = STD_IO): string | null {
  if (source.fd !== undefined && source.env !== undefined) {
    throw usageError('Give either --passphrase-fd or --passphrase-env, not both.');
  }
  if (source.env !== undefined) {
    const value = io.env[source.env];
    if (value === undefined) throw usageError(`The environment variable ${source.env} is not set.`);
    return value;
  }
  if (source.fd !== undefined) return firstLine(readFileSync(source.fd, 'utf8'));
  return null;
}

async function fromTerminal(prompt: string, io: PassphraseIo): Promise<string> {
  if (!io.stdin.isTTY) {
    throw usageError(
      'No terminal to type the passphrase on. For scripts, pass --passphrase-fd N or --passphrase-env VAR.',
    );
  }
  try {
    return await read({ prompt, silent: true, replace: '', input: io.stdin, output: io.stderr, terminal: true });
  } catch {
    throw new CliError('No passphrase was typed.', EXIT.usage);
  }
}

function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}
