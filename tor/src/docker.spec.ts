// The Docker deployment's files: the torrc the tor container renders is one tor
// accepts; docker-compose.yml is valid (Debian's docker-compose validates it without an
// engine), keeps tor off the data stores' network and refuses to start without its
// secrets; every image is pinned by digest or listed as not yet pinned.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  cpSync,
  mkdtempSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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

const COMPOSE_FILE = path.join(repoRoot, 'docker-compose.yml');
const SECRETS = {
  POSTGRES_PASSWORD: 'validate-postgres-pw',
  REDIS_PASSWORD: 'validate-redis-pw',
  S3_SECRET_ACCESS_KEY: 'validate-s3-secret',
};

/** `docker-compose config` with only these variables: no .env of the checkout, no caller's environment. */
async function composeConfig(vars: Record<string, string>, profile?: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'onionchat-compose-'));
  try {
    writeFileSync(path.join(dir, 'empty.env'), '');
    const profiles = profile ? ['--profile', profile] : [];
    const args = ['--env-file', path.join(dir, 'empty.env'), '-f', COMPOSE_FILE, ...profiles, 'config'];
    const { stdout } = await run('docker-compose', args, { env: { PATH: process.env.PATH ?? '', ...vars } });
    return stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The top-level section `name` of `config` output, split into its entries by name. */
function section(config: string, name: string): Map<string, string> {
  const body = new RegExp(`^${name}:\n((?: .*\n|\n)*)`, 'm').exec(config)?.[1] ?? '';
  const entries = body.split(/^ {2}(?=\S)/m).filter(Boolean);
  return new Map(entries.map((e) => [e.slice(0, e.indexOf(':')), e] as const));
}

function networksOf(service: string): string[] {
  const list = /^ {4}networks:\n((?: {6}\S.*\n)+)/m.exec(service)?.[1] ?? '';
  return list
    .split('\n')
    .filter(Boolean)
    .map((line) => line.trim().replace(/:.*$/, ''))
    .sort();
}

describe.skipIf(!process.env.CI)('docker-compose.yml', () => {
  it('refuses to start without any of its secrets, and gives none an empty default', async () => {
    expect(await hasCommand('docker-compose')).toBe(true);
    await composeConfig(SECRETS);
    for (const name of Object.keys(SECRETS)) {
      const others = Object.fromEntries(Object.entries(SECRETS).filter(([key]) => key !== name));
      for (const vars of [others, { ...others, [name]: '' }]) {
        await expect(composeConfig(vars), name).rejects.toThrow(new RegExp(`set ${name} in \\.env`));
      }
    }
    const source = readFileSync(COMPOSE_FILE, 'utf8');
    const uses = [...source.matchAll(/\$\{(\w+)([^}]*)\}/g)].map(([, name, rest]) => ({ name: name!, rest: rest! }));
    const secretUses = uses.filter(({ name }) => /PASSWORD|SECRET/.test(name));
    expect(new Set(secretUses.map(({ name }) => name))).toEqual(new Set(Object.keys(SECRETS)));
    for (const use of secretUses) expect(use.rest, use.name).toMatch(/^:\?/);
    expect(uses.filter(({ rest }) => rest === ':-' || rest === '-')).toEqual([]);
  });

  it('keeps tor off the data stores’ network: only the apps join the two, and only tor goes out', async () => {
    const config = await composeConfig(SECRETS, 'scale');
    const networks = section(config, 'networks');
    expect([...networks.keys()].sort()).toEqual(['data', 'egress', 'onion']);
    expect(networks.get('data')).toMatch(/internal: true/);
    expect(networks.get('onion')).toMatch(/internal: true/);
    expect(networks.get('egress')).not.toMatch(/internal: true/);
    const expected: Record<string, string[]> = {
      postgres: ['data'],
      redis: ['data'],
      minio: ['data'],
      'minio-bucket': ['data'],
      app: ['data', 'onion'],
      app1: ['data', 'onion'],
      app2: ['data', 'onion'],
      tor: ['egress', 'onion'],
      tor1: ['egress', 'onion'],
      tor2: ['egress', 'onion'],
      onionbalance: ['egress'],
    };
    const services = section(config, 'services');
    expect([...services.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [name, service] of services) {
      expect(networksOf(service), name).toEqual(expected[name]);
      expect(service, name).not.toMatch(/^\s+ports:/m);
    }
  });

  it('gives Redis a password that the apps carry in REDIS_URL and no command line shows', async () => {
    const services = section(await composeConfig(SECRETS, 'scale'), 'services');
    const redis = services.get('redis')!;
    expect(redis).toMatch(/REDISCLI_AUTH: validate-redis-pw/);
    // Compose prints the `$$` escape back (v1) or the `$` the shell sees (v2).
    expect(redis).toMatch(/requirepass \$\$?REDISCLI_AUTH/);
    expect(redis.slice(redis.indexOf('command:'), redis.indexOf('environment:'))).not.toContain('validate-redis-pw');
    for (const app of ['app1', 'app2']) {
      expect(services.get(app)).toMatch(/REDIS_URL: redis:\/\/:validate-redis-pw@redis:6379$/m);
    }
    // mc gets the MinIO credentials from its environment, not its arguments.
    const bucket = services.get('minio-bucket')!;
    expect(bucket).toMatch(/MC_HOST_store: http:\/\/onionchat:validate-s3-secret@minio:9000/);
    expect(bucket.slice(bucket.indexOf('command:'), bucket.indexOf('depends_on:'))).not.toContain('validate-s3');
  });

  it('has a `scale` profile: two instances sharing Redis and S3, each behind its own tor, and Onionbalance', async () => {
    const services = section(await composeConfig(SECRETS, 'scale'), 'services');
    for (const name of ['redis', 'minio', 'onionbalance', 'app1', 'app2', 'tor1', 'tor2']) {
      expect(services.get(name), name).toMatch(/profiles:\n\s+- scale/);
    }
    for (const app of ['app1', 'app2']) {
      expect(services.get(app)).toMatch(/FILE_STORAGE: s3/);
      expect(services.get(app)).toMatch(/S3_SECRET_ACCESS_KEY: validate-s3-secret/);
      expect(services.get(app)).toMatch(/ONION_HOSTNAME_FILE: \/run\/onion\/hostname/);
    }
    expect(services.get('tor1')).toMatch(/APP_ADDRESS: app1:8082/);
    expect(services.get('tor2')).toMatch(/APP_ADDRESS: app2:8082/);
    for (const tor of ['tor1', 'tor2']) expect(services.get(tor)).toMatch(/ONIONBALANCE_FRONTEND_FILE:/);
  });

  it('health-checks the app at /api/health, as its Dockerfile does', async () => {
    const services = section(await composeConfig(SECRETS, 'scale'), 'services');
    const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^HEALTHCHECK .*http:\/\/127\.0\.0\.1:8080\/api\/health/m);
    for (const app of ['app', 'app1', 'app2']) {
      expect(services.get(app)).toMatch(/http:\/\/127\.0\.0\.1:8080\/api\/health/);
      expect(services.get(app)).toMatch(/PORT: ['"]8080['"]/);
    }
  });
});

describe('.env.example', () => {
  it('names every secret the compose file requires, with no value', () => {
    const example = readFileSync(path.join(repoRoot, '.env.example'), 'utf8');
    const settings = [...example.matchAll(/^(\w+)=(.*)$/gm)].map(([, name, value]) => [name, value]);
    expect(Object.fromEntries(settings)).toEqual(Object.fromEntries(Object.keys(SECRETS).map((name) => [name, ''])));
  });
});

describe('the app image', () => {
  it('installs every workspace: each package.json is in place before `npm ci`', () => {
    const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
    const beforeInstall = dockerfile.slice(0, dockerfile.indexOf('RUN npm ci'));
    const { workspaces } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      workspaces: string[];
    };
    for (const ws of workspaces) expect(beforeInstall, ws).toContain(`COPY ${ws}/package.json ${ws}/\n`);
  });

  it('leaves the deployment’s .env out of the image', () => {
    const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^RUN rm -f \.env \.env\.\* && .*npm run build$/m);
  });
});

