import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@onionchat/db';
import { DB } from './db.module.js';

export type DbTx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/**
 * Runs repository calls that must succeed or fail together. A repository method that can
 * take part takes the transaction as its last, optional argument (without it, it runs alone).
 */
@Injectable()
export class Transactions {
  constructor(@Inject(DB) private readonly db: Db) {}

  run<T>(work: (tx: DbTx) => Promise<T>): Promise<T> {
    return this.db.$transaction(work);
  }
}
