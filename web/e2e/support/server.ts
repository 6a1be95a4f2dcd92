// Runs the built server as its own process, exactly as `npm start` does, against a fresh
// database, and collects what it prints. Stopping it runs the privacy scan: nothing the
// test typed or sent may be found in the database, file storage or server output.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { freshDatabase } from '../../../server/test-support/database.js';
import { freePort, spawnServer } from '../../../server/test-support/server-process.js';
import { watchServer } from './failure-report.js';
import { findSecrets, linesWithAddresses, placesToScan } from './privacy-scan.js';
import { rememberedSecrets } from './secrets.js';

export { freePort };

export interface ServerProcess {
  origin: string;
  dbUrl: string;
  filesDir: string;
  output: () => string;
  /** Stops the server, then fails if the privacy scan finds anything. */
  stop: () => Promise<void>;
}

export interface StartOptions {
  port?: number;
  healthTimeoutMs?: number;
}

async function privacyProblems(dbUrl: string, filesDir: string, output: string): Promise<string[]> {
  const places = await placesToScan(dbUrl, filesDir, output);
  const secrets = rememberedSecrets();
  const addresses = linesWithAddresses(output).map((line) => `an address in server output: ${line}`);
  const problems = [...findSecrets(secrets, places), ...addresses];
  console.log(`privacy scan: ${secrets.length} secrets in ${places.length} places, ${problems.length} problems`);
  return problems;
}

export async function startServer(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<ServerProcess> {
  const db = await freshDatabase(inject('adminDbUrl'));
  const ownFilesDir = env['FILES_DIR'] ? undefined : mkdtempSync(path.join(tmpdir(), 'onionchat-e2e-storage-'));
  const filesDir = env['FILES_DIR'] ?? ownFilesDir!;
  const cleanUp = async () => {
    await db.drop();
    if (ownFilesDir) rmSync(ownFilesDir, { recursive: true, force: true });
  };
  try {
    const server = await spawnServer({ dbUrl: db.url, env: { FILES_DIR: filesDir, ...env }, ...options });
    const unwatch = watchServer(server.output);
    return {
      origin: server.origin,
      dbUrl: db.url,
      filesDir,
      output: server.output,
      stop: async () => {
        await server.kill('SIGTERM');
        unwatch();
        const problems = await privacyProblems(db.url, filesDir, server.output()).finally(cleanUp);
        if (problems.length > 0) throw new Error(`privacy scan failed:\n- ${problems.join('\n- ')}`);
      },
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

/**
 * The server's output without its start-up line, which names its own loopback address
 * ("listening on http://127.0.0.1:PORT …"): what is left must never carry an address.
 */
export function outputAfterStart(server: Pick<ServerProcess, 'output'>): string {
  return server.output().replace(/^.*listening on http:\/\/127\.0\.0\.1:\d+ .*$/m, '');
}
