// `onionchat verify-instance` as a real process against real built servers: one serving
// a copy of the web build (a match, over loopback and through a SOCKS proxy that must
// be handed the onion name), one serving a tampered copy (a changed script, a changed
// brotli page, a missing gzip copy, an added file: each reported by path, exit 5), and
// the failures that must not pass for a match (no local build, no tor).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { freshDatabase } from '../../../server/test-support/database.js';
import { freePort, spawnServer, type RunningServer } from '../../../server/test-support/server-process.js';
import { EXIT } from '../exit-codes.js';
import { runCli } from '../test-support/cli-process.js';
import { startFakeSocks } from '../test-support/socks-server.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BUILT = path.join(repoRoot, 'web', 'out');
const ONION_HOST = 'v'.repeat(52) + 'erif.onion';

let work: string;
let good: string;
let bad: string;
let goodServer: RunningServer;
let badServer: RunningServer;
let dropDb: () => Promise<void>;
let tamperedChunk: string;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A copy of the web build with its manifest, as the web build writes it. */
function copyOfBuild(dest: string): void {
  cpSync(BUILT, dest, { recursive: true, filter: (source) => !source.endsWith('build-manifest.json') });
  execFileSync(process.execPath, [path.join(repoRoot, 'web', 'scripts', 'build-manifest.mjs'), dest]);
}

/** A script the server also has a gzip copy of, so only the plain form is changed. */
function someChunk(dir: string): string {
  const chunks = path.join(dir, '_next', 'static', 'chunks');
  const name = readdirSync(chunks).find((file) => file.endsWith('.js') && existsSync(path.join(chunks, `${file}.gz`)));
  if (!name) throw new Error('the web build has no compressed script');
  return `_next/static/chunks/${name}`;
}

beforeAll(async () => {
  if (!existsSync(path.join(BUILT, 'index.html'))) {
    throw new Error('there is no web/out: build the web client first with `npm run build` (npm test does)');
  }
  work = mkdtempSync(path.join(tmpdir(), 'onionchat-verify-'));
  good = path.join(work, 'good');
  bad = path.join(work, 'bad');
  copyOfBuild(good);
  copyOfBuild(bad);
  tamperedChunk = someChunk(bad);
  // Same length, one byte changed: only the bytes can tell.
  const script = readFileSync(path.join(bad, tamperedChunk));
  script.writeUInt8(script.readUInt8(script.length - 2) ^ 1, script.length - 2);
  writeFileSync(path.join(bad, tamperedChunk), script);
  const brotliPage = path.join(bad, 'index.html.br');
  writeFileSync(brotliPage, Buffer.concat([readFileSync(brotliPage), Buffer.from([0])]));
  writeFileSync(path.join(bad, 'evil.js'), 'globalThis.leak = 2;\n');
  // Without its gzip copy, the icon goes out uncompressed to a browser that asks for gzip.
  rmSync(path.join(bad, 'icon.svg.gz'));
  // A tamperer who also rewrites the manifest: it lists the added file.
  execFileSync(process.execPath, [path.join(repoRoot, 'web', 'scripts', 'build-manifest.mjs'), bad]);

  const db = await freshDatabase(inject('adminDbUrl'));
  dropDb = db.drop;
  const env = { TOR: '0', FILES_DIR: path.join(work, 'files'), ALLOWED_HOSTS: ONION_HOST };
  goodServer = await spawnServer({ dbUrl: db.url, env: { ...env, WEB_DIR: good } });
  badServer = await spawnServer({ dbUrl: db.url, env: { ...env, WEB_DIR: bad } });
}, 120_000);

afterAll(async () => {
  await goodServer?.kill();
  await badServer?.kill();
  await dropDb?.();
  if (work) rmSync(work, { recursive: true, force: true });
});

const verify = (args: string[]) => runCli(args, { cwd: work });

it('reports a match, with the build hash the account page shows, when the instance serves the build', async () => {
  const result = await verify(['verify-instance', goodServer.origin, '--web-dir', good]);
  expect(result.code, result.stderr).toBe(EXIT.ok);
  expect(result.stdout).toContain('MATCH');
  expect(result.stdout).toContain(sha256(readFileSync(path.join(good, 'build-manifest.json'))));
  expect(result.stdout).not.toContain('MISMATCH');
});

it('names every changed, missing, added or recompressed file of a tampered instance and exits 5', async () => {
  const result = await verify(['verify-instance', badServer.origin, '--web-dir', good]);
  expect(result.code, result.stdout + result.stderr).toBe(EXIT.trust);
  const lines = result.stdout.split('\n');
  const line = (text: string) => lines.find((candidate) => candidate.includes(text)) ?? '';
  expect(result.stdout).toContain('MISMATCH');
  expect(line(`/${tamperedChunk}:`)).toMatch(/^\s+differs .*SHA-256 [0-9a-f]{16}… where this build has/);
  expect(line('/evil.js')).toMatch(/^\s+extra /);
  expect(line('/build-manifest.json:')).toMatch(/^\s+differs /);
  // The brotli page, as a browser asking for / or /index.html with br gets it, and as a file.
  expect(line('/ [br]')).toMatch(/^\s+differs /);
  expect(line('/index.html [br]')).toMatch(/^\s+differs /);
  expect(line('/index.html.br:')).toMatch(/^\s+differs /);
  expect(line('/icon.svg.gz:')).toMatch(/^\s+missing .*answered 404/);
  expect(line('/icon.svg [gzip]')).toMatch(/^\s+differs .*sent as identity/);
  // What was not touched is not reported: the script's gzip copy, the plain page.
  expect(result.stdout).not.toContain(`/${tamperedChunk} [gzip]`);
  expect(line('/index.html:')).toBe('');
  expect(lines.filter((candidate) => /^\s+(differs|missing|extra) /.test(candidate))).toHaveLength(8);
});

it('reaches an onion through socks5h, handing the proxy the name (never resolving it here)', async () => {
  const socks = await startFakeSocks(goodServer.port);
  try {
    const result = await verify(['--socks', socks.url, 'verify-instance', `http://${ONION_HOST}`, '--web-dir', good]);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    expect(result.stdout).toContain('MATCH');
    expect(socks.requests.length).toBeGreaterThan(0);
    expect(socks.requests.every((request) => request.kind === 'name' && request.host === ONION_HOST)).toBe(true);
  } finally {
    await socks.close();
  }
});

it('never reports a match without tor, or without a local build to compare with', async () => {
  const closedPort = await freePort();
  const noTor = await verify([
    '--socks',
    `socks5h://127.0.0.1:${closedPort}`,
    'verify-instance',
    `http://${ONION_HOST}`,
    '--web-dir',
    good,
  ]);
  expect(noTor.code).toBe(EXIT.unreachable);
  expect(noTor.stderr).toMatch(/tor/);
  expect(noTor.stdout).not.toContain('MATCH');

  const noBuild = await verify(['verify-instance', goodServer.origin, '--web-dir', path.join(work, 'nothing')]);
  expect(noBuild.code).toBe(EXIT.failure);
  expect(noBuild.stderr).toContain('npm run build');

  // A local build changed after it was made does not pass for the build its manifest describes.
  const stale = path.join(work, 'stale');
  cpSync(good, stale, { recursive: true });
  appendFileSync(path.join(stale, 'index.html'), ' ');
  const staleRun = await verify(['verify-instance', goodServer.origin, '--web-dir', stale]);
  expect(staleRun.code).toBe(EXIT.failure);
  expect(staleRun.stderr).toContain('does not match its own build-manifest.json');
});
