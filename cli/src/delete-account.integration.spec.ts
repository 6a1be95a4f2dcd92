// `onionchat delete-account` as a real process against the real built server and real
// PostgreSQL: a wrong confirmation or passphrase deletes nothing; the right ones delete
// the account, its friend no longer lists it, and it cannot log in again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../../server/test-support/database.js';
import { spawnServer, type RunningServer } from '../../server/test-support/server-process.js';
import { runCli, type CliResult } from './test-support/cli-process.js';

const PASS = { carl: 'granite owls above the harbour', dana: 'nine paper boats drifting east' };
type Name = keyof typeof PASS;

let server: RunningServer;
let dropDb: () => Promise<void>;
let dbUrl: string;
let filesDir: string;
let work: string;

beforeAll(async () => {
  const db = await freshDatabase(inject('adminDbUrl'));
  dropDb = db.drop;
  dbUrl = db.url;
  filesDir = mkdtempSync(path.join(tmpdir(), 'onionchat-cli-files-'));
  work = mkdtempSync(path.join(tmpdir(), 'onionchat-cli-work-'));
  server = await spawnServer({
    dbUrl: db.url,
    env: {
      FILES_DIR: filesDir,
      TOR: '0',
      REGISTRATION: 'open',
      RATE_LOGIN_PER_ACCOUNT_PER_15_MIN: '1000',
      RATE_LOGIN_PER_CLIENT_PER_15_MIN: '1000',
      RATE_KDF_PER_MINUTE: '1000',
      RATE_AUTH_PER_MINUTE: '1000',
    },
  });
}, 60_000);

afterAll(async () => {
  await server?.kill();
  await dropDb?.();
  for (const dir of [filesDir, work]) if (dir) rmSync(dir, { recursive: true, force: true });
});

function as(user: Name, args: string[], passphrase = PASS[user]): Promise<CliResult> {
  return runCli(['--onion', server.origin, '--user', user, '--passphrase-env', 'OC_PASS', ...args], {
    cwd: work,
    env: { OC_PASS: passphrase },
  });
}

function ok(result: CliResult): CliResult {
  if (result.code !== 0) throw new Error(`exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

async function users(): Promise<string[]> {
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    return (await db.query<{ username: string }>('SELECT username FROM "User" ORDER BY username')).rows.map(
      (row) => row.username,
    );
  } finally {
    await db.end();
  }
}

describe('onionchat delete-account', () => {
  it('deletes only with the username confirmed and the right passphrase', async () => {
    for (const name of ['carl', 'dana'] as const) {
      const signup = ['--user', name, '--passphrase-env', 'OC_PASS', 'signup', `${server.origin}/signup/`];
      ok(await runCli(signup, { cwd: work, env: { OC_PASS: PASS[name] } }));
    }
    ok(await as('carl', ['request', 'dana']));
    ok(await as('dana', ['accept', 'carl']));
    ok(await as('carl', ['send', 'dana', 'last words from carl']));

    const unconfirmed = await as('carl', ['delete-account']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--confirm USERNAME');
    const misspelt = await as('carl', ['delete-account', '--confirm', 'karl']);
    expect(misspelt.code).not.toBe(0);
    expect(misspelt.stderr).toContain('Type your username exactly');
    expect(await users()).toEqual(['carl', 'dana']);

    const deleted = ok(await as('carl', ['delete-account', '--confirm', 'carl']));
    expect(deleted.stdout).toContain('The account carl was deleted');
    expect(await users()).toEqual(['dana']);
    expect(ok(await as('dana', ['friends'])).stdout).not.toContain('carl');
    const again = await as('carl', ['login']);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('Wrong username or passphrase');
  }, 120_000);
});
