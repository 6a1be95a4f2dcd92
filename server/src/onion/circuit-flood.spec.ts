// Load test through a private Tor network on loopback: the real app behind its onion
// port, published by the production torrc (which exports circuit ids). One client
// floods the log-in routes from one circuit; a member on another circuit still logs in.
// Bounded: a fixed number of requests, a few at a time, and the test stops by itself.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '@onionchat/protocol';
import { findTor, socksHttpRequest, startTestnet, type Testnet } from '@onionchat/tor';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { signUp } from '../../test-support/accounts.js';
import { openOnionPort } from '../app.js';
import { freePort } from '../../test-support/server-process.js';

const KDF_BUDGET = 8;
const AUTH_BUDGET = 8;
/** Requests in flight at once on the flooding circuit (tor allows 64 streams per circuit). */
const CONCURRENCY = 4;
const TOR_TIMEOUT_MS = 150_000;

describe.skipIf(!findTor() && !process.env.CI)('a flood from one tor circuit', () => {
  let dir: string;
  let t: TestApp | undefined;
  let testnet: Testnet | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'onionchat-circuit-flood-'));
    const onionPort = await freePort();
    const starting = startTestnet({ appPort: onionPort, workDir: path.join(dir, 'net'), timeoutMs: TOR_TIMEOUT_MS });
    starting.catch(() => {});
    // Tor writes the name from its keys at once; the app must answer for it (host check).
    const hostname = await waitForHostname(path.join(dir, 'net', 'onion', 'hidden-service', 'hostname'), starting);
    t = await startTestApp({
      ALLOWED_HOSTS: hostname,
      RATE_KDF_PER_MINUTE: String(KDF_BUDGET),
      RATE_AUTH_PER_MINUTE: String(AUTH_BUDGET),
    });
    await openOnionPort(t.app, { ...t.config, ONION_PORT: onionPort });
    testnet = await starting;
  }, TOR_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await testnet?.stop();
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 429 to the flooding circuit while a member on another circuit logs in', async () => {
    const net = testnet!;
    const member = await signUp(t!.client(), 'member');
    const send = (isolation: string, p: string, json: unknown) =>
      socksHttpRequest(
        net.socksPort,
        net.onionHostname,
        { method: 'POST', path: p, json },
        { isolation, timeoutMs: 60_000 },
      );

    const started = Date.now();
    const wrongKey = { username: 'member', authKey: toBase64(new Uint8Array(32)) };
    const flood = [
      ...Array.from({ length: KDF_BUDGET * 2 }, () => () => send('flooder', '/api/auth/kdf', { username: 'member' })),
      ...Array.from({ length: AUTH_BUDGET * 2 }, () => () => send('flooder', '/api/auth/login', wrongKey)),
    ];
    const statuses = (await inBatches(flood, CONCURRENCY)).map((r) => r.status);
    const seconds = (Date.now() - started) / 1000;
    console.log(`circuit flood: ${flood.length} requests in ${seconds.toFixed(1)} s; statuses ${tally(statuses)}`);
    const kdf = statuses.slice(0, KDF_BUDGET * 2);
    const login = statuses.slice(KDF_BUDGET * 2);
    expect(kdf.filter((s) => s === 200)).toHaveLength(KDF_BUDGET);
    expect(kdf.filter((s) => s === 429)).toHaveLength(KDF_BUDGET);
    expect(login.filter((s) => s === 429).length).toBeGreaterThanOrEqual(AUTH_BUDGET);
    expect(login.filter((s) => s !== 401 && s !== 429)).toEqual([]);

    // The member, on a circuit of their own, goes through the whole log-in.
    const kdfAnswer = await send('member', '/api/auth/kdf', { username: 'member' });
    expect(kdfAnswer.status).toBe(200);
    const login200 = await send('member', '/api/auth/login', {
      username: 'member',
      authKey: toBase64(member.authKey),
    });
    expect(login200.status).toBe(200);
    // And the flooder is still refused.
    expect((await send('flooder', '/api/auth/kdf', { username: 'member' })).status).toBe(429);
  }, 300_000);
});

async function inBatches<T>(jobs: (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += size) {
    results.push(...(await Promise.all(jobs.slice(i, i + size).map((job) => job()))));
  }
  return results;
}

function tally(statuses: number[]): string {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n}×${s}`).join(', ');
}

/** Polls for the onion name; gives up when the network fails to start. */
async function waitForHostname(file: string, starting: Promise<unknown>): Promise<string> {
  let failed: unknown;
  starting.catch((err: unknown) => (failed = err));
  const deadline = Date.now() + TOR_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (failed) throw failed;
    const name = (await readFile(file, 'utf8').catch(() => '')).trim();
    if (/^[a-z2-7]{56}\.onion$/.test(name)) return name;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`tor wrote no onion hostname to ${file}`);
}
