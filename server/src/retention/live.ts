// Which messages and files are still served: not past their disappearing time and, when
// RETENTION_MAX_DAYS is set, not older than that. Reads apply it, so a row is gone for
// clients at that moment, not when the next sweep (RetentionSweeper) deletes it.

const DAY = 86_400_000;

/** The oldest creation time kept under RETENTION_MAX_DAYS; null when it is off (0). */
export function retentionCutoff(maxDays: number, now: Date): Date | null {
  return maxDays > 0 ? new Date(now.getTime() - maxDays * DAY) : null;
}

/** A Prisma `where` fragment for Message and StoredFile: rows still to be served at `now`. */
export function liveWhere(maxDays: number, now = new Date()) {
  const cutoff = retentionCutoff(maxDays, now);
  return {
    OR: [{ disappearsAt: null }, { disappearsAt: { gt: now } }],
    ...(cutoff ? { createdAt: { gte: cutoff } } : {}),
  };
}
