// What the server's answer to a send (or a failure to seal it) means for the outbox:
// sent, try again, or failed for good. Pure: the sender acts on the result.

import { ProtocolError } from '@onionchat/protocol';
import { describeError } from '../describe-error.js';
import { sayer } from '../present/phrasebook.js';
import { ApiError, isSessionLostCode } from '../transport/api-error.js';
import { RealtimeError } from '../transport/realtime.js';
import { VerifyError } from '../trust/index.js';
import { decodeSendAck } from './decode.js';
import { RATE_LIMIT_BACKOFF_MS, type SendOutcome } from './outbox.js';
import { SENDING_PHRASES } from './sending-phrases.js';

const say = sayer(SENDING_PHRASES);

/** How long to wait for the server to acknowledge a message. */
export const SEND_TIMEOUT_MS = 15_000;

/** The socket could not deliver the message or bring back an answer. */
export function transportOutcome(error: unknown): SendOutcome {
  if (error instanceof RealtimeError && error.reason === 'timeout') {
    return { kind: 'retry', counts: true, note: say('sending.connection.timeout') };
  }
  return { kind: 'retry', counts: false, note: null };
}

/** The acknowledgement (untrusted) for a message to `roomId`. `sessionLost`: the server says the session is gone. */
export function ackOutcome(answer: unknown, roomId: string): SendOutcome & { sessionLost?: boolean } {
  const ack = decodeSendAck(answer);
  if (!ack) return { kind: 'retry', counts: true, note: say('sending.outcome.unreadable') };
  if (ack.ok) {
    if (ack.message && ack.message.roomId === roomId) return { kind: 'sent', message: ack.message };
    return { kind: 'retry', counts: true, note: say('sending.outcome.unreadable') };
  }
  const { status, code, message: text } = ack;
  if (isSessionLostCode(code)) {
    return { kind: 'retry', counts: false, note: null, sessionLost: true };
  }
  if (code === 'stale_epoch') {
    // A member moved the conversation to a new key meanwhile: seal it again under that one.
    return { kind: 'retry', counts: true, note: null, reseal: true };
  }
  if (status === 429 || code === 'rate_limited') {
    return {
      kind: 'retry',
      counts: false,
      note: text ?? say('sending.outcome.tooFast'),
      delayMs: RATE_LIMIT_BACKOFF_MS,
    };
  }
  // Final: the server will never store it, and every reader would drop it anyway.
  if (code === 'already_disappeared') return { kind: 'disappeared' };
  if (status >= 500 || status === 0)
    return { kind: 'retry', counts: true, note: text ?? say('sending.outcome.serverProblem') };
  if (status === 413 || code === 'too_large') return { kind: 'failed', note: text ?? say('sending.outcome.tooLarge') };
  return { kind: 'failed', note: text ?? say('sending.outcome.refused', { code: code || status }) };
}

/** Sealing failed (no key, a key that does not check out, the server unreachable). */
export function sealFailure(error: unknown): SendOutcome {
  if (error instanceof ApiError) {
    if (error.status === 0) return { kind: 'retry', counts: false, note: null };
    if (error.status >= 500) return { kind: 'retry', counts: true, note: describeError(error) };
    return { kind: 'failed', note: describeError(error) };
  }
  if (error instanceof VerifyError) {
    return { kind: 'failed', note: say('sending.outcome.unusableKey', { reason: error.message }) };
  }
  if (error instanceof ProtocolError && error.code === 'too-large') {
    return { kind: 'failed', note: say('sending.outcome.tooLarge') };
  }
  return { kind: 'failed', note: say('sending.outcome.notSentBecause', { reason: describeError(error) }) };
}
