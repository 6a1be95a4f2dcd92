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
