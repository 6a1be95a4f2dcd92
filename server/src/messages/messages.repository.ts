import { Inject, Injectable } from '@nestjs/common';
import type { Db, DbPool } from '@onionchat/db';
import { CONFIG, type Config } from '../config/config.js';
import { DB, PG_POOL } from '../db/db.module.js';
import { liveWhere } from '../retention/live.js';

export interface NewMessage {
  /** Chosen by the server before the write, so a result can be matched to its send. */
  id: string;
  roomId: string;
  senderId: string;
  clientId: string;
  epoch: number;
  /** Canonical base64, as the client sent it (the service checked it decodes). */
  envelope: string;
  /** The sender's disappearing timer (checked by the service); null: kept. */
  disappearsAt: Date | null;
}

/** What became of one message of a batch. */
export type AppendResult =
  | { kind: 'stored'; seq: bigint; createdAt: Date; memberIds: string[] }
  | {
      kind: 'earlier';
      id: string;
      roomId: string;
      seq: bigint;
      epoch: number;
      envelope: string;
      createdAt: Date;
      disappearsAt: Date | null;
      erasedAt: Date | null;
    }
  | { kind: 'refused' };

/** As node-postgres returns them: bigint columns as strings. */
interface AppendRow {
  seq: string | null;
  created_at: Date | null;
  member_ids: string[] | null;
  earlier_id: string | null;
  earlier_room_id: string | null;
  earlier_seq: string | null;
  earlier_epoch: number | null;
  earlier_envelope: string | null;
  earlier_created_at: Date | null;
  earlier_disappears_at: Date | null;
  earlier_erased_at: Date | null;
}

/**
 * Stores a batch of messages in one autocommitted statement, so all of it is on disk
 * before any of it is acknowledged, or none of it is. Per message, in the batch's order:
 * - a (sender, clientId) already stored is not stored again: its row comes back (a retry);
 * - it is stored only if its sender is a member of the room and its epoch is the room's
 *   (the service then finds out which rule refused it);
 * - the stored ones of each room take the room's next sequence numbers in batch order.
 * Room rows are locked in id order, so two batches touching the same rooms wait for each
 * other instead of deadlocking, and the numbers follow commit order with no gaps: a
 * statement that fails rolls back its increments with its rows. The epoch is checked
 * again on the locked row, so a key rotation committed meanwhile refuses the message.
 *
 * PostgreSQL guesses that a set-returning function yields 100 rows, which would make it
 * scan whole tables for a batch of one; the lookups are therefore written as per-message
 * subqueries on unique keys (scalar subqueries in the select list, LATERAL ... LIMIT 1,
 * = ANY(ARRAY(...))), which PostgreSQL runs as index probes rather than hashing a table.
 */
const APPEND_BATCH = `
WITH input AS (
  SELECT * FROM json_to_recordset($1::json)
    AS t(ord int, id uuid, room_id uuid, sender_id uuid, client_id uuid, epoch int, envelope text,
         disappears_at timestamptz)
),
probed AS (
  SELECT i.*,
    (SELECT true FROM "Message" m WHERE m."senderId" = i.sender_id AND m."clientId" = i.client_id) IS NOT NULL
      AS stored_before,
    (SELECT true FROM "Room" r WHERE r.id = i.room_id AND r.epoch = i.epoch) IS NOT NULL AS epoch_matches,
    (SELECT true FROM "RoomMember" rm WHERE rm."roomId" = i.room_id AND rm."userId" = i.sender_id) IS NOT NULL
      AS is_member
  FROM input i
),
earlier AS (
  SELECT p.ord, m.* FROM probed p
  CROSS JOIN LATERAL (
    SELECT m.id, m."roomId", m.seq, m.epoch, m.envelope, m."createdAt", m."disappearsAt", m."erasedAt" FROM "Message" m
    WHERE m."senderId" = p.sender_id AND m."clientId" = p.client_id LIMIT 1
  ) m
  WHERE p.stored_before
),
accepted AS (
  SELECT DISTINCT ON (sender_id, client_id) * FROM probed
  WHERE epoch_matches AND is_member AND NOT stored_before
  ORDER BY sender_id, client_id, ord
),
numbered AS (
  SELECT a.*, row_number() OVER (PARTITION BY a.room_id ORDER BY a.ord) AS n,
         count(*) OVER (PARTITION BY a.room_id) AS total
  FROM accepted a
),
locked AS (
  SELECT r.id FROM "Room" r WHERE r.id = ANY (ARRAY(SELECT DISTINCT room_id FROM accepted)) ORDER BY r.id FOR UPDATE
),
bumped AS (
  UPDATE "Room" r
  SET "lastSeq" = r."lastSeq" + (SELECT max(n.total) FROM numbered n WHERE n.room_id = r.id)
  WHERE r.id = ANY (ARRAY(SELECT id FROM locked))
    AND r.epoch = (SELECT n.epoch FROM numbered n WHERE n.room_id = r.id LIMIT 1)
  RETURNING r.id, r."lastSeq"
),
stored AS (
  INSERT INTO "Message" (id, "roomId", seq, "senderId", "clientId", epoch, envelope, "createdAt", "disappearsAt")
  SELECT n.id, n.room_id, b."lastSeq" - n.total + n.n, n.sender_id, n.client_id, n.epoch, decode(n.envelope, 'base64'),
         now() AT TIME ZONE 'UTC', n.disappears_at AT TIME ZONE 'UTC'
  FROM numbered n JOIN bumped b ON b.id = n.room_id
  RETURNING id, "roomId", seq, "createdAt"
)
SELECT s.seq, s."createdAt" AT TIME ZONE 'UTC' AS created_at,
       CASE WHEN s.id IS NOT NULL THEN
         (SELECT array_agg(m."userId"::text) FROM "RoomMember" m WHERE m."roomId" = s."roomId")
       END AS member_ids,
       e.id::text AS earlier_id, e."roomId"::text AS earlier_room_id, e.seq AS earlier_seq, e.epoch AS earlier_epoch,
       translate(encode(e.envelope, 'base64'), E'\\n', '') AS earlier_envelope,
       e."createdAt" AT TIME ZONE 'UTC' AS earlier_created_at,
       e."disappearsAt" AT TIME ZONE 'UTC' AS earlier_disappears_at,
       e."erasedAt" AT TIME ZONE 'UTC' AS earlier_erased_at
FROM input i
LEFT JOIN stored s ON s.id = i.id
LEFT JOIN earlier e ON e.ord = i.ord
ORDER BY i.ord`;

