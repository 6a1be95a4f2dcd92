import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the service keeps its state (embedded PostgreSQL, tor's keys): ONIONCHAT_DATA_DIR, else .data/. */
export const dataDir = process.env.ONIONCHAT_DATA_DIR
  ? path.resolve(process.env.ONIONCHAT_DATA_DIR)
  : path.join(repoRoot, '.data');
