// Handing a sealed message to the server over the socket, and what its answer (or
// a failure to seal) means for the outbox: sent, try again, or failed for good.

import { ProtocolError } from '@onionchat/protocol';
import { ApiError, NETWORK_ERROR_MESSAGE } from '../api';
import { VerifyError } from '../keys';
import { isServerMessage } from '../messages';
import { RATE_LIMIT_BACKOFF_MS, type OutboxEntry, type SendOutcome } from '../outbox';
import { RealtimeError, type Realtime } from '../realtime';

/** How long to wait for the server to acknowledge a message. */
export const SEND_TIMEOUT_MS = 15_000;

export async function transmit(realtime: Realtime, entry: OutboxEntry, sessionLost: () => void): Promise<SendOutcome> {
  let answer: unknown;
  try {
    answer = await realtime.request(
      'message:send',
      { roomId: entry.roomId, clientId: entry.clientId, envelope: entry.envelope },
      SEND_TIMEOUT_MS,
    );
  } catch (error) {
    if (error instanceof RealtimeError && error.reason === 'timeout') {
      return { kind: 'retry', counts: true, note: 'The server did not answer in time.' };
    }
    return { kind: 'retry', counts: false, note: null };
  }
  if (typeof answer !== 'object' || answer === null) {
    return { kind: 'retry', counts: true, note: 'The server sent an answer this page cannot read.' };
  }
  const ack = answer as { ok?: unknown; message?: unknown; status?: unknown; code?: unknown };
  if (ack.ok === true) {
    if (isServerMessage(ack.message) && ack.message.roomId === entry.roomId)
      return { kind: 'sent', message: ack.message };
    return { kind: 'retry', counts: true, note: 'The server sent an answer this page cannot read.' };
  }
  const status = typeof ack.status === 'number' ? ack.status : 0;
  const code = typeof ack.code === 'string' ? ack.code : '';
  const text = typeof ack.message === 'string' && ack.message.length > 0 ? ack.message : null;
  if (code === 'session_expired' || code === 'not_logged_in') {
    sessionLost();
    return { kind: 'retry', counts: false, note: null };
  }
  if (status === 429 || code === 'rate_limited') {
    return {
      kind: 'retry',
      counts: false,
      note: text ?? 'You are sending messages too fast. It will go out in a moment.',
      delayMs: RATE_LIMIT_BACKOFF_MS,
    };
  }
  if (status >= 500 || status === 0) {
    return { kind: 'retry', counts: true, note: text ?? 'The server had a problem.' };
  }
  if (status === 413 || code === 'too_large') {
    return { kind: 'failed', note: text ?? 'This message is too large to send.' };
  }
  return { kind: 'failed', note: text ?? `The server refused this message (${code || status}).` };
}

export function classifySealError(error: unknown): SendOutcome {
  if (error instanceof ApiError) {
    if (error.status === 0 || error.status >= 500) {
      return { kind: 'retry', counts: error.status !== 0, note: error.status === 0 ? null : error.message };
    }
    return { kind: 'failed', note: error.message };
  }
  if (error instanceof VerifyError) {
    return { kind: 'failed', note: `Not sent: this conversation's key can't be used (${error.message}).` };
  }
  if (error instanceof ProtocolError) {
    return {
      kind: 'failed',
      note: error.code === 'too-large' ? 'This message is too large to send.' : `Not sent: ${error.message}`,
    };
  }
  return { kind: 'failed', note: NETWORK_ERROR_MESSAGE };
}
