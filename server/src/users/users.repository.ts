import { Inject, Injectable } from '@nestjs/common';
import { dbBytes, type Db } from '@onionchat/db';
import { DB } from '../db/db.module.js';
import type { DbTx } from '../db/transactions.js';

export interface NewUser {
  /** Chosen by the client: its signed public keys record names it. */
  id: string;
  username: string;
  kdfParams: Uint8Array;
  authHash: string;
  publicKeys: Uint8Array;
  keyBundle: Uint8Array;
}

@Injectable()
export class UsersRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  findByUsername(username: string) {
    return this.db.user.findUnique({ where: { username } });
  }

  findById(id: string) {
    return this.db.user.findUnique({ where: { id } });
  }

  /** Id, name and published public keys of each of these users that exists. */
  findPublic(ids: readonly string[]) {
    return this.db.user.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, username: true, publicKeys: true },
    });
  }

  count() {
    return this.db.user.count();
  }

  create(user: NewUser, tx?: DbTx) {
    return (tx ?? this.db).user.create({
      data: {
        ...user,
        kdfParams: dbBytes(user.kdfParams),
        publicKeys: dbBytes(user.publicKeys),
        keyBundle: dbBytes(user.keyBundle),
      },
    });
  }

  updateAuthHash(id: string, authHash: string) {
    return this.db.user.update({ where: { id }, data: { authHash } });
  }

  /** New credentials and bundle; every other session of the user ends in the same step. */
  replaceCredentials(id: string, keepSessionId: string, data: Pick<NewUser, 'kdfParams' | 'authHash' | 'keyBundle'>) {
    return this.db.$transaction(async (tx) => {
      const user = await tx.user.update({
        where: { id },
        data: { authHash: data.authHash, kdfParams: dbBytes(data.kdfParams), keyBundle: dbBytes(data.keyBundle) },
      });
      await tx.session.deleteMany({ where: { userId: id, id: { not: keepSessionId } } });
      return user;
    });
  }

  /** Publishes a new public keys record (the caller checked it belongs to this account and its keys). */
  replacePublicKeys(id: string, publicKeys: Uint8Array) {
    return this.db.user.update({ where: { id }, data: { publicKeys: dbBytes(publicKeys) } });
  }

  /** Swaps the bundle only if it is still `previous` (so concurrent updates cannot overwrite each other). */
  async replaceBundle(id: string, previous: Uint8Array, next: Uint8Array): Promise<boolean> {
    const { count } = await this.db.user.updateMany({
      where: { id, keyBundle: dbBytes(previous) },
      data: { keyBundle: dbBytes(next) },
    });
    return count === 1;
  }
}
