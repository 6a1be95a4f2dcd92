// The shared Prisma client: JS query engine over node-postgres, so nothing native
// has to be downloaded.
import prismaClient from '@prisma/client';
import { PrismaPg } from '@prisma/adapter-pg';
import { poolConfigFromUrl } from './connection.js';

const { PrismaClient } = prismaClient;
export type Db = InstanceType<typeof PrismaClient>;
export { Prisma } from '@prisma/client';

export function createDb(databaseUrl: string, poolSize = 10): Db {
  const adapter = new PrismaPg({ ...poolConfigFromUrl(databaseUrl), max: poolSize });
  return new PrismaClient({ adapter });
}

/** Prisma's Bytes fields want an ArrayBuffer-backed view. */
export type DbBytes = Uint8Array<ArrayBuffer>;
export function dbBytes(bytes: Uint8Array): DbBytes {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as DbBytes) : new Uint8Array(bytes);
}
