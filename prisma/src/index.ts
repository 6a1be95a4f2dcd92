export { createDb, dbBytes, Prisma, type Db, type DbBytes } from './client.js';
export { poolConfigFromUrl } from './connection.js';
export { migrate } from './migrate.js';
