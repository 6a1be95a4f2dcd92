import { describe, expect, it } from 'vitest';
import {
  AccountError,
  ApiError,
  BundleRollbackError,
  FriendError,
  LinkMismatchError,
  WRONG_CREDENTIALS_MESSAGE,
} from '@onionchat/client';
import { CliError, EXIT, exitCodeFor, loginFailure } from './exit-codes.js';

describe('exit codes', () => {
  it('keeps the numbers the help and README promise', () => {
    expect(EXIT).toEqual({ ok: 0, failure: 1, usage: 2, loginRefused: 3, unreachable: 4, trust: 5 });
  });

  it('maps what commands throw', () => {
    expect(exitCodeFor(new CliError('x', EXIT.usage))).toBe(2);
    expect(exitCodeFor(new ApiError(0, 'network', 'x'))).toBe(4);
    expect(exitCodeFor(new ApiError(401, 'wrong_credentials', 'x'))).toBe(3);
    expect(exitCodeFor(new LinkMismatchError('bob', 'x'))).toBe(5);
    expect(exitCodeFor(new FriendError('x'))).toBe(5);
    expect(exitCodeFor(new BundleRollbackError())).toBe(5);
    expect(exitCodeFor(new ApiError(500, 'http_500', 'x'))).toBe(1);
    expect(exitCodeFor(new Error('x'))).toBe(1);
    expect(exitCodeFor('not an error')).toBe(1);
  });

  it('calls every log-in failure a refusal, except an unreachable server', () => {
    expect(loginFailure(new AccountError(WRONG_CREDENTIALS_MESSAGE))).toBe(3);
    expect(loginFailure(new ApiError(429, 'rate_limited', 'x'))).toBe(3);
    expect(loginFailure(new ApiError(0, 'network', 'x'))).toBe(4);
    expect(loginFailure(new CliError('x', EXIT.usage))).toBe(2);
  });
});
