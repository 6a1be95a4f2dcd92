// Every failure the client can meet, as one sentence a person understands. The one
// place errors become words: pages, the terminal client and the core's own notes
// all ask here.

import { ProtocolError } from '@onionchat/protocol';
import { AccountError, WRONG_CREDENTIALS_MESSAGE, type FormField } from './account/account-error.js';
import { ApiError } from './transport/api-error.js';

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

/** The form field an error belongs to, if any (to focus it and mark it invalid). */
export function errorField(error: unknown): FormField | null {
  if (error instanceof AccountError) return error.field;
  if (error instanceof ApiError && error.code === 'username_taken') return 'username';
  return null;
}
