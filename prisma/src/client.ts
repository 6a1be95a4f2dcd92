// The shared Prisma client: JS query engine over node-postgres, so nothing native
// has to be downloaded.
import prismaClient from '@prisma/client';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { poolConfigFromUrl } from './connection.js';

const { PrismaClient } = prismaClient;
export type Db = InstanceType<typeof PrismaClient>;
export { Prisma } from '@prisma/client';

export type DbPool = pg.Pool;

/**
 * A node-postgres pool: the one Prisma runs on, or one for the server's few hot
 * statements. `settings` are PostgreSQL session settings for its connections.
 */
export function createPool(databaseUrl: string, poolSize = 10, settings: Record<string, string> = {}): DbPool {
  const options = Object.entries(settings).map(([key, value]) => `-c ${key}=${value}`);
  const pool = new pg.Pool({
    ...poolConfigFromUrl(databaseUrl),
    max: poolSize,
    ...(options.length ? { options: options.join(' ') } : {}),
  });
  // When PostgreSQL stops (a restart, a fast shutdown) it tells every connection, and a
  // connection checked out between two statements then emits an 'error' with no one
  // listening, which would end the process. The statement in flight fails on its own
  // (the caller answers 503), and the pool drops the broken connection when it is
  // released, so the event only needs a listener.
  pool.on('connect', (client) => client.on('error', () => undefined));
  // An idle connection that PostgreSQL ends is reported on the pool too; the pool drops it.
  pool.on('error', () => undefined);
  return pool;
}

/** Prisma on `pool` (a pool of its own when not given); disconnecting it ends the pool. */
export function createDb(databaseUrl: string, poolSize = 10, pool = createPool(databaseUrl, poolSize)): Db {
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return new PrismaClient({ adapter });
}

/** Prisma's Bytes fields want an ArrayBuffer-backed view. */
export type DbBytes = Uint8Array<ArrayBuffer>;
export function dbBytes(bytes: Uint8Array): DbBytes {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as DbBytes) : new Uint8Array(bytes);
}
