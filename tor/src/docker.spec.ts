// The Docker deployment's files: the torrc the tor container renders is one tor
// accepts, and docker-compose.yml is valid (Debian's docker-compose validates it
// without an engine).
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
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
});
