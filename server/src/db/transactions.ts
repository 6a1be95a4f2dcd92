import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@onionchat/db';
import { DB } from './db.module.js';

export type DbTx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** Runs repository calls that must succeed or fail together. */
@Injectable()
export class Transactions {
  constructor(@Inject(DB) private readonly db: Db) {}

  run<T>(work: (tx: DbTx) => Promise<T>): Promise<T> {
    return this.db.$transaction(work);
  }
}
