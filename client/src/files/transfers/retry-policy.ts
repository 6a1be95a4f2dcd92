// When a failed transfer is tried again, and how failures are told to the person.

/** Failures in a row (without any progress) before a transfer waits for Retry. */
export const MAX_FAILURES = 6;
export const BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];
export const RATE_LIMIT_WAIT_MS = 15_000;
/** Nothing moved for this long: the connection is dead, start again. */
export const STALL_MS = 60_000;
/** How often the stall watchdogs look. */
export const STALL_CHECK_MS = 5_000;

/**
 * "The connection dropped." → "the connection dropped", to go in parentheses (in any
 * alphabet with cases: "Соединение…" too; a Chinese full stop goes as well).
 */
export function lowerFirst(sentence: string): string {
  const bare = sentence.replace(/[.。]$/u, '');
  return /^\p{Lu}\p{Ll}/u.test(bare) ? bare[0]!.toLowerCase() + bare.slice(1) : bare;
}

export function jitter(ms: number): number {
  return ms * (0.75 + Math.random() / 2);
}
