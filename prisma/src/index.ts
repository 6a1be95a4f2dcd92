export { createDb, Prisma, type Db } from './client.js';
export { poolConfigFromUrl } from './connection.js';
export { migrate } from './migrate.js';
