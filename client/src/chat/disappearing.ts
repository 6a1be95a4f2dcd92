// Disappearing messages (PROTOCOL.md §20): a conversation's timer is the latest signed
// timer message; every message disappears at its signed send time plus the shorter of
// its own ttl and the timer then in effect. This client drops it from memory then,
// whatever the server does; the server is asked to delete it at the same moment.

import {
  DISAPPEARING_TTLS,
  effectiveTtl,
  expiryOf,
  latestTimer,
  timerInEffect,
  type TimerSetting,
} from '@onionchat/protocol';
import { englishDuration, sayDuration, sayer } from '../present/phrasebook.js';
import { CONVERSATION_PHRASES } from './conversation-phrases.js';
import type { ChatItem } from './items.js';

const say = sayer(CONVERSATION_PHRASES);

/** The timer values a person can pick, in order (0: off). */
export const TIMER_CHOICES: readonly number[] = DISAPPEARING_TTLS;

/** Longest single wait (a 4-week timeout would overflow setTimeout's 2^31 ms): waits longer are taken in steps. */
const MAX_WAIT_MS = 60 * 60_000;

const UNITS: readonly [number, string][] = [
  [604_800, 'w'],
  [86_400, 'd'],
  [3600, 'h'],
  [60, 'm'],
  [1, 's'],
];

/** "30 seconds", "1 day", "4 weeks"; "off" for 0 (English: the terminal's words). */
export function describeTtl(seconds: number): string {
  return seconds <= 0 ? 'off' : englishDuration(seconds);
}

/** A short mark for a timer: "30s", "5m", "1h", "1d", "1w", "4w". */
export function shortTtl(seconds: number): string {
  for (const [size, unit] of UNITS) if (seconds > 0 && seconds % size === 0) return `${seconds / size}${unit}`;
  return 'off';
}

/** Who set a timer: this account, a member by name, or someone this client cannot name (null). */
export type TimerSetter = 'me' | { name: string | null };

/** The notice a timer message shows: "Alice set disappearing messages to 1 day", "You turned off …". */
export function timerNotice(setter: TimerSetter, ttl: number): string {
  const duration = ttl === 0 ? undefined : sayDuration(ttl);
  if (setter === 'me')
    return duration ? say('conversation.timer.setMine', { duration }) : say('conversation.timer.offMine');
  const { name } = setter;
  if (name === null) {
    return duration ? say('conversation.timer.setUnknown', { duration }) : say('conversation.timer.offUnknown');
  }
  return duration ? say('conversation.timer.set', { name, duration }) : say('conversation.timer.off', { name });
}

/** The timer settings among a conversation's items: verified timer messages and this client's own on their way. */
export function timersOf(items: readonly ChatItem[]): TimerSetting[] {
  const timers: TimerSetting[] = [];
  for (const item of items) {
    if (item.timer === null || item.timer === undefined || !item.messageId) continue;
    const sentAt = item.sentAt ?? (item.state === 'pending' || item.state === 'failed' ? item.time : null);
    if (sentAt === null || sentAt === undefined) continue;
    if (item.state === 'unverified' || item.state === 'failed') continue;
    timers.push({ ttl: item.timer, sentAt, messageId: item.messageId });
  }
  return timers;
}

/** The conversation's timer now (s, 0: off). */
export function currentTimer(items: readonly ChatItem[]): number {
  return latestTimer(timersOf(items))?.ttl ?? 0;
}

/**
 * When a stored item disappears (ms), or null when it stays. A timer message stays (it
 * is how later readers learn the timer); a message's time is its signed send time, an
 * unverified one's the server's.
 */
export function expiryFor(item: ChatItem, timers: readonly TimerSetting[]): number | null {
  if (item.timer !== null && item.timer !== undefined) return null;
  if (item.state === 'notice') return null;
  const at = item.sentAt ?? item.time;
  if (!Number.isSafeInteger(at) || at < 0) return null;
  const ttl = effectiveTtl(item.ttl ?? null, timerInEffect(timers, at));
  return ttl === null ? null : expiryOf(at, ttl);
}

/** What the sender gives the server: when the server must delete it (ISO 8601), or null. */
export function disappearsAtFor(sentAt: number, ttl: number | null): string | null {
  return ttl ? new Date(expiryOf(sentAt, ttl)).toISOString() : null;
}

/** Wall-clock time and timeouts, injectable so tests move time by hand. */
export interface ExpiryClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: ExpiryClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** What the sweeper needs of the room store. */
export interface ExpiringStore {
  subscribe(listener: (roomId: string | null) => void): () => void;
  /** The soonest expiry of any message held (ms), or null. */
  nextExpiry(): number | null;
  /** Drops every message due at `now`. */
  expire(now: number): void;
}

/**
 * Wakes when the next message is due and drops it (and any others due then) from the
 * store. Rescheduled after every change of the store; one timeout at a time.
 */
export class ExpirySweeper {
  private handle: unknown = null;
  private dueAt: number | null = null;
  private stopped = false;

  constructor(
    private readonly store: ExpiringStore,
    private readonly clock: ExpiryClock = systemClock,
  ) {}

  start(): () => void {
    const unsubscribe = this.store.subscribe(() => this.schedule());
    this.schedule();
    return () => {
      unsubscribe();
      this.stop();
    };
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  /** Sets the timeout for the soonest expiry (already due: at once, after this change is done). */
  schedule(): void {
    if (this.stopped) return;
    const next = this.store.nextExpiry();
    if (next === this.dueAt && this.handle !== null) return;
    this.cancel();
    if (next === null) return;
    this.dueAt = next;
    const wait = Math.min(MAX_WAIT_MS, Math.max(0, next - this.clock.now()));
    this.handle = this.clock.setTimeout(() => this.fire(), wait);
  }

  private fire(): void {
    this.handle = null;
    this.dueAt = null;
    if (this.stopped) return;
    // Expiring changes the store, whose listener schedules the next one; nothing due: schedule anyway.
    this.store.expire(this.clock.now());
    this.schedule();
  }

  private cancel(): void {
    if (this.handle !== null) this.clock.clearTimeout(this.handle);
    this.handle = null;
    this.dueAt = null;
  }
}
