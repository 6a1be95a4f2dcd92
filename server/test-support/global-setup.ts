// One PostgreSQL for the whole test run: TEST_DATABASE_URL (an admin connection) when
// given, otherwise an embedded server in a temporary directory. A template database is
// migrated once; each test file clones it (CREATE DATABASE ... TEMPLATE) for isolation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error plain ESM helper shared with the start script
import { startEmbeddedPostgres } from '../../scripts/lib/database.mjs';
import { migrate } from '@onionchat/db';
import { TEMPLATE_DB, adminQuery, withDatabase } from './database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDbUrl: string;
  }
}

export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop = async () => {};
  let dir: string | undefined;
  if (!adminUrl) {
    dir = mkdtempSync(path.join(tmpdir(), 'onionchat-test-pg-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const embedded = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port });
    adminUrl = embedded.adminUrl as string;
    stop = embedded.stop;
  }
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${TEMPLATE_DB}"`);
  await adminQuery(adminUrl, `CREATE DATABASE "${TEMPLATE_DB}"`);
  await migrate(withDatabase(adminUrl, TEMPLATE_DB));
  project.provide('adminDbUrl', adminUrl);
  return async () => {
    await stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
