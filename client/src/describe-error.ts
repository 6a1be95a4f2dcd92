// Every failure the client can meet, as one sentence a person understands. The one
// place errors become words: pages, the terminal client and the core's own notes
// all ask here.

import { ProtocolError } from '@onionchat/protocol';
import { AccountError, WRONG_CREDENTIALS_MESSAGE, type FormField } from './account/account-error.js';
import { SENDING_PHRASES } from './chat/sending-phrases.js';
import { sayer } from './present/phrasebook.js';
import { ApiError, NETWORK_ERROR_MESSAGE } from './transport/api-error.js';

const say = sayer(SENDING_PHRASES);

/** Our sentences for the server's stable error codes, where ours say more than its own. */
const API_SENTENCES = {
  wrong_credentials: 'sending.error.wrongCredentials',
  session_expired: 'sending.error.sessionEnded',
  not_logged_in: 'sending.error.sessionEnded',
  username_taken: 'sending.error.usernameTaken',
  invite_required: 'sending.error.inviteRequired',
  invalid_invite: 'sending.error.invalidInvite',
} as const;

export function describeError(error: unknown): string {
  if (error instanceof AccountError) return error.message;
  if (error instanceof ApiError) return describeApiError(error);
  if (error instanceof ProtocolError) return say('sending.error.protocol', { code: error.code });
  if (error instanceof Error && error.message) return error.message;
  return say('sending.error.generic');
}

function describeApiError(error: ApiError): string {
  if (error.code === 'rate_limited') {
    const wait = error.retryAfter;
    if (wait === null || wait <= 0) return say('sending.error.rateLimited');
    return wait < 60
      ? say('sending.error.rateLimitedSeconds', { count: wait })
      : say('sending.error.rateLimitedMinutes', { count: Math.ceil(wait / 60) });
  }
  // The English constant marks our own sentence (not a server's): say it in the reader's language.
  if (error.code === 'network' && error.message === NETWORK_ERROR_MESSAGE) return say('sending.error.network');
  return Object.hasOwn(API_SENTENCES, error.code)
    ? say(API_SENTENCES[error.code as keyof typeof API_SENTENCES])
    : error.message;
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
