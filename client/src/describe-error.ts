// Every failure the client can meet, as one sentence a person understands. The one
// place errors become words: pages, the terminal client and the core's own notes
// all ask here.

import { ProtocolError } from '@onionchat/protocol';
import { AccountError, WRONG_CREDENTIALS_MESSAGE, type FormField } from './account/account-error.js';
import { ApiError, NETWORK_ERROR_MESSAGE } from './transport/api-error.js';

/** Sentences for the server's stable error codes, where ours say more than its own. */
const API_SENTENCES: Record<string, string> = {
  wrong_credentials: WRONG_CREDENTIALS_MESSAGE,
  session_expired: 'Your session has ended. Log in again.',
  not_logged_in: 'Your session has ended. Log in again.',
  username_taken: 'That username is already taken. Try another one.',
  invite_required: 'Registration here is invite-only: you need an invite link from an existing member.',
  invalid_invite:
    'This invite link is not valid any more (it may have been used, revoked or expired). Ask for a new one.',
};

export function describeError(error: unknown): string {
  if (error instanceof AccountError) return error.message;
  if (error instanceof ApiError) return describeApiError(error);
  if (error instanceof ProtocolError) return `A cryptographic check failed (${error.code}). Try again.`;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}

function describeApiError(error: ApiError): string {
  if (error.code === 'rate_limited') {
    return error.retryAfter !== null && error.retryAfter > 0
      ? `Too many attempts. Try again in ${formatWait(error.retryAfter)}.`
      : 'Too many attempts. Wait a little and try again.';
  }
  return API_SENTENCES[error.code] ?? error.message;
}

function formatWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/**
 * What `describeError` says, as a message key and its values, for an interface that
 * speaks other languages (the web app's catalogues have these keys). Null where only
 * the English sentence exists: a core rule's own wording, or a server sentence without
 * a known code; the interface then shows `describeError`'s English.
 */
export interface ErrorPhrase {
  key: string;
  values?: Record<string, string | number>;
}

const API_PHRASES: Record<string, string> = {
  wrong_credentials: 'errors.wrongCredentials',
  session_expired: 'errors.sessionEnded',
  not_logged_in: 'errors.sessionEnded',
  username_taken: 'errors.usernameTaken',
  invite_required: 'errors.inviteRequired',
  invalid_invite: 'errors.invalidInvite',
  network: 'errors.network',
  bad_response: 'errors.badResponse',
};

export function errorPhrase(error: unknown): ErrorPhrase | null {
  if (error instanceof AccountError) {
    return error.message === WRONG_CREDENTIALS_MESSAGE ? { key: 'errors.wrongCredentials' } : null;
  }
  if (error instanceof ApiError) {
    if (error.code === 'rate_limited') {
      const wait = error.retryAfter;
      if (wait === null || wait <= 0) return { key: 'errors.rateLimited' };
      return wait < 60
        ? { key: 'errors.rateLimitedSeconds', values: { count: wait } }
        : { key: 'errors.rateLimitedMinutes', values: { count: Math.ceil(wait / 60) } };
    }
    // A network error with a sentence of its own keeps it.
    if (error.code === 'network' && error.message !== NETWORK_ERROR_MESSAGE) return null;
    const key = API_PHRASES[error.code];
    return key ? { key } : null;
  }
  if (error instanceof ProtocolError) return { key: 'errors.protocol', values: { code: error.code } };
  if (error instanceof Error && error.message) return null;
  return { key: 'errors.generic' };
}

/** The form field an error belongs to, if any (to focus it and mark it invalid). */
export function errorField(error: unknown): FormField | null {
  if (error instanceof AccountError) return error.field;
  if (error instanceof ApiError && error.code === 'username_taken') return 'username';
  return null;
}
