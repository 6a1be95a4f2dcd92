// `npm start` as an operator sees it (already built: BUILD=0; an existing database:
// DATABASE_URL). It must say whether tor runs, give the loopback address, never present
// an onion that tor has not published as live, and carry no third-party advertising.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from '@lydell/node-pty';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { findTor } from '@onionchat/tor';
import { freshDatabase } from '../../server/test-support/database.js';
import { freePort } from '../../server/test-support/server-process.js';
import { TOR_NOT_INSTALLED, TOR_TURNED_OFF } from './tor-report.mjs';

const scripts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const START = path.join(scripts, 'start.mjs');
// eslint-disable-next-line no-control-regex -- terminal colour codes are what is stripped
const ANSI = /\x1b\[[0-9;]*m/g;
const ADVERTISING = /pris\.ly|Prisma Accelerate|\bTip:|Start by importing|How likely are you to recommend/;
const STOP_GRACE_MS = 20_000;

const dirs: string[] = [];
const dbs: { drop: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** What `npm start` needs to run here: a fresh database, free ports, its own data directory. */
async function startEnv(extra: Record<string, string>): Promise<{ env: Record<string, string>; port: number }> {
  const db = await freshDatabase(inject('adminDbUrl'));
  dbs.push(db);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'onionchat-start-'));
  dirs.push(dataDir);
  const port = await freePort();
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  // Settings of the shell running the tests must not change what is tested.
  const inherited = [
    'PUBLIC_ORIGIN',
    'ONION_PORT',
    'TOR',
    'TOR_EXTRA_TORRC',
    'TOR_PUBLISH_WAIT_SECONDS',
    'TOR_SOCKS_PORT',
  ];
  for (const name of inherited) {
    delete env[name];
  }
  Object.assign(env, {
    BUILD: '0',
    DATABASE_URL: db.url,
    ONIONCHAT_DATA_DIR: dataDir,
    PORT: String(port),
    REGISTRATION: 'invite',
    ...extra,
  });
  return { env, port };
}

describe('npm start with TOR=0', () => {
  it('says tor was turned off, gives the loopback address, and shows no advertising', async () => {
    const { env, port } = await startEnv({ TOR: '0' });
    const child = spawn(process.execPath, [START], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      // Migrations and the server's start take a while on a loaded machine.
      await expect.poll(() => output, { timeout: 60_000 }).toContain(`open http://127.0.0.1:${port}/ on this computer`);
      expect(output).toContain(TOR_TURNED_OFF);
      expect(output).not.toContain(TOR_NOT_INSTALLED);
      expect(output).not.toMatch(/\.onion/);
      expect(output).not.toMatch(ADVERTISING);
    } finally {
      await stop(
        () => child.kill('SIGTERM'),
        () => child.kill('SIGKILL'),
        exited,
      );
    }
  });
});

// Without tor this cannot run; CI installs tor, so there it must.
describe.skipIf(!findTor() && !process.env.CI)('npm start when tor cannot reach the Tor network', () => {
  it(
    'says the onion is NOT reachable and why, and gives the first account at both addresses',
    { timeout: 120_000 },
    async () => {
      // The operator's own torrc lines (TOR_EXTRA_TORRC) keep tor off every network, as if offline.
      const torrc = path.join(mkdtempSync(path.join(tmpdir(), 'onionchat-torrc-')), 'extra');
      dirs.push(path.dirname(torrc));
      writeFileSync(torrc, '# as if offline\nDisableNetwork 1\n');
      const { env, port } = await startEnv({
        TOR_EXTRA_TORRC: torrc,
        TOR_PUBLISH_WAIT_SECONDS: '1',
        ONION_PORT: String(await freePort()),
      });
      // A terminal, as an operator runs it: the first-account link is shown only there.
      const child = pty.spawn(process.execPath, [START], { env, cols: 200 });
      let transcript = '';
      child.onData((data) => (transcript += data));
      const exited = new Promise<void>((resolve) => child.onExit(() => resolve()));
      const text = () => transcript.replace(ANSI, '').replace(/\r/g, '');
      try {
        await expect.poll(text, { timeout: 60_000 }).toContain('The onion service is NOT reachable yet');
        await expect.poll(text, { timeout: 60_000 }).toMatch(/\/signup\/#invite=/);
        const out = text();
        const hostname = /Onion address: http:\/\/([a-z2-7]{56}\.onion)\//.exec(out)?.[1];
        expect(hostname, out).toBeDefined();
        expect(out).toMatch(/NOT reachable until tor has connected to the Tor network and published it/);
        expect(out).toContain('tor: connecting to the Tor network, 0% (Starting)');
        expect(out).toContain(
          'The onion service is NOT reachable yet: tor has not connected to the Tor network (Bootstrapped 0%: Starting).',
        );
        expect(out).not.toContain('The onion service is published');
        expect(out).toContain(`open http://127.0.0.1:${port}/ on this computer`);
        // One token, linked at loopback and at the onion, the onion one with its condition.
        const tokens = [...out.matchAll(/\/signup\/#invite=([A-Za-z0-9_-]{43})/g)].map((m) => m[1]);
        expect(tokens).toHaveLength(2);
        expect(new Set(tokens).size).toBe(1);
        expect(out).toContain(`On this computer:\n  http://127.0.0.1:${port}/signup/#invite=${tokens[0]}`);
        expect(out).toMatch(/Through Tor \(works once tor has published the onion service[^)]*\):\n/);
        expect(out).toContain(`http://${hostname}/signup/#invite=${tokens[0]}`);
        expect(out).not.toMatch(ADVERTISING);
      } finally {
        await stop(
          () => child.kill('SIGTERM'),
          () => child.kill('SIGKILL'),
          exited,
        );
      }
    },
  );
});

describe('the Prisma client build', () => {
  it('runs prisma generate without its hints and tips, and without its update check', () => {
    const pkg = JSON.parse(readFileSync(path.join(scripts, '..', 'prisma', 'package.json'), 'utf8'));
    expect(pkg.scripts.build).toMatch(/\bCHECKPOINT_DISABLE=1 prisma generate --no-hints\b/);
  });
});

/** SIGTERM (start.mjs passes it on and stops tor), then SIGKILL if it hangs. */
async function stop(term: () => void, kill: () => void, exited: Promise<void>): Promise<void> {
  term();
  const grace = setTimeout(kill, STOP_GRACE_MS);
  await exited;
  clearTimeout(grace);
}
