// The Docker deployment's files: the torrc the tor container renders is one tor
// accepts, and docker-compose.yml is valid (Debian's docker-compose validates it
// without an engine).
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findTor } from './tor-binary.js';

const run = promisify(execFile);
const torDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(torDir, '..');

async function hasCommand(name: string): Promise<boolean> {
  return run('sh', ['-c', `command -v ${name}`]).then(
    () => true,
    () => false,
  );
}

// Without tor or docker-compose these cannot run; CI installs both, so there they must.
describe.skipIf(!findTor() && !process.env.CI)('the tor container', () => {
  it('renders a torrc that tor accepts, publishing the app on the Docker network', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'onionchat-docker-torrc-'));
    try {
      const [data, hs] = [path.join(dir, 'data'), path.join(dir, 'hs')];
      mkdirSync(data, { mode: 0o700 });
      mkdirSync(hs, { mode: 0o700 });
      const out = path.join(dir, 'torrc');
      await run('sh', [path.join(torDir, 'docker/render-torrc.sh'), path.join(torDir, 'torrc.template'), out], {
        env: {
          ...process.env,
          TOR_DATA_DIR: data,
          TOR_HS_DIR: hs,
          TOR_OWNER_PID: String(process.pid),
          APP_ADDRESS: '10.9.8.7:8080',
        },
      });
      const torrc = readFileSync(out, 'utf8');
      expect(torrc).toContain('HiddenServicePort 80 10.9.8.7:8080');
      expect(torrc).toContain('HiddenServicePoWDefensesEnabled 1');
      expect(torrc).toMatch(/^SocksPort 0$/m);
      await run(findTor()!, ['--verify-config', '-f', out]);
      // As an Onionbalance instance (profile `scale`): the lines the entrypoint adds.
      writeFileSync(path.join(hs, 'ob_config'), 'MasterOnionAddress ' + 'a'.repeat(56) + '.onion\n');
      appendFileSync(out, 'HiddenServiceOnionbalanceInstance 1\n');
      await run(findTor()!, ['--verify-config', '-f', out]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!process.env.CI)('docker-compose.yml', () => {
  it('is valid, and only tor is reachable from outside: the app publishes no host port', async () => {
    expect(await hasCommand('docker-compose')).toBe(true);
    const { stdout } = await run('docker-compose', ['-f', path.join(repoRoot, 'docker-compose.yml'), 'config'], {
      env: { ...process.env, POSTGRES_PASSWORD: 'validate-only' },
    });
    const services = stdout.split(/^ {2}(?=\S)/m);
    const app = services.find((s) => s.startsWith('app:')) ?? '';
    expect(app).not.toMatch(/^\s+ports:/m);
    expect(stdout).toMatch(/internal: true/);
  });

  it('has a `scale` profile: two instances sharing Redis and S3, each behind its own tor, and Onionbalance', async () => {
    const { stdout } = await run(
      'docker-compose',
      ['-f', path.join(repoRoot, 'docker-compose.yml'), '--profile', 'scale', 'config'],
      { env: { ...process.env, POSTGRES_PASSWORD: 'validate-only', S3_SECRET_ACCESS_KEY: 'validate-only' } },
    );
    const services = new Map(stdout.split(/^ {2}(?=\S)/m).map((s) => [s.slice(0, s.indexOf(':')), s] as const));
    for (const name of ['redis', 'minio', 'onionbalance', 'app1', 'app2', 'tor1', 'tor2']) {
      expect(services.has(name), name).toBe(true);
    }
    for (const name of ['app1', 'app2', 'redis', 'minio']) expect(services.get(name)).not.toMatch(/^\s+ports:/m);
    for (const app of ['app1', 'app2']) {
      expect(services.get(app)).toMatch(/REDIS_URL: redis:\/\/redis:6379/);
      expect(services.get(app)).toMatch(/FILE_STORAGE: s3/);
      expect(services.get(app)).toMatch(/ONION_HOSTNAME_FILE: \/run\/onion\/hostname/);
    }
    expect(services.get('tor1')).toMatch(/APP_ADDRESS: app1:8080/);
    expect(services.get('tor2')).toMatch(/APP_ADDRESS: app2:8080/);
    for (const tor of ['tor1', 'tor2']) expect(services.get(tor)).toMatch(/ONIONBALANCE_FRONTEND_FILE:/);
  });
});
