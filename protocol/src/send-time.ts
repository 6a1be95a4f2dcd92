import { ProtocolError } from './errors.js';

/** A send time this far after the server's time is more than clock drift. */
export const SEND_TIME_MAX_AHEAD_MS = 10 * 60_000;
/**
 * A send time this far before the server stored the message is more than a slow
 * network: an outbox retries a message for up to about this long, with the send
 * time it was sealed with.
 */
export const SEND_TIME_MAX_BEHIND_MS = 2 * 60 * 60_000;

export type SendTimeReason = 'ahead' | 'behind' | 'before-previous';
export type SendTimeVerdict = { verdict: 'ok' } | { verdict: 're-timed'; reason: SendTimeReason };

export interface SendTimeFacts {
  /** The signed send time (ms since 1970, sender's clock). */
  sentAt: number;
  /** When the server says it stored the message (ms since 1970, server's clock). */
  serverTime: number;
  /** The signed send time of the previous message of the same sender and chain, if known. */
  previousSentAt: number | null;
}

/**
 * Judges a message's signed send time against the time the server filed it and
 * against the sender's previous message in the same chain (PROTOCOL.md §9). A
 * message the server held back or delivered again long after it was written is
 * 're-timed': 'behind' when it was sent more than SEND_TIME_MAX_BEHIND_MS before
 * the server's time, 'ahead' when more than SEND_TIME_MAX_AHEAD_MS after it,
 * 'before-previous' when it claims to be older than the message before it.
 * Throws 'bad-encoding' for a time that is not an integer from 0 to 2^53 - 1.
 */
export function judgeSendTime({ sentAt, serverTime, previousSentAt }: SendTimeFacts): SendTimeVerdict {
  checkTime(sentAt, 'send time');
  checkTime(serverTime, "server's time");
  if (previousSentAt !== null) checkTime(previousSentAt, 'previous send time');
  if (sentAt - serverTime > SEND_TIME_MAX_AHEAD_MS) return retimed('ahead');
  if (serverTime - sentAt > SEND_TIME_MAX_BEHIND_MS) return retimed('behind');
  if (previousSentAt !== null && sentAt < previousSentAt) return retimed('before-previous');
  return { verdict: 'ok' };
}

function retimed(reason: SendTimeReason): SendTimeVerdict {
  return { verdict: 're-timed', reason };
}

function checkTime(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ProtocolError('bad-encoding', `The ${what} must be an integer from 0 to 2^53 - 1, got ${value}.`);
  }
}