function resultOf(row: AppendRow): AppendResult {
  if (row.seq !== null) {
    return { kind: 'stored', seq: BigInt(row.seq), createdAt: row.created_at!, memberIds: row.member_ids ?? [] };
  }
  if (row.earlier_id !== null) {
    return {
      kind: 'earlier',
      id: row.earlier_id,
      roomId: row.earlier_room_id!,
      seq: BigInt(row.earlier_seq!),
      epoch: row.earlier_epoch!,
      envelope: row.earlier_envelope!,
      createdAt: row.earlier_created_at!,
      disappearsAt: row.earlier_disappears_at,
      erasedAt: row.earlier_erased_at,
    };
  }
  return { kind: 'refused' };
}

@Injectable()
export class MessagesRepository {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(DB) private readonly db: Db,
    @Inject(PG_POOL) private readonly pool: DbPool,
  ) {}

  findBySenderClientId(senderId: string, clientId: string) {
    return this.db.message.findUnique({ where: { senderId_clientId: { senderId, clientId } } });
  }

  /** A message of the room that is still served (erased ones too: they keep their place). */
  findLive(roomId: string, id: string) {
    return this.db.message.findFirst({ where: { id, roomId, ...this.live() } });
  }

  /**
   * Empties the envelope and marks the row erased; the row keeps its seq, sender and
   * clientId. True when this call erased it (false: it was erased before).
   */
  async erase(id: string): Promise<boolean> {
    const { count } = await this.db.message.updateMany({
      where: { id, erasedAt: null },
      data: { envelope: new Uint8Array(0), erasedAt: new Date() },
    });
    return count > 0;
  }

  /** See APPEND_BATCH. One result per message, in the same order. */
  async appendBatch(messages: NewMessage[]): Promise<AppendResult[]> {
    const input = messages.map((m, ord) => ({
      ord,
      id: m.id,
      room_id: m.roomId,
      sender_id: m.senderId,
      client_id: m.clientId,
      epoch: m.epoch,
      envelope: m.envelope,
      disappears_at: m.disappearsAt?.toISOString() ?? null,
    }));
    // Named, so each connection plans the statement once.
    const { rows } = await this.pool.query<AppendRow>({
      name: 'append-message-batch',
      text: APPEND_BATCH,
      values: [JSON.stringify(input)],
    });
    return rows.map(resultOf);
  }

  /** Pages skip messages that disappeared or passed RETENTION_MAX_DAYS (their numbers leave gaps). */
  after(roomId: string, afterSeq: bigint, limit: number) {
    return this.db.message.findMany({
      where: { roomId, seq: { gt: afterSeq }, ...this.live() },
      orderBy: { seq: 'asc' },
      take: limit,
    });
  }

  async before(roomId: string, beforeSeq: bigint, limit: number) {
    const rows = await this.db.message.findMany({
      where: { roomId, seq: { lt: beforeSeq }, ...this.live() },
      orderBy: { seq: 'desc' },
      take: limit,
    });
    return rows.reverse();
  }

  private live() {
    return liveWhere(this.config.RETENTION_MAX_DAYS);
  }
}
