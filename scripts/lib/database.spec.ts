// A process that used the embedded PostgreSQL must still exit with the code it set:
// otherwise a failing test run (whose global setup starts one) would report success.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { freePort } from '../../server/test-support/server-process.js';

const database = path.join(path.dirname(fileURLToPath(import.meta.url)), 'database.mjs');

it('keeps the exit code a process sets after starting and stopping an embedded PostgreSQL', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'onionchat-exit-code-'));
  try {
    const script = `
      const { startEmbeddedPostgres } = await import(${JSON.stringify(database)});
      const pg = await startEmbeddedPostgres({ dir: ${JSON.stringify(path.join(dir, 'pg'))}, port: ${await freePort()} });
      await pg.stop();
      process.exitCode = 3;
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
