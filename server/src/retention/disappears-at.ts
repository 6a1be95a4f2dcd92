// The sender's disappearing timer on a message or file, as the server checks it: a real
// ISO 8601 time, still ahead, and at most DISAPPEARING_MAX_DAYS ahead (a timer that far
// off is no client's and would only hold rows back from RETENTION_MAX_DAYS).
import { z } from 'zod';
import { ApiError } from '../common/api-error.js';

const DAY = 86_400_000;
const isoTime = z.iso.datetime({ offset: true });

/** What a body may carry; anything else is answered by disappearsAtOf. */
export const disappearsAtField = z.unknown().optional();

export type DisappearingThing = 'message' | 'file';

/** The time to store (null: kept), or a 400 that says what is wrong with it. */
export function disappearsAtOf(
  value: unknown,
  maxDays: number,
  what: DisappearingThing,
  now = new Date(),
): Date | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !isoTime.safeParse(value).success) {
    throw new ApiError(
      400,
      'bad_disappears_at',
      'disappearsAt must be a date and time in ISO 8601 form, such as 2026-12-05T10:00:00Z, or null.',
    );
  }
  const at = new Date(value);
  if (at.getTime() <= now.getTime()) {
    throw new ApiError(
      400,
      'already_disappeared',
      `This ${what}'s disappearing time has already passed, so it was not stored.`,
    );
  }
  if (at.getTime() > now.getTime() + maxDays * DAY) {
    throw new ApiError(
      400,
      'bad_disappears_at',
      `disappearsAt may be at most ${maxDays} days ahead; this server keeps no timer longer than that.`,
    );
  }
  return at;
}
