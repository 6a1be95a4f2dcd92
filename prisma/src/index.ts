export { createDb, createPool, dbBytes, Prisma, type Db, type DbBytes, type DbPool } from './client.js';
export { poolConfigFromUrl } from './connection.js';
export { migrate } from './migrate.js';
