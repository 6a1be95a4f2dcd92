import { Inject, Injectable } from '@nestjs/common';
import { dbBytes, type Db } from '@onionchat/db';
import { DB } from '../db/db.module.js';
import type { DbTx } from '../db/transactions.js';

export interface WrappedKey {
  memberId: string;
  record: Uint8Array;
}

/** A room is created with its first key epoch. */
export const FIRST_EPOCH = 1;
/** The two kinds of room: two friends, or a group whose members change through signed records. */
export const DIRECT_ROOM = 'direct';
export const GROUP_ROOM = 'group';

/** The unique key of the direct room between two users, whatever the order. */
export const directKey = (a: string, b: string): string => [a, b].sort().join(':');

const PUBLIC_USER = { select: { id: true, username: true, publicKeys: true } } as const;
const WITH_MEMBERS = { members: { include: { user: PUBLIC_USER } } } as const;

@Injectable()
export class RoomsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  createDirect(roomId: string, wrapperId: string, members: [string, string], keys: WrappedKey[], tx?: DbTx) {
    return (tx ?? this.db).room.create({
      data: {
        id: roomId,
        kind: DIRECT_ROOM,
        directKey: directKey(...members),
        members: { create: members.map((userId) => ({ userId })) },
        keys: {
          create: keys.map((k) => ({ epoch: FIRST_EPOCH, memberId: k.memberId, wrapperId, record: dbBytes(k.record) })),
        },
      },
    });
  }

  /**
   * Moves the room from `epoch - 1` to `epoch` and files its keys. Returns false, and
   * changes nothing, when the room is no longer at `epoch - 1` (someone else moved it first).
   */
  async startEpoch(roomId: string, epoch: number, wrapperId: string, keys: WrappedKey[], tx: DbTx): Promise<boolean> {
    const { count } = await tx.room.updateMany({ where: { id: roomId, epoch: epoch - 1 }, data: { epoch } });
    if (count === 0) return false;
    await tx.roomKey.createMany({
      data: keys.map((k) => ({ roomId, epoch, memberId: k.memberId, wrapperId, record: dbBytes(k.record) })),
    });
    return true;
  }

  /** Locks the room's row until the transaction ends: sends and membership changes of the room wait for it. */
  async lock(roomId: string, tx: DbTx): Promise<{ epoch: number; lastSeq: bigint } | null> {
    const [row] = await tx.$queryRaw<{ epoch: number; lastSeq: bigint }[]>`
      SELECT epoch, "lastSeq" FROM "Room" WHERE id = ${roomId}::uuid FOR UPDATE`;
    return row ?? null;
  }

  /** Files wrapped keys of an epoch the room is in already (a group's, after a leave). */
  fileKeys(roomId: string, epoch: number, wrapperId: string, keys: WrappedKey[], tx: DbTx) {
    return tx.roomKey.createMany({
      data: keys.map((k) => ({ roomId, epoch, memberId: k.memberId, wrapperId, record: dbBytes(k.record) })),
    });
  }

  hasKeysFor(roomId: string, epoch: number, tx?: DbTx): Promise<boolean> {
    return (tx ?? this.db).roomKey.count({ where: { roomId, epoch } }).then((n) => n > 0);
  }

  findMember(roomId: string, userId: string) {
    return this.db.roomMember.findUnique({ where: { roomId_userId: { roomId, userId } } });
  }

  findDirect(a: string, b: string) {
    return this.db.room.findUnique({ where: { directKey: directKey(a, b) } });
  }

  findById(roomId: string) {
    return this.db.room.findUnique({ where: { id: roomId } });
  }

  memberIds(roomId: string, tx?: DbTx): Promise<string[]> {
    return (tx ?? this.db).roomMember
      .findMany({ where: { roomId }, select: { userId: true } })
      .then((rows) => rows.map((r) => r.userId));
  }

  /** Which of `userIds` share a direct room with `userId` (are their friends). */
  async friendsAmong(userId: string, userIds: readonly string[]): Promise<Set<string>> {
    const keys = new Map(userIds.map((id) => [directKey(userId, id), id]));
    const rooms = await this.db.room.findMany({
      where: { directKey: { in: [...keys.keys()] } },
      select: { directKey: true },
    });
    return new Set(rooms.map((room) => keys.get(room.directKey!)!));
  }

  deleteDirect(a: string, b: string, tx?: DbTx) {
    return (tx ?? this.db).room.deleteMany({ where: { directKey: directKey(a, b) } });
  }

  /** The direct rooms of `userId` with each of `others`, in one statement. */
  deleteDirectWith(userId: string, others: readonly string[], tx?: DbTx) {
    const keys = others.map((other) => directKey(userId, other));
    return (tx ?? this.db).room.deleteMany({ where: { directKey: { in: keys } } });
  }

  listForUser(userId: string) {
    return this.db.room.findMany({
      where: { members: { some: { userId } } },
      include: WITH_MEMBERS,
      orderBy: { createdAt: 'asc' },
    });
  }

  findWithMembers(roomId: string) {
    return this.db.room.findUnique({ where: { id: roomId }, include: WITH_MEMBERS });
  }

  /** Messages from others after the member's read mark, per room (disappeared and erased ones not counted). */
  async unreadCounts(userId: string): Promise<Map<string, number>> {
    const rows = await this.db.$queryRaw<{ roomId: string; unread: bigint }[]>`
      SELECT m."roomId" AS "roomId", count(*) AS unread
      FROM "Message" m JOIN "RoomMember" rm ON rm."roomId" = m."roomId" AND rm."userId" = ${userId}::uuid
      WHERE m.seq > rm."lastReadSeq" AND m."senderId" <> ${userId}::uuid AND m."erasedAt" IS NULL
        AND (m."disappearsAt" IS NULL OR m."disappearsAt" > now() AT TIME ZONE 'UTC')
      GROUP BY m."roomId"`;
    return new Map(rows.map((r) => [r.roomId, Number(r.unread)]));
  }

  keysFor(roomId: string, memberId: string) {
    return this.db.roomKey.findMany({ where: { roomId, memberId }, orderBy: { epoch: 'asc' } });
  }

  /**
   * Moves the member's delivered mark of a group forward only, never past the last
   * message. Returns the mark after it and whether this call moved it; null when the
   * caller is not (or no longer) a member of a group with this id. Of two racing calls
   * for the same mark, only the first moves it (the second re-reads the row it waited for).
   */
  async markDelivered(roomId: string, userId: string, seq: bigint): Promise<{ seq: bigint; moved: boolean } | null> {
    const [moved] = await this.db.$queryRaw<{ deliveredSeq: bigint }[]>`
      UPDATE "RoomMember" rm SET "deliveredSeq" = LEAST(${seq}, r."lastSeq")
      FROM "Room" r
      WHERE r.id = rm."roomId" AND r.kind = ${GROUP_ROOM} AND rm."roomId" = ${roomId}::uuid
        AND rm."userId" = ${userId}::uuid AND rm."deliveredSeq" < LEAST(${seq}, r."lastSeq")
      RETURNING rm."deliveredSeq" AS "deliveredSeq"`;
    if (moved) return { seq: moved.deliveredSeq, moved: true };
    const member = await this.db.roomMember.findFirst({
      where: { roomId, userId, room: { kind: GROUP_ROOM } },
      select: { deliveredSeq: true },
    });
    return member ? { seq: member.deliveredSeq, moved: false } : null;
  }

  /** Moves the read mark forward only, never past the last message. */
  async markRead(roomId: string, userId: string, seq: bigint): Promise<bigint> {
    const [row] = await this.db.$queryRaw<{ lastReadSeq: bigint }[]>`
      UPDATE "RoomMember" rm SET "lastReadSeq" = GREATEST(rm."lastReadSeq", LEAST(${seq}, r."lastSeq"))
      FROM "Room" r WHERE r.id = rm."roomId" AND rm."roomId" = ${roomId}::uuid AND rm."userId" = ${userId}::uuid
      RETURNING rm."lastReadSeq" AS "lastReadSeq"`;
    return row?.lastReadSeq ?? 0n;
  }
}
