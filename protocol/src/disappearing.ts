import { ProtocolError } from './errors.js';
import { signedLater } from './signed-order.js';

/**
 * Disappearing messages (PROTOCOL.md §20). A conversation's timer is set by a signed
 * message { type: 'timer', ttl } and any message may carry its own `ttl`: seconds
 * after its signed send time when every reader drops it. Only these values exist, so
 * every client can name them ("1 day") and none can be talked into an odd one.
 * 0 turns the timer off (and is not allowed as a message's own ttl).
 */
export const DISAPPEARING_TTLS: readonly number[] = Object.freeze([0, 30, 300, 3600, 86_400, 604_800, 2_419_200]);
export const TIMER_MESSAGE_TYPE = 'timer';

/** A timer message as readers order it: by signed send time, then message id. */
export interface TimerSetting {
  /** Seconds; 0: off. */
  ttl: number;
  /** The signed send time of the timer message (ms). */
  sentAt: number;
  messageId: string;
}

/**
 * The ttl member of a message body: null when absent, else one of the non-zero
 * DISAPPEARING_TTLS. A timer body must have one (0 included). Throws 'bad-content'.
 */
export function readMessageTtl(body: { type: string } & Record<string, unknown>): number | null {
  const { ttl } = body;
  const isTimer = body.type === TIMER_MESSAGE_TYPE;
  if (ttl === undefined) {
    if (isTimer) throw badContent('a timer message has no "ttl"');
    return null;
  }
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || !DISAPPEARING_TTLS.includes(ttl)) {
    throw badContent(`its "ttl" is not one of ${DISAPPEARING_TTLS.join(', ')}`);
  }
  if (ttl === 0 && !isTimer) throw badContent('a message\'s own "ttl" cannot be 0');
  return ttl;
}

/** The body of a message that sets the conversation's timer (0: off). */
export function timerMessageBody(ttl: number): { type: string; ttl: number } {
  const body = { type: TIMER_MESSAGE_TYPE, ttl };
  readMessageTtl(body);
  return body;
}

/**
 * The timer in effect at `at` (ms): the latest timer message signed at or before it,
 * ordered by signed send time, a tie going to the greater message id (compared as
 * lower-case text). 0 when there is none.
 */
export function timerInEffect(timers: readonly TimerSetting[], at: number): number {
  let best: TimerSetting | null = null;
  for (const timer of timers) {
    if (timer.sentAt > at) continue;
    if (!best || laterTimer(timer, best)) best = timer;
  }
  return best?.ttl ?? 0;
}

/** The latest timer message of all, or null: the conversation's timer now. */
export function latestTimer(timers: readonly TimerSetting[]): TimerSetting | null {
  let best: TimerSetting | null = null;
  for (const timer of timers) if (!best || laterTimer(timer, best)) best = timer;
  return best;
}

/** Whether `a` replaces `b`: signed later, or at the same time with the greater message id. */
export function laterTimer(a: TimerSetting, b: TimerSetting): boolean {
  return signedLater(
    { sentAt: a.sentAt, id: a.messageId.toLowerCase() },
    { sentAt: b.sentAt, id: b.messageId.toLowerCase() },
  );
}

/**
 * The ttl a reader applies to a message: the shorter non-zero one of its own and of
 * the conversation's timer when it was sent, null when neither is set. A sender cannot
 * keep a message longer than the timer by leaving its ttl out.
 */
export function effectiveTtl(own: number | null, timer: number): number | null {
  const candidates = [own ?? 0, timer].filter((ttl) => ttl > 0);
  return candidates.length === 0 ? null : Math.min(...candidates);
}

/** When a message signed at `sentAt` (ms) with this ttl (s) disappears (ms since 1970). */
export function expiryOf(sentAt: number, ttl: number): number {
  if (!Number.isSafeInteger(sentAt) || sentAt < 0) {
    throw new ProtocolError('bad-encoding', `The send time must be an integer from 0 to 2^53 - 1, got ${sentAt}.`);
  }
  if (!DISAPPEARING_TTLS.includes(ttl) || ttl === 0) throw badContent(`its "ttl" ${ttl} is not a disappearing time`);
  return sentAt + ttl * 1000;
}

function badContent(reason: string): ProtocolError {
  return new ProtocolError('bad-content', `The message content is invalid: ${reason}.`);
}
