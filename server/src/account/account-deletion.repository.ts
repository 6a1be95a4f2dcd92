import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@onionchat/db';
import { DB } from '../db/db.module.js';
import type { DbTx } from '../db/transactions.js';
import { DIRECT_ROOM, GROUP_ROOM } from '../rooms/rooms.repository.js';

/** What an account's deletion takes with it, read inside its transaction. */
export interface DeletionPlan {
  /** The other member of each of the account's direct rooms. */
  friendIds: string[];
  /** Who sent the account a pending friend request, or got one from it. */
  requestPartyIds: string[];
  /** Groups the account is still a member of. */
  groupIds: string[];
  /** Files whose rows go with the account: its uploads and every file of its direct rooms. */
  fileIds: string[];
}

/**
 * The rows an account deletion reads and removes that no other repository owns: the
 * user row (sessions, keys, requests, blocks, invites, memberships and messages cascade)
 * and groups nobody is left in.
 */
@Injectable()
export class AccountDeletionRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  async plan(userId: string, tx: DbTx): Promise<DeletionPlan> {
    // Taken first, so sign-ins, uploads and quota checks of this account wait for the deletion.
    await tx.$queryRaw`SELECT 1 FROM "User" WHERE id = ${userId}::uuid FOR UPDATE`;
    const [rooms, requests, files] = await Promise.all([
      tx.room.findMany({
        where: { members: { some: { userId } } },
        select: { id: true, kind: true, members: { select: { userId: true } } },
      }),
      tx.friendRequest.findMany({
        where: { OR: [{ fromId: userId }, { toId: userId }] },
        select: { fromId: true, toId: true },
      }),
      tx.storedFile.findMany({
        where: { OR: [{ uploaderId: userId }, { room: { kind: DIRECT_ROOM, members: { some: { userId } } } }] },
        select: { id: true },
      }),
    ]);
    const direct = rooms.filter((room) => room.kind === DIRECT_ROOM);
    return {
      friendIds: direct.flatMap((room) => room.members.map((m) => m.userId).filter((id) => id !== userId)),
      requestPartyIds: requests.map((r) => (r.fromId === userId ? r.toId : r.fromId)),
      groupIds: rooms.filter((room) => room.kind === GROUP_ROOM).map((room) => room.id),
      fileIds: files.map((file) => file.id),
    };
  }

  /**
   * Everything that refers to the user goes with it (the schema's cascades), and the room
   * keys wrapped for it, which nobody else can open. Keys it wrapped for others stay: they
   * are theirs, and they need them to read what came before.
   */
  async deleteUser(userId: string, tx: DbTx): Promise<void> {
    await tx.roomKey.deleteMany({ where: { memberId: userId } });
    await tx.user.deleteMany({ where: { id: userId } });
  }

  /** Of `roomIds`, the groups left without members, and their files' ids (their rows go with them). */
  async deleteEmptyGroups(roomIds: string[], tx: DbTx): Promise<string[]> {
    const empty = await tx.room.findMany({
      where: { id: { in: roomIds }, kind: GROUP_ROOM, members: { none: {} } },
      select: { id: true, files: { select: { id: true } } },
    });
    if (empty.length === 0) return [];
    await tx.room.deleteMany({ where: { id: { in: empty.map((room) => room.id) } } });
    return empty.flatMap((room) => room.files.map((file) => file.id));
  }
}
