import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createDb, createPool, type Db, type DbPool } from '@onionchat/db';
import { CONFIG, type Config } from '../config/config.js';

export const DB = Symbol('DB');
/**
 * Connections for the few hot statements that skip Prisma's query layer (the message
 * log's writers, MESSAGE_WRITERS of them, besides Prisma's DB_POOL_SIZE). Their named
 * statements are planned once per connection and kept: a generic plan, as the
 * statements are written so that one plan suits every batch. Prisma stays the owner
 * of the schema and its migrations.
 */
export const PG_POOL = Symbol('PG_POOL');

@Global()
@Module({
  providers: [
    {
      provide: PG_POOL,
      inject: [CONFIG],
      useFactory: (config: Config): DbPool =>
        createPool(config.DATABASE_URL, config.MESSAGE_WRITERS, { plan_cache_mode: 'force_generic_plan' }),
    },
    {
      provide: DB,
      inject: [CONFIG],
      useFactory: (config: Config): Db => createDb(config.DATABASE_URL, config.DB_POOL_SIZE),
    },
  ],
  exports: [DB, PG_POOL],
})
export class DbModule implements OnApplicationShutdown {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(PG_POOL) private readonly pool: DbPool,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.db.$disconnect(), this.pool.end()]);
  }
}
