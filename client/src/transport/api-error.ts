// A failed request, as every part of the client sees it: a status, the server's
// stable code and its sentence (or ours, when the server could not be reached).

import { SESSION_LOST_CODES } from '@onionchat/contract';
import { SENDING_PHRASES } from '../chat/sending-phrases.js';
import { sayer } from '../present/phrasebook.js';

const say = sayer(SENDING_PHRASES);

/**
 * A network ApiError's own message, kept in English: it tells our sentence from one a
 * transport brought, and `describeError` says it in the reader's language.
 */
export const NETWORK_ERROR_MESSAGE = "Can't reach the server (Tor circuits sometimes drop; try again).";

export class ApiError extends Error {
  /** HTTP status, or 0 when the server could not be reached at all. */
  readonly status: number;
  /** Stable machine-readable code from the server ("wrong_credentials", ...), or "network". */
  readonly code: string;
  /** Seconds until a rate-limited request may be retried, when the server said so. */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export function networkError(message = NETWORK_ERROR_MESSAGE): ApiError {
  return new ApiError(0, 'network', message);
}

export function unreadableAnswer(status: number): ApiError {
  return new ApiError(status, 'bad_response', say('sending.error.badResponse'));
}

/** The server's code says this client no longer has a valid session. */
export function isSessionLostCode(code: unknown): boolean {
  return typeof code === 'string' && SESSION_LOST_CODES.includes(code);
}

export function meansSessionLost(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && isSessionLostCode(error.code);
}

function parseRetryAfter(header: string | null, now: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  return null;
}

function isErrorBody(value: unknown): value is { code?: unknown; message?: unknown } {
  return typeof value === 'object' && value !== null;
}

/** The ApiError for a failed response (`data`: its parsed JSON body, if any). */
export function errorFromResponse(
  status: number,
  data: unknown,
  retryAfter: string | null,
  now: number = Date.now(),
): ApiError {
  const code = isErrorBody(data) && typeof data.code === 'string' ? data.code : `http_${status}`;
  const message =
    isErrorBody(data) && typeof data.message === 'string' && data.message.length > 0
      ? data.message
      : status >= 500
        ? say('sending.error.serverProblem', { status })
        : say('sending.error.requestFailed', { status });
  return new ApiError(status, code, message, parseRetryAfter(retryAfter, now));
}

export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