const PIN_SCRIPT = path.join(repoRoot, 'scripts/pin-images.mjs');
const PIN_FILES = ['docker-compose.yml', 'Dockerfile', 'tor/Dockerfile', 'deploy/onionbalance/Dockerfile'];
const PENDING = 'deploy/unpinned-images.txt';
const DIGEST = `sha256:${'ab12'.repeat(16)}`;

/** A copy of the files that name images, and a `docker` that answers as the registry would. */
function pinWorkspace(mediaType: string): { root: string; env: NodeJS.ProcessEnv } {
  const root = mkdtempSync(path.join(tmpdir(), 'onionchat-pins-'));
  for (const file of [...PIN_FILES, PENDING]) cpSync(path.join(repoRoot, file), path.join(root, file));
  const bin = path.join(root, 'bin');
  mkdirSync(bin);
  const manifest = JSON.stringify({ mediaType, digest: DIGEST });
  writeFileSync(path.join(bin, 'docker'), `#!/bin/sh\necho '${manifest}'\n`);
  chmodSync(path.join(bin, 'docker'), 0o755);
  return { root, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } };
}

describe('image pins', () => {
  it('names every image either by digest or in the list of images not yet pinned', async () => {
    const { stdout } = await run(process.execPath, [PIN_SCRIPT, '--check']);
    expect(stdout).toMatch(/pinned/);
  });

  it('fails the check for an image neither pinned nor listed, and for a stale listing', async () => {
    const { root, env } = pinWorkspace('application/vnd.oci.image.index.v1+json');
    try {
      appendFileSync(path.join(root, 'Dockerfile'), '\nFROM alpine:3.20 AS extra\n');
      appendFileSync(path.join(root, PENDING), 'busybox:1\n');
      const check = run(process.execPath, [PIN_SCRIPT, '--check', '--root', root], { env });
      await expect(check).rejects.toThrow(/Dockerfile: alpine:3\.20 is neither pinned[\s\S]*busybox:1 is listed/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('pins each listed image to its multi-platform index digest and empties the list', async () => {
    const { root, env } = pinWorkspace('application/vnd.oci.image.index.v1+json');
    try {
      await run(process.execPath, [PIN_SCRIPT, '--root', root], { env });
      const compose = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
      expect(compose).toMatch(new RegExp(`^\\s+image: postgres:16-bookworm@${DIGEST}$`, 'm'));
      const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
      expect(dockerfile).toMatch(new RegExp(`^FROM node:20-bookworm-slim@${DIGEST} AS build$`, 'm'));
      expect(readFileSync(path.join(root, PENDING), 'utf8')).not.toMatch(/^[^#\n]/m);
      const { stdout } = await run(process.execPath, [PIN_SCRIPT, '--check', '--root', root], { env });
      expect(stdout).toContain('Every image is pinned.');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a single-platform digest, which would break the images on other CPUs', async () => {
    const { root, env } = pinWorkspace('application/vnd.oci.image.manifest.v1+json');
    try {
      const pin = run(process.execPath, [PIN_SCRIPT, '--root', root], { env });
      await expect(pin).rejects.toThrow(/single-platform image/);
      expect(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')).not.toContain('@sha256:');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
