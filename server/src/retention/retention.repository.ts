// Finding and deleting messages and files whose time is up: past their disappearing
// time, or created before the RETENTION_MAX_DAYS cutoff. Each call handles at most one
// batch; deletes re-check the rule, so instances sweeping together never delete a row
// that is not due, and a row already deleted by one of them is simply not counted.
import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@onionchat/db';
import { DB } from '../db/db.module.js';

/** Due at `now`: disappeared, or (with a cutoff) created before it. */
function dueWhere(now: Date, cutoff: Date | null) {
  return {
    OR: [{ disappearsAt: { lte: now } }, ...(cutoff ? [{ createdAt: { lt: cutoff } }] : [])],
  };
}

@Injectable()
export class RetentionRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** Deletes up to `limit` due messages: how many were found due, and how many of them this call deleted. */
  async deleteDueMessages(now: Date, cutoff: Date | null, limit: number): Promise<{ found: number; deleted: number }> {
    const due = dueWhere(now, cutoff);
    const rows = await this.db.message.findMany({ where: due, select: { id: true }, take: limit });
    if (!rows.length) return { found: 0, deleted: 0 };
    const { count } = await this.db.message.deleteMany({ where: { id: { in: rows.map((r) => r.id) }, ...due } });
    return { found: rows.length, deleted: count };
  }

  /**
   * Deletes the records of up to `limit` due files; returns the ids found due, whose
   * bytes the caller deletes (a record deleted meanwhile by another instance is due all
   * the same, and deleting bytes twice is harmless).
   */
  async deleteDueFiles(now: Date, cutoff: Date | null, limit: number): Promise<string[]> {
    const due = dueWhere(now, cutoff);
    const rows = await this.db.storedFile.findMany({ where: due, select: { id: true }, take: limit });
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    await this.db.storedFile.deleteMany({ where: { id: { in: ids }, ...due } });
    return ids;
  }
}
