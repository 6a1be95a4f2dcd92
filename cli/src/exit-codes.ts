// What the process's exit status means, for scripts and bots. The numbers are part of
// the interface (README, `--help`): never renumber them.

import {
  AccountError,
  ApiError,
  BundleRollbackError,
  FriendError,
  LinkMismatchError,
  UntrustedKeyError,
} from '@onionchat/client';

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  loginRefused: 3,
  unreachable: 4,
  trust: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0  done
  1  failed (the message says why)
  2  wrong usage (unknown command or option, missing argument, refused origin)
  3  log-in refused (wrong username or passphrase, or too many attempts)
  4  cannot reach the service or tor (SOCKS proxy down, onion unreachable, timeout)
  5  refused by a trust check (a contact's key changed, a link or file did not check out, an instance serves another web client)`;

/** An error that already knows its sentence and its exit status. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage);
}

/** The exit status for anything a command threw. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof ApiError && (error.status === 0 || error.code === 'network')) return EXIT.unreachable;
  if (error instanceof ApiError && error.code === 'wrong_credentials') return EXIT.loginRefused;
  if (isTrustError(error)) return EXIT.trust;
  return EXIT.failure;
}

function isTrustError(error: unknown): boolean {
  return (
    error instanceof LinkMismatchError ||
    error instanceof UntrustedKeyError ||
    error instanceof BundleRollbackError ||
    error instanceof FriendError
  );
}

/** Errors thrown while logging in: anything but an unreachable server means the log-in was refused. */
export function loginFailure(error: unknown): ExitCode {
  const code = exitCodeFor(error);
  if (code === EXIT.unreachable || error instanceof CliError) return code;
  if (error instanceof AccountError || error instanceof ApiError) return EXIT.loginRefused;
  return code;
}
