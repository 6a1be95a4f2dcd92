import { ProtocolError } from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import { AccountError, WRONG_CREDENTIALS_MESSAGE } from './account/account-error.js';
import { describeError, errorField, errorPhrase } from './describe-error.js';
import { ApiError, NETWORK_ERROR_MESSAGE, errorFromResponse, meansSessionLost } from './transport/api-error.js';

describe('describeError', () => {
  it('says how long to wait when the server rate-limits, in words', () => {
    expect(describeError(new ApiError(429, 'rate_limited', 'Too many', 1))).toBe(
      'Too many attempts. Try again in 1 second.',
    );
    expect(describeError(new ApiError(429, 'rate_limited', 'Too many', 42))).toBe(
      'Too many attempts. Try again in 42 seconds.',
    );
    expect(describeError(new ApiError(429, 'rate_limited', 'Too many', 61))).toBe(
      'Too many attempts. Try again in 2 minutes.',
    );
    expect(describeError(new ApiError(429, 'rate_limited', 'Too many'))).toBe(
      'Too many attempts. Wait a little and try again.',
    );
  });

  it('uses its own sentence for known codes and the server’s for the rest', () => {
    expect(describeError(new ApiError(401, 'wrong_credentials', 'x'))).toBe(WRONG_CREDENTIALS_MESSAGE);
    expect(describeError(new ApiError(401, 'session_expired', 'x'))).toBe('Your session has ended. Log in again.');
    expect(describeError(new ApiError(409, 'already_friends', 'You and bob are already friends.'))).toBe(
      'You and bob are already friends.',
    );
    expect(describeError(new ApiError(0, 'network', NETWORK_ERROR_MESSAGE))).toBe(NETWORK_ERROR_MESSAGE);
  });

  it('never shows a bare code or an empty sentence', () => {
    expect(describeError(new ProtocolError('bad-signature', 'x'))).toBe(
      'A cryptographic check failed (bad-signature). Try again.',
    );
    expect(describeError(new AccountError('Enter your passphrase.', 'passphrase'))).toBe('Enter your passphrase.');
    expect(describeError(new Error(''))).toBe('Something went wrong. Try again.');
    expect(describeError('thrown string')).toBe('Something went wrong. Try again.');
  });

  it('ties form errors to their field', () => {
    expect(errorField(new AccountError('x', 'new-passphrase'))).toBe('new-passphrase');
    expect(errorField(new ApiError(409, 'username_taken', 'x'))).toBe('username');
    expect(errorField(new ApiError(500, 'internal_error', 'x'))).toBeNull();
  });
});

describe('errorFromResponse', () => {
  it('reads the code, the sentence and Retry-After (seconds or a date)', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    const error = errorFromResponse(429, { code: 'rate_limited', message: 'Slow down.' }, '7', now);
    expect([error.status, error.code, error.message, error.retryAfter]).toEqual([429, 'rate_limited', 'Slow down.', 7]);
    expect(errorFromResponse(429, undefined, 'Thu, 03 Dec 2026 12:00:30 GMT', now).retryAfter).toBe(30);
    expect(errorFromResponse(503, undefined, 'soon', now).retryAfter).toBeNull();
  });

  it('makes its own sentence when the body has none', () => {
    expect(errorFromResponse(502, 'not json', null).message).toBe(
      'The server had a problem (HTTP 502). Try again in a moment.',
    );
    expect(errorFromResponse(404, {}, null)).toMatchObject({
      code: 'http_404',
      message: 'The request failed (HTTP 404).',
    });
  });

  it('knows a lost session only by a 401 with a session code', () => {
    expect(meansSessionLost(new ApiError(401, 'not_logged_in', 'x'))).toBe(true);
    expect(meansSessionLost(new ApiError(401, 'session_expired', 'x'))).toBe(true);
    expect(meansSessionLost(new ApiError(401, 'wrong_credentials', 'x'))).toBe(false);
    expect(meansSessionLost(new ApiError(403, 'session_expired', 'x'))).toBe(false);
  });
});

describe('errorPhrase', () => {
  it('names the sentence describeError gives, with its values, for an interface in another language', () => {
    expect(errorPhrase(new ApiError(401, 'wrong_credentials', 'x'))).toEqual({ key: 'errors.wrongCredentials' });
    expect(errorPhrase(new AccountError(WRONG_CREDENTIALS_MESSAGE, 'passphrase'))).toEqual({
      key: 'errors.wrongCredentials',
    });
    expect(errorPhrase(new ApiError(0, 'network', NETWORK_ERROR_MESSAGE))).toEqual({ key: 'errors.network' });
    expect(errorPhrase(new ApiError(429, 'rate_limited', 'Too many', 42))).toEqual({
      key: 'errors.rateLimitedSeconds',
      values: { count: 42 },
    });
    expect(errorPhrase(new ApiError(429, 'rate_limited', 'Too many', 61))).toEqual({
      key: 'errors.rateLimitedMinutes',
      values: { count: 2 },
    });
    expect(errorPhrase(new ApiError(429, 'rate_limited', 'Too many'))).toEqual({ key: 'errors.rateLimited' });
    expect(errorPhrase('??')).toEqual({ key: 'errors.generic' });
  });

  it('has none where only an English sentence exists (a core rule, an unknown server code)', () => {
    expect(errorPhrase(new AccountError('Choose a longer passphrase.', 'passphrase'))).toBeNull();
    expect(errorPhrase(new ApiError(409, 'already_friends', 'You and bob are already friends.'))).toBeNull();
    expect(errorPhrase(new Error('Something specific'))).toBeNull();
  });
});
